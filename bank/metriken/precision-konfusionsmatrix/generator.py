import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"tp": rng.randint(20, 200), "fn": rng.randint(5, 80),
            "fp": rng.randint(5, 80), "tn": rng.randint(50, 400)}


def solve(params: dict) -> float:
    tp, fn, fp, tn = params["tp"], params["fn"], params["fp"], params["tn"]
    return float(tp / (tp + fp))
