import random


def _window(params: dict) -> list[int]:
    v = params["werte"]
    r, c = params["zeile"] - 1, params["spalte"] - 1
    return [v[(2 * r + i) * 4 + 2 * c + j] for i in range(2) for j in range(2)]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        # values up to 29: with 0..9 the largest possible value 9 was right in a third of the variants
        vals = [rng.randint(0, 29) for _ in range(16)]
        r = rng.randint(1, 2)
        c = rng.randint(1, 2)
        params = {"werte": vals, "zeile": r, "spalte": c}
        answer = solve(params)
        if all(abs(w - answer) > 0.02 for w in distractors(params).values()):
            break
    rows = [vals[i * 4:(i + 1) * 4] for i in range(4)]
    tex = ("\\begin{pmatrix} "
           + " \\\\ ".join(" & ".join(str(v) for v in row) for row in rows)
           + " \\end{pmatrix}")
    return {"werte": vals, "matrix": tex, "zeile": r, "spalte": c,
            "z1": 2 * r - 1, "z2": 2 * r, "s1": 2 * c - 1, "s2": 2 * c}


def solve(params: dict) -> float:
    return float(max(_window(params)))


def distractors(params: dict) -> dict:
    return {
        "Average Pooling statt Max Pooling": sum(_window(params)) / 4,
        "Maximum der ganzen Feature-Map": float(max(params["werte"])),
    }
