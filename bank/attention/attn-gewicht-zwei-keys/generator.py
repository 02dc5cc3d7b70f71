import math
import random

MARGIN = 0.01  # twice the tolerance: a wrong formula must land clearly outside


def _weight(s1: float, s2: float) -> float:
    return 1.0 / (1.0 + math.exp(s2 - s1))


def _dots(params: dict) -> tuple[int, int]:
    q1, q2 = params["q1"], params["q2"]
    return q1 * params["k11"] + q2 * params["k12"], q1 * params["k21"] + q2 * params["k22"]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        q = [rng.randint(-2, 2) for _ in range(2)]
        k1 = [rng.randint(-2, 2) for _ in range(2)]
        k2 = [rng.randint(-2, 2) for _ in range(2)]
        params = {"q1": q[0], "q2": q[1], "k11": k1[0], "k12": k1[1], "k21": k2[0], "k22": k2[1]}
        answer = solve(params)
        # equal dot products give 0.5 without any computation; saturated weights near 0 or 1 as well
        if not 0.05 <= answer <= 0.95 or abs(answer - 0.5) < MARGIN:
            continue
        if all(abs(wrong - answer) > MARGIN for wrong in distractors(params).values()):
            return params


def solve(params: dict) -> float:
    d1, d2 = _dots(params)
    return _weight(d1 / math.sqrt(2), d2 / math.sqrt(2))


def distractors(params: dict) -> dict:
    d1, d2 = _dots(params)
    return {
        "ohne Skalierung durch √d_k": _weight(d1, d2),
        "durch d_k statt √d_k geteilt": _weight(d1 / 2, d2 / 2),
        "Gewicht von k_2 statt k_1": _weight(d2 / math.sqrt(2), d1 / math.sqrt(2)),
    }
