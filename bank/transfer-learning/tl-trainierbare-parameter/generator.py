import random

BASES = [
    ("VGG16", 224, 7, 512, "14.714.688"),
    ("VGG16", 160, 5, 512, "14.714.688"),
    ("VGG16", 150, 4, 512, "14.714.688"),
    ("ResNet50", 224, 7, 2048, "23.587.712"),
    ("ResNet50", 160, 5, 2048, "23.587.712"),
]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    modell, eingabe, h, c, basis = rng.choice(BASES)
    return {"modell": modell, "eingabe": eingabe, "h": h, "c": c, "basis": basis,
            "u": rng.choice([64, 128, 256, 512]), "n": rng.choice([2, 3, 5, 10, 20])}


def solve(params: dict) -> float:
    h, c, u, n = params["h"], params["c"], params["u"], params["n"]
    return float(h * h * c * u + u + u * n + n)
