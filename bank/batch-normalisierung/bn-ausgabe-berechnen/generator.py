import math
import random

MIN_ANSWER = 0.05  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    xs = [rng.randint(-5, 10) for _ in range(4)]
    while len(set(xs)) < 3:
        xs = [rng.randint(-5, 10) for _ in range(4)]
    i = rng.randint(1, 4)
    gamma = rng.choice([0.5, 1.0, 1.5, 2.0])
    beta = rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0])
    return {"x1": xs[0], "x2": xs[1], "x3": xs[2], "x4": xs[3], "i": i, "gamma": gamma, "beta": beta}


def solve(params: dict) -> float:
    xs = [params["x1"], params["x2"], params["x3"], params["x4"]]
    mu = sum(xs) / 4.0
    var = sum((x - mu) ** 2 for x in xs) / 4.0
    x_hat = (xs[params["i"] - 1] - mu) / math.sqrt(var)
    return float(f"{params['gamma'] * x_hat + params['beta']:.12g}")


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
