import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    B = rng.choice([32, 64, 100, 128, 256])
    N = rng.randint(40, 600) * 100 + rng.randint(1, 99)
    E = rng.choice([5, 10, 15, 20, 30, 50])
    return {"N": N, "B": B, "E": E}


def solve(params: dict) -> float:
    return float((params["N"] // params["B"]) * params["E"])
