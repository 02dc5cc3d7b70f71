import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        x = [rng.randint(-20, 30) / 10 for _ in range(3)]
        w = [rng.randint(-12, 12) / 10 for _ in range(3)]
        b = rng.randint(-10, 10) / 10
        z = round(sum(wi * xi for wi, xi in zip(w, x)) + b, 2)
        # z <= 0 makes the answer 0, right for a guess in half the variants
        if z >= 0.05:
            break
    return {"x": x, "w": w, "b": b, "x0": x[0], "x1": x[1], "x2": x[2],
            "w0": w[0], "w1": w[1], "w2": w[2], "z": z}


def solve(params: dict) -> float:
    z = sum(wi * xi for wi, xi in zip(params["w"], params["x"])) + params["b"]
    return round(max(0.0, z), 6)
