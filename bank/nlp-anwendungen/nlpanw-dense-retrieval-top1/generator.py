import math
import random


def _cos(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def _vec(rng):
    while True:
        v = [rng.randint(0, 4) for _ in range(3)]
        if any(v):
            return v


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        q = _vec(rng)
        docs = [_vec(rng) for _ in range(3)]
        sims = sorted((_cos(q, d) for d in docs), reverse=True)
        # a document parallel to the query (similarity 1) gives the answer away
        if sims[0] - sims[1] >= 0.03 and sims[0] < 0.99:
            break
    params = {"q1": q[0], "q2": q[1], "q3": q[2]}
    for i, d in enumerate(docs, start=1):
        for j, x in enumerate(d, start=1):
            params["d{}{}".format(i, j)] = x
    return params


def solve(params: dict) -> float:
    q = [params["q1"], params["q2"], params["q3"]]
    docs = [[params["d{}{}".format(i, j)] for j in range(1, 4)] for i in range(1, 4)]
    return max(_cos(q, d) for d in docs)
