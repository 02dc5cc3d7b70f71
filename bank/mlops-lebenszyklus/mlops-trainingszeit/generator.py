import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    b = rng.choice([32, 64, 128, 256])
    schritte = rng.choice([200, 250, 400, 500, 800, 1000])
    return {
        "N": b * schritte,
        "B": b,
        "E": rng.choice([5, 10, 20, 30]),
        "t_f": rng.choice([5, 8, 10, 12, 15, 20, 25, 40]),
    }


def solve(params: dict) -> float:
    schritte = params["N"] / params["B"]
    ms = params["E"] * schritte * 3 * params["t_f"]
    return ms / 60000.0
