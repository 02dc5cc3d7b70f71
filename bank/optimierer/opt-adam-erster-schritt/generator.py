import random

MIN_ANSWER = 0.00025  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    w = round(rng.uniform(-1.0, 1.0), 2)
    g = 0.0
    while abs(g) < 0.05:
        g = round(rng.uniform(-3.0, 3.0), 2)
    eta = rng.choice([0.001, 0.01, 0.1])
    return {"w": w, "g": g, "eta": eta}


def solve(params: dict) -> float:
    b1, b2, eps = 0.9, 0.999, 1e-7
    g = params["g"]
    m = (1 - b1) * g
    v = (1 - b2) * g * g
    m_hat = m / (1 - b1)
    v_hat = v / (1 - b2)
    w = params["w"] - params["eta"] * m_hat / (v_hat ** 0.5 + eps)
    return float(f"{w:.12g}")


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
