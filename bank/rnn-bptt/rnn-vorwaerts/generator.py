import math
import random

MIN_ANSWER = 0.075  # five times the tolerance
MARGIN = 0.03       # twice the tolerance between the answer and a wrong formula


def _nz(rng, lo, hi):
    while True:
        v = rng.randint(lo, hi)
        if v != 0:
            return v / 10


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        wx = _nz(rng, -15, 15)
        wh = _nz(rng, -15, 15)
        b = rng.randint(-10, 10) / 10
        x1 = _nz(rng, -20, 20)
        x2 = _nz(rng, -20, 20)
        h1 = math.tanh(wx * x1 + b)
        params = {"wx": wx, "wh": wh, "b": b, "x1": x1, "x2": x2, "h1": round(h1, 2)}
        answer = solve(params)
        # h_1 must matter: forgetting it (or stopping at h_1) has to give a clearly wrong h_2
        if abs(answer) >= MIN_ANSWER and all(abs(w - answer) > MARGIN for w in distractors(params).values()):
            return params


def solve(params: dict) -> float:
    h1 = math.tanh(params["wx"] * params["x1"] + params["b"])
    return math.tanh(params["wx"] * params["x2"] + params["wh"] * h1 + params["b"])


def distractors(params: dict) -> dict:
    h1 = math.tanh(params["wx"] * params["x1"] + params["b"])
    return {
        "h_1 ignoriert (h_2 = tanh(w_x x_2 + b))": math.tanh(params["wx"] * params["x2"] + params["b"]),
        "nach dem ersten Schritt aufgehört (h_1)": h1,
        "ohne tanh": params["wx"] * params["x2"] + params["wh"] * h1 + params["b"],
    }
