import math
import random

MIN_ANSWER = 0.01  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    z = [rng.randint(-20, 30) / 10 for _ in range(3)]
    k = rng.randint(0, 2)
    return {"z0": z[0], "z1": z[1], "z2": z[2], "k": k, "zk": z[k]}


def solve(params: dict) -> float:
    z = [params["z0"], params["z1"], params["z2"]]
    e = [math.exp(v) for v in z]
    return e[params["k"]] / sum(e)


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
