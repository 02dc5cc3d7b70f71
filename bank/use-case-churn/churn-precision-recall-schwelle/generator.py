import random


def _zaehlen(scores, labels, t):
    tp = sum(1 for s, y in zip(scores, labels) if s >= t and y == 1)
    fp = sum(1 for s, y in zip(scores, labels) if s >= t and y == 0)
    fn = sum(1 for s, y in zip(scores, labels) if s < t and y == 1)
    return tp, fp, fn


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        t = rng.choice([0.3, 0.4, 0.5, 0.6, 0.7])
        scores = [round(rng.uniform(0.02, 0.98), 2) for _ in range(10)]
        labels = [1 if rng.random() < s else 0 for s in scores]
        metrik = rng.choice(["Precision", "Recall"])
        tp, fp, fn = _zaehlen(scores, labels, t)
        if t in scores or tp + fp == 0 or tp + fn == 0:
            continue
        # 1 (no false positive or negative) and 0.5 are answers one guesses
        if solve({"scores": scores, "labels": labels, "t": t, "metrik": metrik}) in (0.0, 0.5, 1.0):
            continue
        break
    zeilen = ["| Kunde | " + " | ".join(chr(ord("A") + i) for i in range(10)) + " |",
              "|---" * 11 + "|",
              "| Score | " + " | ".join("{:.2f}".format(s) for s in scores) + " |",
              "| gekündigt | " + " | ".join("ja" if y else "nein" for y in labels) + " |"]
    return {"scores": scores, "labels": labels, "t": t, "metrik": metrik,
            "tabelle": "\n".join(zeilen)}


def solve(params: dict) -> float:
    tp, fp, fn = _zaehlen(params["scores"], params["labels"], params["t"])
    if params["metrik"] == "Precision":
        return tp / (tp + fp)
    return tp / (tp + fn)
