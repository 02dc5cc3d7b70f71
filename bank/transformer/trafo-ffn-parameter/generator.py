import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    d_model = rng.choice([64, 128, 256, 512, 768])
    faktor = rng.choice([2, 4])
    return {"d_model": d_model, "d_ff": faktor * d_model}


def solve(params: dict) -> float:
    d, f = params["d_model"], params["d_ff"]
    return float(d * f + f + f * d + d)
