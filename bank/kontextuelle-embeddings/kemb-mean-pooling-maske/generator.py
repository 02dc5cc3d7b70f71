import random

MIN_ANSWER = 0.05  # five times the tolerance
MARGIN = 0.02      # twice the tolerance between the answer and a wrong formula


def _draw(rng: random.Random) -> dict:
    n_tok = 5
    n_pad = rng.randint(1, 2)
    maske = [1] * (n_tok - n_pad) + [0] * n_pad
    vektoren = [round(rng.uniform(-2, 2), 1) + 0.0 for _ in range(n_tok * 3)]
    zeilen = ["| Position | Dim 1 | Dim 2 | Dim 3 | Maske |", "|---|---|---|---|---|"]
    for i in range(n_tok):
        v = vektoren[3 * i:3 * i + 3]
        zeilen.append("| {} | {} | {} | {} | {} |".format(i + 1, v[0], v[1], v[2], maske[i]))
    return {
        "vektoren": vektoren,
        "maske": maske,
        "j": rng.randint(1, 3),
        "tabelle": "\n".join(zeilen),
    }


def solve(params: dict) -> float:
    v, m, j = params["vektoren"], params["maske"], params["j"]
    werte = [v[3 * i + (j - 1)] for i in range(len(m)) if m[i] == 1]
    return sum(werte) / len(werte)


def distractors(params: dict) -> dict:
    v, j = params["vektoren"], params["j"]
    alle = [v[3 * i + (j - 1)] for i in range(len(params["maske"]))]
    return {"Mittelwert über alle Positionen, Padding mitgezählt": sum(alle) / len(alle)}


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        answer = solve(params)
        if abs(answer) >= MIN_ANSWER and all(abs(d - answer) > MARGIN for d in distractors(params).values()):
            return params
