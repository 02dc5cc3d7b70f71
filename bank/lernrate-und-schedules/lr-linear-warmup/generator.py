import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    eta_ziel = rng.choice([0.001, 0.0005, 0.002, 0.0003])
    W = rng.choice([500, 1000, 2000, 4000])
    t = rng.randint(1, (3 * W) // 2)
    return {"eta_ziel": eta_ziel, "W": W, "t": t}


def solve(params: dict) -> float:
    t, W = params["t"], params["W"]
    x = params["eta_ziel"] * min(t, W) / W
    return float(f"{x:.12g}")
