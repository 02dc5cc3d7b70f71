import math
import random


def _verteilung(rng, k):
    p = [5] * k
    for _ in range(100 - 5 * k):
        p[rng.randrange(k)] += 1
    return p


def _psi(e_prozent, a_prozent):
    psi = 0.0
    for e, a in zip(e_prozent, a_prozent):
        e, a = e / 100, a / 100
        psi += (a - e) * math.log(a / e)
    return psi


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    k = rng.choice([4, 5])
    e = _verteilung(rng, k)
    while True:
        # systematische Verschiebung: Masse wandert von den unteren in die oberen Bins
        # (oder umgekehrt), so dass ein deutlich messbarer PSI entsteht
        grenze = rng.randint(1, k - 1)
        quellen, ziele = list(range(grenze)), list(range(grenze, k))
        if rng.random() < 0.5:
            quellen, ziele = ziele, quellen
        a = list(e)
        for _ in range(rng.randint(6, 30)):
            i, j = rng.choice(quellen), rng.choice(ziele)
            if a[i] > 5:
                a[i] -= 1
                a[j] += 1
        if _psi(e, a) >= 0.02:
            break
    zeilen = ["| Bin | " + " | ".join(str(i) for i in range(1, k + 1)) + " |",
              "|---" * (k + 1) + "|",
              "| Training $e_i$ | " + " | ".join("{} %".format(x) for x in e) + " |",
              "| Produktion $a_i$ | " + " | ".join("{} %".format(x) for x in a) + " |"]
    return {"k": k, "e_prozent": e, "a_prozent": a, "tabelle": "\n".join(zeilen)}


def solve(params: dict) -> float:
    return _psi(params["e_prozent"], params["a_prozent"])
