import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.choice([3, 4, 8, 10, 13, 20, 32, 64, 100, 128, 784]),
            "units": rng.choice([1, 2, 4, 10, 16, 32, 64, 100, 128])}


def solve(params: dict) -> float:
    return float((params["n"] + 1) * params["units"])
