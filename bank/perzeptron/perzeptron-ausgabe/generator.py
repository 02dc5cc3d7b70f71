import random

ANSWERS = (0, 1)  # the step function's output


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        x = [rng.randint(-20, 20) / 10 for _ in range(3)]
        w = [rng.randint(-15, 15) / 10 for _ in range(3)]
        b = rng.randint(-10, 10) / 10
        z = round(sum(wi * xi for wi, xi in zip(w, x)) + b, 4)
        if abs(z) >= 0.05:
            return {"x": x, "w": w, "b": b, "x0": x[0], "x1": x[1], "x2": x[2],
                    "w0": w[0], "w1": w[1], "w2": w[2], "z": round(z, 2)}


def solve(params: dict) -> float:
    z = sum(wi * xi for wi, xi in zip(params["w"], params["x"])) + params["b"]
    return 1.0 if round(z, 6) >= 0 else 0.0
