import random

MIN_ANSWER = 0.0025  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    alpha = rng.choice([0.01, 0.02, 0.05, 0.1, 0.2, 0.3])
    k = rng.choice([rng.randint(-50, -1), rng.randint(-50, -1), rng.randint(1, 30)])
    z = k / 10
    case = "z > 0, der Wert wird unverändert übernommen" if z > 0 else f"z ≤ 0, also α · z = {alpha} · ({z})"
    return {"z": z, "alpha": alpha, "case": case}


def solve(params: dict) -> float:
    z = params["z"]
    return round(z if z > 0 else params["alpha"] * z, 6)


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
