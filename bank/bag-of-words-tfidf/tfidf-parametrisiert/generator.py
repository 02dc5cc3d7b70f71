import math
import random

TERME = ["kündigung", "tarif", "rechnung", "netzabdeckung", "vertrag", "hotline", "roaming"]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    df = rng.randint(1, n - 1)
    return {
        "N": n,
        "df": df,
        "term": rng.choice(TERME),
        "laenge": rng.randint(10, 200),
        "anzahl": rng.randint(1, 6),
    }


def solve(params: dict) -> float:
    tf = params["anzahl"] / params["laenge"]
    idf = math.log(params["N"] / params["df"])
    return tf * idf
