import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    ws = [round(rng.uniform(-3.0, 3.0), 1) for _ in range(5)]
    lam = rng.choice([0.001, 0.01, 0.02, 0.05, 0.1])
    d = {"w%d" % (i + 1): w for i, w in enumerate(ws)}
    d["lam"] = lam
    return d


def solve(params: dict) -> float:
    s = sum(abs(params["w%d" % i]) for i in range(1, 6))
    return float(f"{params['lam'] * s:.12g}")
