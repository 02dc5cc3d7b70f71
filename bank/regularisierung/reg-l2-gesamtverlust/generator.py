import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    ws = [round(rng.uniform(-2.0, 2.0), 1) for _ in range(4)]
    lam = rng.choice([0.001, 0.01, 0.05, 0.1])
    data_loss = round(rng.uniform(0.2, 2.0), 2)
    return {"w1": ws[0], "w2": ws[1], "w3": ws[2], "w4": ws[3], "lam": lam, "data_loss": data_loss}


def solve(params: dict) -> float:
    s = sum(params[k] ** 2 for k in ("w1", "w2", "w3", "w4"))
    return float(f"{params['data_loss'] + params['lam'] * s:.12g}")
