import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    mu_run = round(rng.uniform(-1.0, 3.0), 2)
    xs = [round(rng.uniform(-2.0, 6.0), 1) for _ in range(4)]
    m = rng.choice([0.9, 0.99])
    return {"mu_run": mu_run, "m": m, "x1": xs[0], "x2": xs[1], "x3": xs[2], "x4": xs[3]}


def solve(params: dict) -> float:
    mu_b = (params["x1"] + params["x2"] + params["x3"] + params["x4"]) / 4.0
    x = params["m"] * params["mu_run"] + (1 - params["m"]) * mu_b
    return float(f"{x:.12g}")
