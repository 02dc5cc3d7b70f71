import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
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
