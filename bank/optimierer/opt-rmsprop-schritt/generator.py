import random

MIN_ANSWER = 0.0025  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    w = round(rng.uniform(-1.0, 1.0), 2)
    s = round(rng.uniform(0.01, 0.5), 2)
    g = 0.0
    while abs(g) < 0.1:
        g = round(rng.uniform(-2.0, 2.0), 2)
    rho = 0.9
    eta = rng.choice([0.01, 0.05, 0.1])
    return {"w": w, "s": s, "g": g, "rho": rho, "eta": eta}


def solve(params: dict) -> float:
    s_new = params["rho"] * params["s"] + (1 - params["rho"]) * params["g"] ** 2
    w = params["w"] - params["eta"] * params["g"] / s_new ** 0.5
    return float(f"{w:.12g}")


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
