import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    d = rng.choice([784, 1024, 3072])
    h = rng.choice([64, 128, 256, 512])
    c = rng.choice([2, 8, 16, 32])
    return {"d": d, "h": h, "c": c}


def solve(params: dict) -> float:
    d, h, c = params["d"], params["h"], params["c"]
    return float((d * h + h) + (h * c + c) + (c * h + h) + (h * d + d))
