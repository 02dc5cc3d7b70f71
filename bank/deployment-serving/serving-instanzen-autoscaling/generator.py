import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "c": rng.choice([1, 2, 4, 8]),
        "L": rng.choice([20, 25, 40, 50, 80, 100, 125, 200]),
        "R": rng.randrange(50, 3001, 10),
    }


def solve(params: dict) -> float:
    bedarf = params["R"] * params["L"]
    kapazitaet = params["c"] * 1000
    return float(-(-bedarf // kapazitaet))
