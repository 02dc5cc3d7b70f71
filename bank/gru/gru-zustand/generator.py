import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"hp": rng.choice([v / 100 for v in range(-95, 96) if v != 0]),
            "z": rng.randint(5, 95) / 100,
            "ht": rng.choice([v / 100 for v in range(-95, 96) if v != 0])}


def solve(params: dict) -> float:
    z = params["z"]
    return (1 - z) * params["hp"] + z * params["ht"]
