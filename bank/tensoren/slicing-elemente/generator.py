import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    n = rng.choice([100, 150, 200, 500, 1000])
    f = rng.choice([4, 8, 10, 12, 20])
    r0 = rng.randint(0, n // 2)
    r1 = rng.randint(r0 + 1, n)
    c0 = rng.randint(0, f - 2)
    c1 = rng.randint(c0 + 1, f)
    return {"n": n, "f": f, "r0": r0, "r1": r1, "c0": c0, "c1": c1}


def solve(params: dict) -> float:
    return float((params["r1"] - params["r0"]) * (params["c1"] - params["c0"]))
