import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    B = rng.choice([24, 32, 48, 64, 100, 128, 256])
    N = rng.randint(1000, 60000)
    while N % B == 0:
        N += 1
    return {"N": N, "B": B}


def solve(params: dict) -> float:
    return float(params["N"] % params["B"])
