import random

MIN_ANSWER = 0.05  # five times the tolerance
MARGIN = 0.02      # twice the tolerance between the answer and a wrong formula


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = {"cp": rng.choice([v / 10 for v in range(-20, 21) if v != 0]),
                  "f": rng.randint(5, 95) / 100,
                  "i": rng.randint(5, 95) / 100,
                  "ct": rng.choice([v / 100 for v in range(-99, 100) if v != 0])}
        answer = solve(params)
        # equal gates or C_{t-1} near the candidate would hide swapped gates
        if abs(answer) >= MIN_ANSWER and all(abs(w - answer) > MARGIN for w in distractors(params).values()):
            return params


def solve(params: dict) -> float:
    return params["f"] * params["cp"] + params["i"] * params["ct"]


def distractors(params: dict) -> dict:
    f, i, cp, ct = params["f"], params["i"], params["cp"], params["ct"]
    return {
        "Gates vertauscht (i · C_{t-1} + f · C̃_t)": i * cp + f * ct,
        "Forget Gate als Vergessensanteil ((1 − f) · C_{t-1} + i · C̃_t)": (1 - f) * cp + i * ct,
        "ohne Input Gate (f · C_{t-1} + C̃_t)": f * cp + ct,
        "ohne Forget Gate (C_{t-1} + i · C̃_t)": cp + i * ct,
    }
