import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    L = rng.randint(5, 20)
    w = rng.choice([0.5, 1.0, 2.0, 3.0])
    return {"L": L, "w": w}


def solve(params: dict) -> float:
    return float(f"{(0.25 * params['w']) ** params['L']:.12g}")
