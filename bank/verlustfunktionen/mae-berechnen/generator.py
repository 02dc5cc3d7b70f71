import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    n = rng.choice([4, 5])
    y = [rng.randint(0, 100) / 10 for _ in range(n)]
    yhat = [round(v + rng.randint(-30, 30) / 10, 1) for v in y]
    absdiff = [round(abs(a - b), 1) for a, b in zip(y, yhat)]
    return {"y": y, "yhat": yhat, "absdiff": absdiff}


def solve(params: dict) -> float:
    d = [abs(a - b) for a, b in zip(params["y"], params["yhat"])]
    return sum(d) / len(d)
