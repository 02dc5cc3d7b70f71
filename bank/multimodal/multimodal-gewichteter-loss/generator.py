import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"w1": rng.randint(1, 20) / 10, "w2": rng.randint(1, 20) / 10,
            "l1": rng.randint(5, 300) / 100, "l2": rng.randint(5, 300) / 100}


def solve(params: dict) -> float:
    return params["w1"] * params["l1"] + params["w2"] * params["l2"]
