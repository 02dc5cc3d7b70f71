import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    P = rng.choice([11, 25, 66, 110, 175, 340, 1300, 7000])
    return {"P": P}


def solve(params: dict) -> float:
    return float(params["P"] * 1e6 * (4 - 2) / 1e6)
