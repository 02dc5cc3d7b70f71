import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"n": rng.randint(5, 30), "k": rng.randint(2, 4)}


def solve(params: dict) -> float:
    return float(params["n"] - params["k"] + 1)
