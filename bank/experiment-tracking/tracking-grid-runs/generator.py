import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "n_lr": rng.randint(2, 5),
        "n_bs": rng.randint(2, 4),
        "n_opt": rng.randint(1, 3),
        "epochen": rng.choice([10, 20, 25, 30, 50]),
        "n_m": rng.randint(2, 4),
    }


def solve(params: dict) -> float:
    return float(params["n_lr"] * params["n_bs"] * params["n_opt"] * params["epochen"] * params["n_m"])
