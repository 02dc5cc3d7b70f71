import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    a = rng.choice([2, 3, 4, 6, 8, 10, 12, 16, 32])
    b = rng.choice([3, 4, 5, 6, 7, 8, 14, 28])
    c = rng.choice([2, 3, 4, 5, 6, 8, 10, 28])
    total = a * b * c
    divisors = [k for k in range(2, total) if total % k == 0 and k not in (a, b, c)]
    d = rng.choice(divisors)
    return {"a": a, "b": b, "c": c, "d": d}


def solve(params: dict) -> float:
    total = params["a"] * params["b"] * params["c"]
    return float(total // params["d"])
