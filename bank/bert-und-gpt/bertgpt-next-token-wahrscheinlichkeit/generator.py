import math
import random

TOKENS = ["Berlin", "Bonn", "München", "schön"]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    logits = [round(rng.uniform(-1.0, 5.0), 1) + 0.0 for _ in TOKENS]
    return {
        "l1": logits[0], "l2": logits[1], "l3": logits[2], "l4": logits[3],
        "ziel": rng.choice(TOKENS),
    }


def solve(params: dict) -> float:
    logits = [params["l1"], params["l2"], params["l3"], params["l4"]]
    z = logits[TOKENS.index(params["ziel"])]
    return math.exp(z) / sum(math.exp(l) for l in logits)
