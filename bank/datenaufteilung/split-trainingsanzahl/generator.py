import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        n = rng.choice([2000, 4000, 5000, 8000, 10000, 12000, 20000, 25000, 50000])
        test_pct = rng.choice([10, 15, 20, 25, 30])
        val_pct = rng.choice([10, 15, 20, 25])
        rest = n * (100 - test_pct)
        if rest % 100 == 0 and (rest // 100) * val_pct % 100 == 0:
            return {"n": n, "test_pct": test_pct, "val_pct": val_pct}


def solve(params: dict) -> float:
    rest = params["n"] * (100 - params["test_pct"]) / 100
    val = rest * params["val_pct"] / 100
    return float(rest - val)
