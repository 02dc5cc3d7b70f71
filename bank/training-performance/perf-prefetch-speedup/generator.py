import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    t_load = rng.randint(10, 80)
    t_comp = rng.randint(20, 100)
    return {"t_load": t_load, "t_comp": t_comp}


def solve(params: dict) -> float:
    a, b = params["t_load"], params["t_comp"]
    return float(f"{(a + b) / max(a, b):.12g}")
