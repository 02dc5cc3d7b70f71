import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.choice([365, 500, 730, 1000, 1440, 2000, 8760]),
            "w": rng.choice([7, 14, 24, 30, 48, 168]),
            "s": rng.choice([2, 3, 5, 6, 7, 12, 24])}


def solve(params: dict) -> float:
    return float((params["n"] - params["w"] - 1) // params["s"] + 1)
