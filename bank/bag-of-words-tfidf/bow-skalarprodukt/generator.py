import random

VOKABULAR = ["daten", "modell", "lernen", "netz", "text", "bild"]


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    doc_a = [rng.choice(VOKABULAR) for _ in range(rng.randint(4, 7))]
    doc_b = [rng.choice(VOKABULAR) for _ in range(rng.randint(4, 7))]
    return {
        "vokabular": ", ".join(VOKABULAR),
        "doc_a": " ".join(doc_a),
        "doc_b": " ".join(doc_b),
    }


def solve(params: dict) -> float:
    vokabular = [w.strip() for w in params["vokabular"].split(",")]
    a = params["doc_a"].split()
    b = params["doc_b"].split()
    return float(sum(a.count(w) * b.count(w) for w in vokabular))
