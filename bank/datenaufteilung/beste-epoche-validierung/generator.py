import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    epochs = rng.randint(8, 12)
    best = rng.randint(3, epochs - 2)
    train = [rng.randint(90, 130)]
    for _ in range(epochs - 1):
        train.append(train[-1] - rng.randint(2, max(3, train[-1] // 6)))
    val = [0] * epochs
    val[best - 1] = rng.randint(35, 60)
    for i in range(best - 2, -1, -1):
        val[i] = val[i + 1] + rng.randint(3, 15)
    for i in range(best, epochs):
        val[i] = val[i - 1] + rng.randint(1, 8)
    return {"epochs": epochs,
            "train_loss": [t / 100 for t in train],
            "val_loss": [v / 100 for v in val]}


def solve(params: dict) -> float:
    val = params["val_loss"]
    return float(val.index(min(val)) + 1)
