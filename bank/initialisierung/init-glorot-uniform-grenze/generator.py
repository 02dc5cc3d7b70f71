import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    fan_in = rng.choice([64, 100, 128, 256, 300, 512, 784])
    fan_out = rng.choice([10, 32, 64, 128, 256])
    return {"fan_in": fan_in, "fan_out": fan_out}


def solve(params: dict) -> float:
    return float(f"{math.sqrt(6.0 / (params['fan_in'] + params['fan_out'])):.12g}")
