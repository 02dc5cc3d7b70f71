import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    lrs = sorted(rng.sample([0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03], rng.randint(2, 5)))
    bss = sorted(rng.sample([16, 32, 64, 128, 256], rng.randint(2, 4)))
    dos = sorted(rng.sample([0.0, 0.1, 0.2, 0.3, 0.5], rng.randint(2, 4)))
    k = rng.choice([3, 5, 10])
    # semicolons: the values are shown with a decimal comma
    return {
        "lr_list": "; ".join(str(x) for x in lrs),
        "bs_list": "; ".join(str(x) for x in bss),
        "do_list": "; ".join(str(x) for x in dos),
        "k": k,
    }


def solve(params: dict) -> float:
    n = 1
    for key in ("lr_list", "bs_list", "do_list"):
        n *= len(params[key].split(";"))
    return float(n * params["k"])
