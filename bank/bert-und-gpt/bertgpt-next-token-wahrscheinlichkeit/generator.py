import math
import random

TOKENS = ["Berlin", "Bonn", "München", "schön"]
MIN_ANSWER = 0.05  # with ± 0.005 at most 10 % relative error
MARGIN = 0.01      # twice the tolerance between the answer and a wrong formula


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        logits = [round(rng.uniform(-1.0, 5.0), 1) + 0.0 for _ in TOKENS]
        params = {"l1": logits[0], "l2": logits[1], "l3": logits[2], "l4": logits[3], "ziel": rng.choice(TOKENS)}
        answer = solve(params)
        if answer >= MIN_ANSWER and all(abs(w - answer) > MARGIN for w in distractors(params).values()):
            return params


def _logits(params: dict) -> tuple[list[float], float]:
    logits = [params["l1"], params["l2"], params["l3"], params["l4"]]
    return logits, logits[TOKENS.index(params["ziel"])]


def solve(params: dict) -> float:
    logits, z = _logits(params)
    return math.exp(z) / sum(math.exp(l) for l in logits)


def distractors(params: dict) -> dict:
    logits, z = _logits(params)
    return {
        "Sigmoid des Logits statt Softmax": 1 / (1 + math.exp(-z)),
        "gleichverteilt (1/4)": 0.25,
    }
