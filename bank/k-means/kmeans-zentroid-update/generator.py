import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        n = rng.randint(3, 5)
        pts = [(rng.randint(-4, 9), rng.randint(-4, 9)) for _ in range(n)]
        achse = rng.randint(0, 1)
        # a mean of 0, ±1 or 0.5 is too easy to guess
        if sum(p[achse] for p in pts) / n not in (0, 1, -1, 0.5):
            break
    punkte = ", ".join("$({}, {})$".format(p[0], p[1]) for p in pts)
    return {"n": n, "xs": [p[0] for p in pts], "ys": [p[1] for p in pts],
            "punkte": punkte, "achse": achse,
            "achse_text": "erste" if achse == 0 else "zweite",
            "summe": sum(p[achse] for p in pts)}


def solve(params: dict) -> float:
    vals = params["xs"] if params["achse"] == 0 else params["ys"]
    return sum(vals) / len(vals)
