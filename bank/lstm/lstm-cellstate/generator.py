import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"cp": rng.choice([v / 10 for v in range(-20, 21) if v != 0]),
            "f": rng.randint(5, 95) / 100,
            "i": rng.randint(5, 95) / 100,
            "ct": rng.choice([v / 100 for v in range(-99, 100) if v != 0])}


def solve(params: dict) -> float:
    return params["f"] * params["cp"] + params["i"] * params["ct"]
