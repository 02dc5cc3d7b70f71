import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        w = [rng.randint(1, 30) for _ in range(4)]
        p = [round(v / sum(w), 2) for v in w[:3]]
        last = round(1 - sum(p), 2)
        if min(p) > 0 and last > 0:
            p.append(last)
            break
    true = rng.randint(0, 3)
    return {"p": p, "true": true, "ptrue": p[true]}


def solve(params: dict) -> float:
    return -math.log(params["p"][params["true"]])
