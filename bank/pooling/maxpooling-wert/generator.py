import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    vals = [rng.randint(0, 9) for _ in range(16)]
    r = rng.randint(1, 2)
    c = rng.randint(1, 2)
    rows = [vals[i * 4:(i + 1) * 4] for i in range(4)]
    tex = ("\\begin{pmatrix} "
           + " \\\\ ".join(" & ".join(str(v) for v in row) for row in rows)
           + " \\end{pmatrix}")
    return {"werte": vals, "matrix": tex, "zeile": r, "spalte": c,
            "z1": 2 * r - 1, "z2": 2 * r, "s1": 2 * c - 1, "s2": 2 * c}


def solve(params: dict) -> float:
    v = params["werte"]
    r = params["zeile"] - 1
    c = params["spalte"] - 1
    return float(max(v[(2 * r + i) * 4 + 2 * c + j] for i in range(2) for j in range(2)))
