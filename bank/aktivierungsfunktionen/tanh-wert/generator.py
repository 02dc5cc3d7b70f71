import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    k = rng.randint(-25, 25)
    return {"z": (k if k != 0 else 7) / 10}


def solve(params: dict) -> float:
    return math.tanh(params["z"])
