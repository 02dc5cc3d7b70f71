import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    n = rng.randrange(5000, 50001, 100)
    rate = rng.uniform(0.01, 0.12)
    return {"N": n, "k": int(round(n * rate))}


def solve(params: dict) -> float:
    return 100.0 * params["k"] / params["N"]
