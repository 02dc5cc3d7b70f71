import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    n = rng.randint(3, 6)
    laengen = [rng.randint(2, 15) for _ in range(n)]
    return {
        "n": n,
        "laengen": laengen,
        "laengen_text": ", ".join(str(l) for l in laengen),
    }


def solve(params: dict) -> float:
    laengen = params["laengen"]
    m = max(laengen)
    return float(sum(m - l for l in laengen))
