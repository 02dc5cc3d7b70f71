import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    w = rng.choice([28, 32, 48, 64, 96, 100, 128, 150])
    f1 = rng.choice([16, 32, 64])
    f2 = rng.choice([32, 64, 128])
    a = w - 2
    b = a // 2
    c2 = b - 2
    d = c2 // 2
    return {"w": w, "f1": f1, "f2": f2, "a": a, "b": b, "c2": c2, "d": d}


def solve(params: dict) -> float:
    d = ((params["w"] - 2) // 2 - 2) // 2
    return float(d * d * params["f2"])
