import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    w = 0.0
    while abs(w) < 0.1:
        w = round(rng.uniform(-2.0, 2.0), 2)
    g = round(rng.uniform(-1.0, 1.0), 2)
    lam = rng.choice([0.01, 0.05, 0.1])
    eta = rng.choice([0.01, 0.05, 0.1])
    return {"w": w, "g": g, "lam": lam, "eta": eta}


def solve(params: dict) -> float:
    w = params["w"]
    grad = params["g"] + 2 * params["lam"] * w
    return float(f"{w - params['eta'] * grad:.12g}")
