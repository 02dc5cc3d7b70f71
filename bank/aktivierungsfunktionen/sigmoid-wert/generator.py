import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"z": rng.randint(-40, 40) / 10}


def solve(params: dict) -> float:
    return 1.0 / (1.0 + math.exp(-params["z"]))
