import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    mu = rng.randrange(150, 401, 10)
    return {
        "mu": mu,
        "sigma": rng.randrange(40, 121, 10),
        "n": rng.choice([100, 225, 400, 625, 900]),
        "m": mu + rng.randint(-25, 25),
    }


def solve(params: dict) -> float:
    return (params["m"] - params["mu"]) / (params["sigma"] / math.sqrt(params["n"]))
