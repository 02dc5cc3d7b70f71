import random

MIN_ANSWER = 0.05  # five times the tolerance
MARGIN = 0.02      # twice the tolerance between the answer and a wrong formula
VALUES = [v / 100 for v in range(-95, 96) if v != 0]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = {"hp": rng.choice(VALUES), "z": rng.randint(5, 95) / 100, "ht": rng.choice(VALUES)}
        answer = solve(params)
        # z near 0.5 or h_{t-1} near the candidate would hide a swapped gate convention
        if abs(answer) >= MIN_ANSWER and all(abs(w - answer) > MARGIN for w in distractors(params).values()):
            return params


def solve(params: dict) -> float:
    z = params["z"]
    return (1 - z) * params["hp"] + z * params["ht"]


def distractors(params: dict) -> dict:
    z, hp, ht = params["z"], params["hp"], params["ht"]
    return {
        "vertauschte Gate-Konvention (z · h_{t-1} + (1 − z) · h̃_t, wie in Keras)": z * hp + (1 - z) * ht,
        "nur der Kandidat": ht,
        "nur der alte Zustand": hp,
    }
