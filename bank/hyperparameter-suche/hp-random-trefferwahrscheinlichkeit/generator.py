import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    p = rng.choice([1, 2, 5, 10])
    n = rng.choice([10, 20, 30, 40, 50, 60, 100])
    return {"p": p, "n": n}


def solve(params: dict) -> float:
    return float(f"{1 - (1 - params['p'] / 100) ** params['n']:.12g}")
