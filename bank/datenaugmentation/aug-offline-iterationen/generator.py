import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    N = rng.randint(5, 50) * 100 + rng.choice([0, 20, 40, 60, 80])
    k = rng.randint(1, 5)
    B = rng.choice([16, 32, 64, 128])
    return {"N": N, "k": k, "B": B}


def solve(params: dict) -> float:
    return float(math.ceil(params["N"] * (1 + params["k"]) / params["B"]))
