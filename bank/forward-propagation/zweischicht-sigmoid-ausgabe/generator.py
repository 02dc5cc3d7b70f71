import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    r = lambda lo, hi: rng.randint(lo, hi) / 10
    p = {"x1": r(-20, 20), "x2": r(-20, 20),
         "w11": r(-10, 10), "w12": r(-10, 10), "b1": r(-5, 5),
         "w21": r(-10, 10), "w22": r(-10, 10), "b2": r(-5, 5),
         "v1": r(-15, 15), "v2": r(-15, 15), "c": r(-5, 5)}
    h1 = max(0.0, p["w11"] * p["x1"] + p["w12"] * p["x2"] + p["b1"])
    h2 = max(0.0, p["w21"] * p["x1"] + p["w22"] * p["x2"] + p["b2"])
    p["h1"] = round(h1, 2)
    p["h2"] = round(h2, 2)
    p["zo"] = round(p["v1"] * h1 + p["v2"] * h2 + p["c"], 4)
    return p


def solve(params: dict) -> float:
    p = params
    h1 = max(0.0, p["w11"] * p["x1"] + p["w12"] * p["x2"] + p["b1"])
    h2 = max(0.0, p["w21"] * p["x1"] + p["w22"] * p["x2"] + p["b2"])
    z = p["v1"] * h1 + p["v2"] * h2 + p["c"]
    return 1.0 / (1.0 + math.exp(-z))
