import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.randint(3, 20)}


def solve(params: dict) -> float:
    n = params["n"]
    return float(n * (n - 1) // 2)
