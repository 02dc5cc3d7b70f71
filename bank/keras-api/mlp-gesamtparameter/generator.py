import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.choice([4, 8, 12, 20, 30, 64, 784]),
            "h1": rng.choice([8, 16, 32, 64, 128]),
            "h2": rng.choice([4, 8, 16, 32, 64]),
            "k": rng.choice([2, 3, 5, 10])}


def solve(params: dict) -> float:
    n, h1, h2, k = params["n"], params["h1"], params["h2"], params["k"]
    return float((n + 1) * h1 + (h1 + 1) * h2 + (h2 + 1) * k)
