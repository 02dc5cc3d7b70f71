import random

ANSWERS = (1, 2, 3)  # the number of the nearest centroid


def _d2(p, q):
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        x = (rng.randint(-5, 5), rng.randint(-5, 5))
        cs = [(rng.randint(-6, 6), rng.randint(-6, 6)) for _ in range(3)]
        if len(set(cs)) < 3:
            continue
        ds = [_d2(x, c) for c in cs]
        if sorted(ds)[0] < sorted(ds)[1]:
            break
    return {"x1": x[0], "x2": x[1],
            "a1": cs[0][0], "a2": cs[0][1], "b1": cs[1][0], "b2": cs[1][1],
            "c1": cs[2][0], "c2": cs[2][1], "d1": ds[0], "d2": ds[1], "d3": ds[2]}


def solve(params: dict) -> float:
    x = (params["x1"], params["x2"])
    cs = [(params["a1"], params["a2"]), (params["b1"], params["b2"]), (params["c1"], params["c2"])]
    ds = [_d2(x, c) for c in cs]
    return float(ds.index(min(ds)) + 1)
