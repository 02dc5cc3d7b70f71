import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    a = rng.choice([4, 8, 13, 20, 30, 64, 784])
    b = rng.choice([16, 32, 64, 128, 256])
    c = rng.choice([8, 16, 32, 64])
    d = rng.choice([1, 2, 3, 5, 10])
    return {"a": a, "b": b, "c": c, "d": d}


def solve(params: dict) -> float:
    a, b, c, d = params["a"], params["b"], params["c"], params["d"]
    return float((a * b + b) + (b * c + c) + (c * d + d))
