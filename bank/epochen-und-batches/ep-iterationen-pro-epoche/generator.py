import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    B = rng.choice([16, 32, 64, 128, 256, 512])
    N = rng.randint(20, 400) * 50 + rng.randint(1, 49)
    while N % B == 0:
        N += 1
    return {"N": N, "B": B}


def solve(params: dict) -> float:
    return float(math.ceil(params["N"] / params["B"]))
