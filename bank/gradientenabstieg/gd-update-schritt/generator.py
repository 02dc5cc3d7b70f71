import random

MIN_ANSWER = 0.005  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    w = 0.0
    while w == 0.0:
        w = round(rng.uniform(-2.0, 2.0), 2)
    g = 0.0
    while abs(g) < 0.05:
        g = round(rng.uniform(-3.0, 3.0), 2)
    lr = rng.choice([0.01, 0.05, 0.1, 0.2, 0.5])
    return {"w": w, "g": g, "lr": lr}


def solve(params: dict) -> float:
    x = params["w"] - params["lr"] * params["g"]
    return float(f"{x:.12g}")


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
