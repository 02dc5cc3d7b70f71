import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "f": rng.choice([8, 16, 32, 64, 128, 256]),
        "k": rng.choice([1, 3, 3, 5, 7]),
        "c": rng.choice([1, 3, 16, 32, 64, 128]),
        "h": rng.choice([14, 28, 32, 56, 64, 112, 224]),
    }


def solve(params: dict) -> float:
    k, c, f = params["k"], params["c"], params["f"]
    return float((k * k * c + 1) * f)
