"""Is a parameterized question fair on every seed? ``graders bank validate`` runs this over many seeds.

A variant is unfair when a student can score without knowing the formula, or cannot score although
they know it:

- a plausible wrong formula lands inside the tolerance. A generator declares such formulas as
  ``distractors(params) -> {German label: value}``; each must miss the tolerance on every seed;
- one guess is right too often: the most frequent answer (at the asked precision) or 0 on more than
  ``MAX_GUESS_SHARE`` of the seeds, or a trivial value (0, 0,5, ±1: ties such as two equal dot
  products giving 0,5) on more than ``MAX_TRIVIAL_SHARE``.
  A question whose answer is one of a few values by design (an index, 0 or 1) says so with
  ``ANSWERS = (…)`` in its generator; then every answer must be one of them and none may dominate;
- an absolute tolerance that is large against the answer (it accepts wrong formulas that land
  nearby): more than ``MAX_RELATIVE`` of a non-integer answer;
- a "Wie viele …" question whose answer is not a whole number, or whose tolerance reaches the next one;
- the answer rounded to the digits the question asks for falls outside the tolerance.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from . import _generators
from ._model import BankError, Question
from ._numbers import format_de

SEEDS = 200
MAX_GUESS_SHARE = 0.25
MAX_TRIVIAL_SHARE = 0.05
TRIVIAL = (0.0, 0.5, 1.0, -1.0)
MAX_RELATIVE = 0.2
_COUNT = re.compile(r"\bWie viele\b", re.IGNORECASE)


def check(question: Question, seeds: int = SEEDS) -> list[str]:
    """German problems of one parameterized question over ``seeds`` seeds; empty when fair."""
    module = _generators.generator(question)
    answers: list[float] = []
    found: dict[str, tuple[str, list[int]]] = {}   # kind of problem -> (first example, seeds)

    def note(kind: str, example: str, seed: int) -> None:
        found.setdefault(kind, (example, []))[1].append(seed)

    tolerance = question.tolerance
    # "Wie viele Minuten …" asks for a measurement (it has a unit), "Wie viele Parameter …" for a count
    counting = bool(_COUNT.search(question.text)) and not question.unit
    for seed in range(seeds):
        params = _generators.parameters(question, seed)
        answer = _generators.solution(question, params)
        answers.append(answer)
        for label, wrong in _distractors(question, module, params).items():
            if tolerance.accepts(wrong, answer):
                note(f"distractor/{label}", f"die falsche Formel „{label}“ ergibt {_short(wrong)} und liegt in "
                     f"der Toleranz um {_short(answer)}", seed)
        if counting and (not float(answer).is_integer() or tolerance.absolute(answer) >= 1):
            note("count", f"„Wie viele“ verlangt eine ganze Zahl und eine Toleranz unter 1, hier {_short(answer)} "
                 f"± {_short(tolerance.absolute(answer))}", seed)
        if (tolerance.kind == "abs" and answer != 0 and not float(answer).is_integer()
                and tolerance.absolute(answer) > MAX_RELATIVE * abs(answer)):
            note("relative", f"die absolute Toleranz {_short(tolerance.value)} ist mehr als "
                 f"{_short(MAX_RELATIVE * 100)} % der Antwort {_short(answer)} (Parameter neu ziehen oder "
                 f"relative Toleranz)", seed)
        shown = _rounded(question, answer)
        if not tolerance.accepts(shown, answer):
            note("rounding", f"die auf {question.precision.describe()} gerundete Antwort {_short(shown)} liegt "
                 f"außerhalb der Toleranz um {_short(answer)}", seed)
    out = [f"{example} ({_seeds(hits, seeds)})" for example, hits in found.values()]
    return out + _guessable(question, module, answers)


def declared(question: Question) -> int:
    """How many wrong formulas the question's generator declares (for seed 0)."""
    module = _generators.generator(question)
    return len(_distractors(question, module, _generators.parameters(question, 0)))


def _distractors(question: Question, module, params: dict) -> dict[str, float]:
    function = getattr(module, "distractors", None)
    if function is None:
        return {}
    try:
        values = function(dict(params))
        return {str(label): float(value) for label, value in values.items() if math.isfinite(float(value))}
    except Exception as exc:
        raise BankError(f"{question.topic}/{question.qid}: distractors() schlägt fehl "
                        f"({type(exc).__name__}: {exc}).") from None


def _guessable(question: Question, module, answers: list[float]) -> list[str]:
    declared = getattr(module, "ANSWERS", None)
    if declared is not None:
        allowed = [float(a) for a in declared]
        outside = sorted({a for a in answers if not any(question.tolerance.accepts(a, x) for x in allowed)})
        if outside:
            return [f"Antworten {', '.join(map(_short, outside[:5]))} stehen nicht in ANSWERS"]
        limit = 1 / len(allowed) + MAX_GUESS_SHARE
        shares = Counter(min(allowed, key=lambda x: abs(x - a)) for a in answers)
        value, count = shares.most_common(1)[0]
        if count / len(answers) > limit:
            return [f"die Antwort {_short(value)} kommt in {_short(round(count / len(answers) * 100))} % der Seeds vor "
                    f"(höchstens {_short(round(limit * 100))} % bei {len(allowed)} möglichen Antworten)"]
        return []
    shown = Counter(_rounded(question, a) for a in answers)
    value, count = shown.most_common(1)[0]
    problems = []
    guessable = count / len(answers) > MAX_GUESS_SHARE
    if guessable:
        problems.append(f"die Antwort {_short(value)} kommt in {_percent(count, answers)} der Seeds vor: Raten lohnt "
                        f"sich (höchstens {_short(MAX_GUESS_SHARE * 100)} %; ANSWERS deklarieren, wenn gewollt)")
    for trivial in TRIVIAL:
        hits = sum(question.tolerance.accepts(trivial, a) for a in answers)
        if hits / len(answers) > MAX_TRIVIAL_SHARE and not (guessable and trivial == value):
            problems.append(f"die triviale Antwort {_short(trivial)} (z. B. ein Gleichstand) ist in "
                            f"{_percent(hits, answers)} der Seeds richtig (höchstens "
                            f"{_short(MAX_TRIVIAL_SHARE * 100)} %)")
    return problems


def _percent(count: int, answers: list) -> str:
    return f"{_short(round(count / len(answers) * 100))} %"


def _rounded(question: Question, answer: float) -> float:
    """The answer rounded as the question asks (what a careful student types)."""
    precision = question.precision
    if precision.decimals is not None:
        return round(answer, precision.decimals)
    return float(f"{answer:.{precision.digits - 1}e}")


def _short(value: float) -> str:
    return format_de(value)


def _seeds(hits: list[int], total: int) -> str:
    listed = ", ".join(map(str, hits[:5])) + (", …" if len(hits) > 5 else "")
    return f"Seed {listed}; {len(hits)} von {total} Seeds"
