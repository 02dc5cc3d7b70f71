import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    w = round(rng.uniform(-1.0, 1.0), 2)
    v = round(rng.uniform(-2.0, 2.0), 2)
    g = 0.0
    while g == 0.0:
        g = round(rng.uniform(-2.0, 2.0), 2)
    beta = rng.choice([0.8, 0.9, 0.95])
    eta = rng.choice([0.01, 0.05, 0.1])
    return {"w": w, "v": v, "g": g, "beta": beta, "eta": eta}


def solve(params: dict) -> float:
    v_new = params["beta"] * params["v"] + params["g"]
    w_new = params["w"] - params["eta"] * v_new
    return float(f"{w_new:.12g}")
