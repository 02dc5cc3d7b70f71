import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    w = round(rng.uniform(-1.5, 1.5), 1)
    b = round(rng.uniform(-1.0, 1.0), 1)
    x = 0.0
    while abs(x) < 0.5:
        x = round(rng.uniform(-2.0, 2.0), 1)
    y = rng.choice([0, 1])
    return {"w": w, "b": b, "x": x, "y": y}


def solve(params: dict) -> float:
    z = params["w"] * params["x"] + params["b"]
    a = 1.0 / (1.0 + math.exp(-z))
    grad = 2 * (a - params["y"]) * a * (1 - a) * params["x"]
    return float(f"{grad:.12g}")
