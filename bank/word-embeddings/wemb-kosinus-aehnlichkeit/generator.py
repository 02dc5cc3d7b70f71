import math
import random


def _vec(rng):
    while True:
        v = [rng.randint(-3, 3) for _ in range(3)]
        if any(v):
            return v


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        a = _vec(rng)
        b = _vec(rng)
        params = {"a1": a[0], "a2": a[1], "a3": a[2], "b1": b[0], "b2": b[1], "b3": b[2]}
        # orthogonal (0) or parallel (±1) vectors give the answer away
        if 0.025 <= abs(solve(params)) <= 0.99:
            return params


def solve(params: dict) -> float:
    a = [params["a1"], params["a2"], params["a3"]]
    b = [params["b1"], params["b2"], params["b3"]]
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb)
