"""Answer weights as Moodle accepts them: only these percentages (and their negatives) import cleanly."""

from __future__ import annotations

from ._model import BankError

MOODLE_WEIGHTS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
                  "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0")
ALLOWED = frozenset(MOODLE_WEIGHTS) | frozenset(f"-{w}" for w in MOODLE_WEIGHTS if w != "0")


def weight(percent: float) -> str:
    """The allowed weight for this percentage; a ``BankError`` when none is within 0.001."""
    best = min(ALLOWED, key=lambda w: abs(float(w) - percent))
    if abs(float(best) - percent) > 1e-3:
        raise BankError(f"Gewicht {percent:.5f} % ist in Moodle nicht erlaubt.")
    return best


def choice_weights(correct: list[bool], single: bool) -> list[str]:
    """single: 100 / 0; multiple: right ones share 100, wrong ones share -100 (our right-minus-wrong)."""
    if single:
        return ["100" if c else "0" for c in correct]
    right = sum(correct)
    wrong = len(correct) - right
    return [weight(100 / right) if c else weight(-100 / wrong) for c in correct]
