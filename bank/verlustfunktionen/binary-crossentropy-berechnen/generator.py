import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    y = [rng.randint(0, 1) for _ in range(3)]
    p = [rng.randint(5, 95) / 100 for _ in range(3)]
    terms = [round(-math.log(pi if yi == 1 else 1 - pi), 3) for yi, pi in zip(y, p)]
    return {"y": y, "p": p, "terms": terms}


def solve(params: dict) -> float:
    t = [-math.log(pi if yi == 1 else 1 - pi) for yi, pi in zip(params["y"], params["p"])]
    return sum(t) / len(t)
