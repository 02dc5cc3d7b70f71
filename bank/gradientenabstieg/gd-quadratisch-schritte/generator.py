import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    a = rng.choice([0.5, 1.0, 2.0])
    c = rng.randint(-3, 3)
    w0 = c
    while w0 == c:
        w0 = rng.randint(-5, 5)
    eta = rng.choice([0.05, 0.1, 0.2])
    k = rng.choice([2, 3])
    return {"a": a, "c": c, "w0": w0, "eta": eta, "k": k}


def solve(params: dict) -> float:
    w = float(params["w0"])
    for _ in range(params["k"]):
        w = w - params["eta"] * 2 * params["a"] * (w - params["c"])
    return float(f"{w:.12g}")
