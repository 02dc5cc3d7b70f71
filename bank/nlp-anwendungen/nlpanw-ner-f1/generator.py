import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    korrekt = rng.randint(5, 40)
    fp = rng.randint(0, 15)
    fn = rng.randint(1, 15)
    return {"gold": korrekt + fn, "pred": korrekt + fp, "korrekt": korrekt}


def solve(params: dict) -> float:
    p = params["korrekt"] / params["pred"]
    r = params["korrekt"] / params["gold"]
    return 2 * p * r / (p + r)
