import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = {"d1": rng.randint(55, 99) / 100, "d2": rng.randint(55, 99) / 100,
                  "f1": rng.randint(1, 45) / 100, "f2": rng.randint(1, 45) / 100}
        # 0.5 looks like a guess; keep it out of the tolerance
        if abs(solve(params) - 0.5) > 0.02:
            return params


def solve(params: dict) -> float:
    s = (math.log(params["d1"]) + math.log(1 - params["f1"])
         + math.log(params["d2"]) + math.log(1 - params["f2"]))
    return -s / 2
