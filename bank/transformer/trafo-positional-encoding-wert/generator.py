import math
import random

MIN_ANSWER = 0.025  # five times the tolerance


def _draw(rng: random.Random) -> dict:
    d_model = rng.choice([8, 16, 32, 64, 128, 512])
    return {
        "pos": rng.randint(1, 50),
        "j": rng.randint(0, 7),
        "d_model": d_model,
    }


def solve(params: dict) -> float:
    pos, j, d = params["pos"], params["j"], params["d_model"]
    i = j // 2
    arg = pos / (10000 ** (2 * i / d))
    return math.sin(arg) if j % 2 == 0 else math.cos(arg)


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        params = _draw(rng)
        # an answer near 0 would make the absolute tolerance a large relative one
        if abs(solve(params)) >= MIN_ANSWER:
            return params
