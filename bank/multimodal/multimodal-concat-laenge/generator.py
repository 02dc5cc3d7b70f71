import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"h": rng.choice([3, 4, 5, 6, 7]), "c": rng.choice([32, 64, 128, 256]),
            "u": rng.choice([16, 32, 64, 128]), "t": rng.randint(4, 20)}


def solve(params: dict) -> float:
    return float(params["h"] * params["h"] * params["c"] + params["u"] + params["t"])
