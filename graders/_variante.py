"""``variante()``: a student's own numbers and data, drawn from the variant number of the notebook.

Part of the student kit (NumPy only). The source notebook calls ``variante()``; the per-student release
and the grader write the student's number into that call (``variante(7)``), derived from the student id
with the course secret (``graders._variants``): the notebook's own claim is never trusted. Every draw
comes from one generator seeded by the number, so the same calls in the same order give the same values
in the student's kernel, in the solution's run for the references and in the grader's run.
"""

from __future__ import annotations

import numpy as np

_SALT = 20261204  # keeps variant k's stream apart from np.random.default_rng(k) in a notebook's own code
_warned = []


class Variante:
    def __init__(self, nummer: int):
        if isinstance(nummer, bool) or not isinstance(nummer, int) or nummer < 0:
            raise ValueError(f"Die Variantennummer muss eine ganze Zahl ≥ 0 sein, nicht {nummer!r}.")
        self.nummer = nummer
        self._rng = np.random.default_rng([_SALT, nummer])

    def zahl(self, von: int, bis: int) -> int:
        """A whole number from ``von`` to ``bis`` (both included)."""
        return int(self._rng.integers(von, bis + 1))

    def kommazahl(self, von: float, bis: float, stellen: int = 2) -> float:
        """A number in [von, bis), rounded to ``stellen`` decimals."""
        return round(float(self._rng.uniform(von, bis)), stellen)

    def auswahl(self, optionen):
        """One of ``optionen`` (a list or tuple), as it is there."""
        optionen = list(optionen)
        if not optionen:
            raise ValueError("auswahl() braucht mindestens eine Option.")
        return optionen[int(self._rng.integers(len(optionen)))]

    def daten(self, *form: int, mittel: float = 0.0, streuung: float = 1.0) -> np.ndarray:
        """Normally distributed float64 data of shape ``form``."""
        return self._rng.normal(mittel, streuung, size=form)

    def seed(self) -> int:
        """A seed for the notebook's own generators (``np.random.default_rng(v.seed())``)."""
        return int(self._rng.integers(2**31 - 1))

    def __repr__(self) -> str:
        return f"Variante({self.nummer})"


def variante(nummer: int | None = None) -> Variante:
    """The notebook's variant; without a number (the instructor's source, a general release) variant 0."""
    if nummer is None:
        if not _warned:
            _warned.append(True)
            print("Hinweis: allgemeine Fassung (Variante 0). Bearbeite die persönliche Fassung deines Notebooks: "
                  "bewertet wird deine Variante.")
        nummer = 0
    return Variante(nummer)
