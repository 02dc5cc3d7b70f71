import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.randint(100, 2000), "w": rng.choice([5, 7, 10, 12, 14, 24, 30, 48, 60]),
            "h": rng.choice([1, 1, 2, 3, 6, 7, 12, 24])}


def solve(params: dict) -> float:
    return float(params["n"] - params["w"] - params["h"] + 1)
