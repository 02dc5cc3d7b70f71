import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    h = rng.randint(3, 14)
    w = rng.choice([h, h, rng.randint(3, 14)])
    c = rng.choice([8, 16, 32, 64, 128])
    return {"h": h, "w": w, "c": c}


def solve(params: dict) -> float:
    return float(params["h"] * params["w"] * params["c"])
