import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    eta_max = rng.choice([0.1, 0.05, 0.01])
    eta_min = rng.choice([0.0, 0.0005, 0.001])
    T = rng.choice([50, 100, 200])
    t = rng.randrange(5, T, 5)
    return {"eta_max": eta_max, "eta_min": eta_min, "T": T, "t": t}


def solve(params: dict) -> float:
    lo, hi = params["eta_min"], params["eta_max"]
    x = lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * params["t"] / params["T"]))
    return float(f"{x:.12g}")
