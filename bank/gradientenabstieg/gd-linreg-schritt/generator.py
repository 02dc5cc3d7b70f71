import random

MIN_ANSWER = 0.01  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    w = round(rng.uniform(-2.0, 2.0), 1)
    b = round(rng.uniform(-1.0, 1.0), 1)
    x = 0.0
    while abs(x) < 0.5:
        x = round(rng.uniform(-3.0, 3.0), 1)
    y = round(rng.uniform(-3.0, 3.0), 1)
    while abs(w * x + b - y) < 0.2:
        y = round(rng.uniform(-3.0, 3.0), 1)
    eta = rng.choice([0.01, 0.02, 0.05, 0.1])
    return {"w": w, "b": b, "x": x, "y": y, "eta": eta}


def solve(params: dict) -> float:
    w, b, x, y, eta = (params[k] for k in ("w", "b", "x", "y", "eta"))
    y_hat = w * x + b
    grad = 2 * (y_hat - y) * x
    return float(f"{w - eta * grad:.12g}")


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
