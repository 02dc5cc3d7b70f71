import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    y = [rng.randint(-30, 50) / 10 for _ in range(4)]
    yhat = [round(v + rng.randint(-25, 25) / 10, 1) for v in y]
    diff = [round(a - b, 1) for a, b in zip(y, yhat)]
    return {"y": y, "yhat": yhat, "diff": diff}


def solve(params: dict) -> float:
    d = [a - b for a, b in zip(params["y"], params["yhat"])]
    return sum(v * v for v in d) / len(d)
