import math
import random

# d_k = d_model / h varied (16 … 128), none more often than twice: with d_k = 64 in half the
# combinations, the answer 8 was right for a guess
KOMBINATIONEN = [(256, 4), (768, 12), (256, 8), (512, 16), (768, 8), (1536, 16), (1024, 8), (2048, 16),
                 (384, 8), (768, 16), (640, 8), (960, 12), (480, 12), (320, 8), (384, 16), (192, 8),
                 (256, 16), (576, 4), (1152, 8)]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    d_model, h = rng.choice(KOMBINATIONEN)
    return {"d_model": d_model, "h": h}


def solve(params: dict) -> float:
    return math.sqrt(params["d_model"] / params["h"])


def distractors(params: dict) -> dict:
    return {
        "d_k ohne Wurzel": params["d_model"] / params["h"],
        "√d_model statt √d_k": math.sqrt(params["d_model"]),
    }
