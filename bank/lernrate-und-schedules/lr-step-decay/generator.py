import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    eta0 = rng.choice([0.1, 0.05, 0.01, 0.2])
    gamma = rng.choice([0.5, 0.1, 0.2])
    s = rng.choice([5, 10, 20, 30])
    t = rng.randint(0, 4 * s - 1)
    return {"eta0": eta0, "gamma": gamma, "s": s, "t": t}


def solve(params: dict) -> float:
    x = params["eta0"] * params["gamma"] ** (params["t"] // params["s"])
    return float(f"{x:.12g}")
