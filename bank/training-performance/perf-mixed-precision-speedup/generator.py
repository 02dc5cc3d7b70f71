import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    p_pct = rng.choice([50, 60, 70, 75, 80, 90])
    s = rng.choice([2, 3, 4, 8])
    return {"p_pct": p_pct, "s": s}


def solve(params: dict) -> float:
    p = params["p_pct"] / 100
    return float(f"{1 / ((1 - p) + p / params['s']):.12g}")
