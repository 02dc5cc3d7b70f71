import math
import random

ANSWERS = (0, 1)  # core point or not


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    want_core = rng.random() < 0.5
    while True:
        eps = rng.choice([1.2, 1.6, 2.1, 2.9])
        minpts = rng.choice([3, 4, 5, 6])
        px, py = rng.randint(-3, 3), rng.randint(-3, 3)
        pts = []
        while len(pts) < 8:
            q = (px + rng.randint(-4, 4), py + rng.randint(-4, 4))
            if q != (px, py) and q not in pts:
                pts.append(q)
        ds = [math.hypot(q[0] - px, q[1] - py) for q in pts]
        if any(abs(d - eps) < 0.05 for d in ds):
            continue
        inside = [q for q, d in zip(pts, ds) if d <= eps]
        count = 1 + len(inside)
        if (count >= minpts) == want_core:
            break
    names = "ABCDEFGH"
    punkte = ", ".join("${}=({}, {})$".format(names[i], q[0], q[1]) for i, q in enumerate(pts))
    nachbarn = ", ".join(["P"] + [names[i] for i, d in enumerate(ds) if d <= eps])
    return {"eps": eps, "minpts": minpts, "px": px, "py": py,
            "xs": [q[0] for q in pts], "ys": [q[1] for q in pts],
            "punkte": punkte, "anzahl": count, "nachbarn": nachbarn}


def solve(params: dict) -> float:
    px, py, eps = params["px"], params["py"], params["eps"]
    count = 1 + sum(1 for x, y in zip(params["xs"], params["ys"])
                    if math.hypot(x - px, y - py) <= eps)
    return 1.0 if count >= params["minpts"] else 0.0
