import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        w = rng.choice([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.05, 1.1, 1.2, 1.3, 1.5])
        schritte = rng.choice([10, 15, 20, 30, 40, 50])
        v = w ** schritte
        if 1e-4 <= v <= 1e5:
            return {"w": w, "schritte": schritte}


def solve(params: dict) -> float:
    return float(params["w"] ** params["schritte"])
