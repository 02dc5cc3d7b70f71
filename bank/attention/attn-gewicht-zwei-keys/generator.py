import math
import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        q = [rng.randint(-2, 2) for _ in range(2)]
        if any(q):
            break
    k1 = [rng.randint(-2, 2) for _ in range(2)]
    k2 = [rng.randint(-2, 2) for _ in range(2)]
    return {"q1": q[0], "q2": q[1], "k11": k1[0], "k12": k1[1], "k21": k2[0], "k22": k2[1]}


def solve(params: dict) -> float:
    s1 = (params["q1"] * params["k11"] + params["q2"] * params["k12"]) / math.sqrt(2)
    s2 = (params["q1"] * params["k21"] + params["q2"] * params["k22"]) / math.sqrt(2)
    return 1.0 / (1.0 + math.exp(s2 - s1))
