import random

KATEGORIEN = [
    ("durch [MASK] ersetzt", 80),
    ("durch ein zufälliges Token ersetzt", 10),
    ("unverändert gelassen, aber trotzdem vorhergesagt", 10),
    ("insgesamt für die Vorhersage ausgewählt", 100),
]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    kategorie, anteil = rng.choice(KATEGORIEN)
    return {
        "n": rng.choice([100, 128, 200, 256, 320, 400, 512]),
        "kategorie": kategorie,
        "anteil": anteil,
    }


def solve(params: dict) -> float:
    return params["n"] * 0.15 * params["anteil"] / 100
