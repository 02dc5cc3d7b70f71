import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"u": rng.choice([16, 32, 50, 64, 100, 128, 256]),
            "d": rng.choice([1, 3, 5, 8, 10, 20, 50, 100, 300])}


def solve(params: dict) -> float:
    u, d = params["u"], params["d"]
    return float(4 * (u * (u + d) + u))
