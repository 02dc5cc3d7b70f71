import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    x = 0
    while x == 0:
        x = rng.randint(-4, 4)
    y = rng.randint(-4, 4)
    z = rng.randint(-4, 4)
    while x * y + z == 0:
        z = rng.randint(-4, 4)
    return {"x": x, "y": y, "z": z}


def solve(params: dict) -> float:
    x, y, z = params["x"], params["y"], params["z"]
    return float(2 * (x * y + z) * x)
