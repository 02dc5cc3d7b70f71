import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        w1, w2, b = (rng.randint(-10, 10) / 10 for _ in range(3))
        x1, x2 = (rng.choice([-1, 1]) * rng.randint(1, 20) / 10 for _ in range(2))
        eta = rng.choice([0.1, 0.2, 0.5])
        z = round(w1 * x1 + w2 * x2 + b, 4)
        if abs(z) < 0.05:
            continue
        yhat = 1 if z >= 0 else 0
        y = 1 - yhat
        return {"w1": w1, "w2": w2, "b": b, "x1": x1, "x2": x2, "eta": eta, "y": y,
                "z": round(z, 2), "yhat": yhat, "err": y - yhat}


def solve(params: dict) -> float:
    p = params
    z = p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["b"]
    yhat = 1 if round(z, 6) >= 0 else 0
    return round(p["w2"] + p["eta"] * (p["y"] - yhat) * p["x2"], 6) + 0.0
