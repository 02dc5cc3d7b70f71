import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    b = rng.choice([8, 16, 32, 64, 128])
    h = rng.choice([28, 32, 64, 128, 224])
    c = rng.choice([1, 3])
    dtype = rng.choice(["float32", "float16"])
    return {"b": b, "h": h, "w": h, "c": c, "dtype": dtype}


def solve(params: dict) -> float:
    nbytes = 4 if params["dtype"] == "float32" else 2
    return params["b"] * params["h"] * params["w"] * params["c"] * nbytes / 1e6
