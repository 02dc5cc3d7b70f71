import random

KATEGORIEN = [
    ("durch [MASK] ersetzt", 80),
    ("durch ein zufälliges Token ersetzt", 10),
    ("unverändert gelassen, aber trotzdem vorhergesagt", 10),
    ("insgesamt für die Vorhersage ausgewählt", 100),
]
# multiples of 200: 15 % and then 10 % of them are whole tokens, so the expected count is a count
LAENGEN = [200, 400, 600, 800, 1000, 1200, 1400, 1600, 2000]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    kategorie, anteil = rng.choice(KATEGORIEN)
    return {"n": rng.choice(LAENGEN), "kategorie": kategorie, "anteil": anteil}


def solve(params: dict) -> float:
    # integer arithmetic: n · 15/100 · anteil/100 is whole for these n
    return params["n"] * 15 * params["anteil"] // 10000


def distractors(params: dict) -> dict:
    wrong = {"15 % vergessen (n · Anteil der Kategorie)": params["n"] * params["anteil"] / 100}
    if params["anteil"] != 100:
        wrong["Anteil der Kategorie vergessen (n · 15 %)"] = params["n"] * 0.15
    return wrong
