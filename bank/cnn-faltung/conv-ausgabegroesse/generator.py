import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        w = rng.choice([28, 32, 48, 64, 96, 128, 150, 224, 227])
        k = rng.choice([1, 3, 3, 5, 7, 11])
        p = rng.randint(0, k // 2)
        s = rng.choice([1, 1, 2, 2, 3, 4])
        c = rng.choice([1, 3, 16, 32, 64])
        f = rng.choice([16, 32, 64, 128])
        if w - k + 2 * p >= 0:
            return {"w": w, "c": c, "k": k, "p": p, "s": s, "f": f}


def solve(params: dict) -> float:
    w, k, p, s = params["w"], params["k"], params["p"], params["s"]
    return float((w - k + 2 * p) // s + 1)
