import random

MIN_ANSWER = 0.05  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    x = rng.randint(-20, 20) / 10
    w = [rng.randint(-15, 15) / 10 for _ in range(3)]
    b = [rng.randint(-10, 10) / 10 for _ in range(3)]
    v = [rng.randint(-20, 20) / 10 for _ in range(3)]
    c = rng.randint(-10, 10) / 10
    h = [round(max(0.0, wi * x + bi), 2) for wi, bi in zip(w, b)]
    return {"x": x, "w": w, "b": b, "v": v, "c": c, "h": h}


def solve(params: dict) -> float:
    x = params["x"]
    h = [max(0.0, wi * x + bi) for wi, bi in zip(params["w"], params["b"])]
    return round(sum(vi * hi for vi, hi in zip(params["v"], h)) + params["c"], 6) + 0.0


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
