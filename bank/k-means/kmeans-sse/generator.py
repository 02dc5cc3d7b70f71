import random


def _cluster(rng):
    while True:
        c = (rng.randint(-6, 6), rng.randint(-6, 6))
        p1 = (c[0] + rng.randint(-3, 3), c[1] + rng.randint(-3, 3))
        p2 = (c[0] + rng.randint(-3, 3), c[1] + rng.randint(-3, 3))
        p3 = (3 * c[0] - p1[0] - p2[0], 3 * c[1] - p1[1] - p2[1])
        pts = [p1, p2, p3]
        if len(set(pts)) == 3 and c not in pts and max(abs(p3[0] - c[0]), abs(p3[1] - c[1])) <= 4:
            return c, pts


def _d2(p, q):
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        c1, a = _cluster(rng)
        c2, b = _cluster(rng)
        ok = all(_d2(p, c1) < _d2(p, c2) for p in a) and all(_d2(p, c2) < _d2(p, c1) for p in b)
        if ok and c1 != c2:
            break
    fmt = lambda p: "({}, {})".format(p[0], p[1])
    return {
        "mu1": fmt(c1), "mu2": fmt(c2),
        "pts1": ", ".join("$" + fmt(p) + "$" for p in a),
        "pts2": ", ".join("$" + fmt(p) + "$" for p in b),
        "c1": list(c1), "c2": list(c2),
        "a": [v for p in a for v in p], "b": [v for p in b for v in p],
        "q1": " + ".join(str(_d2(p, c1)) for p in a),
        "q2": " + ".join(str(_d2(p, c2)) for p in b),
    }


def solve(params: dict) -> float:
    total = 0
    for key, c in (("a", params["c1"]), ("b", params["c2"])):
        v = params[key]
        for i in range(0, len(v), 2):
            total += (v[i] - c[0]) ** 2 + (v[i + 1] - c[1]) ** 2
    return float(total)
