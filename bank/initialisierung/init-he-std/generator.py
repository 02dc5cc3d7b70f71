import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    fan_in = rng.choice([32, 50, 64, 128, 200, 256, 512, 784, 1024])
    fan_out = rng.choice([16, 32, 64, 128, 256])
    return {"fan_in": fan_in, "fan_out": fan_out}


def solve(params: dict) -> float:
    return float(f"{math.sqrt(2.0 / params['fan_in']):.12g}")
