import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"u": rng.choice([8, 16, 32, 50, 64, 100, 128, 256]),
            "d": rng.choice([1, 3, 5, 10, 20, 50, 100, 300]),
            "T": rng.choice([10, 24, 30, 50, 100, 200])}


def solve(params: dict) -> float:
    u, d = params["u"], params["d"]
    return float(d * u + u * u + u)
