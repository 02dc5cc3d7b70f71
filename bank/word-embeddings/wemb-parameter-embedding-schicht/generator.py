import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "V": rng.choice([5000, 10000, 20000, 30000, 50000]),
        "d": rng.choice([16, 32, 50, 64, 100, 128, 300]),
    }


def solve(params: dict) -> float:
    v, d = params["V"], params["d"]
    return float(v * d + d + 1)
