import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = {"p": rng.choice([1, 2, 5, 10]), "n": rng.choice([10, 20, 30, 40, 50, 60, 100])}
        # a probability that rounds to 1 is answered without computing
        if solve(params) <= 0.98:
            return params


def solve(params: dict) -> float:
    return float(f"{1 - (1 - params['p'] / 100) ** params['n']:.12g}")
