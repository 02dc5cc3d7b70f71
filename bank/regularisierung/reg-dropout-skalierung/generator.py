import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    p = rng.choice([0.1, 0.2, 0.25, 0.3, 0.4, 0.5])
    a = round(rng.uniform(0.1, 3.0), 2)
    return {"p": p, "a": a}


def solve(params: dict) -> float:
    return float(f"{params['a'] / (1 - params['p']):.12g}")
