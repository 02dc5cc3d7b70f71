import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    k = rng.randint(-30, 30)
    return {"z": (k if k != 0 else 12) / 10}


def solve(params: dict) -> float:
    return 1.0 - 1.0 / (1.0 + math.exp(-params["z"]))
