import random


def _stop_epoch(losses, patience):
    best = float("inf")
    wait = 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best = loss
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return len(losses)


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    while True:
        length = rng.randint(10, 14)
        p = rng.choice([2, 3])
        b = rng.randint(3, length - p)
        losses = [round(rng.uniform(0.8, 1.2), 3)]
        for epoch in range(2, b + 1):
            if p == 3 and epoch < b and rng.random() < 0.25:
                losses.append(round(losses[-1] + rng.uniform(0.005, 0.03), 3))
            else:
                losses.append(round(min(losses) - rng.uniform(0.01, 0.08), 3))
        best = min(losses)
        for _ in range(length - b):
            losses.append(round(best + rng.uniform(0.005, 0.1), 3))
        if _stop_epoch(losses, p) == b + p and losses.index(best) == b - 1:
            break
    zeilen = ["| Epoche | " + " | ".join(str(i) for i in range(1, length + 1)) + " |",
              "|---" * (length + 1) + "|",
              "| val_loss | " + " | ".join("{:.3f}".format(x) for x in losses) + " |"]
    return {"L": length, "p": p, "val_loss": losses, "tabelle": "\n".join(zeilen)}


def solve(params: dict) -> float:
    return float(_stop_epoch(params["val_loss"], params["p"]))
