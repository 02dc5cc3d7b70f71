"""Grade one answer to one variant: a score in [0, 1] and German feedback (separate from generation).

``grade`` takes an answer in canonical form (see ``_variant``) or the raw text a student typed;
``parse_answer`` turns typed text ("b", "a, c", "3 1 2 4", "0,25") into canonical form.
"""

from __future__ import annotations

import re
from typing import Any

from ._numbers import AmbiguousNumber, NumberError, format_de, parse_number
from ._variant import Variant

REVIEW_NOTE = "Deine Antwort ist zur Prüfung durch Lehrende vorgemerkt."
_TOKENS = re.compile(r"[\s,;]+")


class AnswerError(ValueError):
    """Typed input that does not fit the question (message German, ask again)."""


class AmbiguousAnswer(AnswerError):
    """A number like ``5.400`` that reads two ways; ``readings`` (grouped, decimal) to ask which one."""

    def __init__(self, message: str, readings: tuple[float, float]):
        super().__init__(message)
        self.readings = readings


def letter(i: int) -> str:
    return chr(ord("a") + i)


def _index(token: str, n: int) -> int:
    """A displayed label (``b`` or ``2``) as a 0-based display position."""
    token = token.strip().rstrip(")").rstrip(".").lower()
    if len(token) == 1 and "a" <= token <= "z":
        i = ord(token) - ord("a")
    elif token.isdigit():
        i = int(token) - 1
    else:
        raise AnswerError(f"„{token}“ ist weder ein Buchstabe (a, b, …) noch eine Nummer.")
    if not 0 <= i < n:
        raise AnswerError(f"„{token}“ gibt es nicht (1–{n} bzw. a–{letter(n - 1)}).")
    return i


def _tokens(raw: str) -> list[str]:
    return [t for t in _TOKENS.split(str(raw).strip()) if t]


def parse_answer(v: Variant, raw: str) -> Any:
    """Typed text to the canonical answer; ``AnswerError`` when it does not fit."""
    q = v.question
    if q.type == "single":
        tokens = _tokens(raw)
        if len(tokens) != 1:
            raise AnswerError("Bitte genau eine Antwort angeben (z. B. b).")
        return v.order[_index(tokens[0], len(v.order))]
    if q.type == "multiple":
        picked = {v.order[_index(t, len(v.order))] for t in _tokens(raw) if t != "-"}
        return sorted(picked)
    if q.is_numeric:
        try:
            return parse_number(raw, q.unit)
        except AmbiguousNumber as exc:
            raise AmbiguousAnswer(str(exc), exc.readings) from None
        except NumberError as exc:
            raise AnswerError(str(exc)) from None
    if q.type == "text":
        if not str(raw).strip():
            raise AnswerError("Bitte eine Antwort eingeben.")
        return str(raw).strip()
    n = len(v.order)
    positions = [_index(t, n) for t in _tokens(raw)]
    if q.type == "ordering":
        if sorted(positions) != list(range(n)):
            raise AnswerError(f"Bitte alle {n} Nummern genau einmal in der richtigen Reihenfolge angeben "
                              f"(z. B. {' '.join(str(i) for i in range(n, 0, -1))}).")
        return [v.order[p] for p in positions]
    if len(positions) != n:
        raise AnswerError(f"Bitte für jede der {n} Zeilen einen Buchstaben angeben (z. B. "
                          f"{' '.join(letter(i) for i in range(n))}).")
    return [v.rights[p] for p in positions]


def normalize(v: Variant, answer: Any) -> Any:
    """Typed text or a canonical answer, checked, in canonical form; ``AnswerError`` when it cannot be."""
    q = v.question
    if isinstance(answer, str):
        return parse_answer(v, answer)
    if q.is_numeric and isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return float(answer)
    n = len(q.choices or q.items or q.pairs)
    if q.type == "single" and isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < n:
        return answer
    if isinstance(answer, (list, tuple)):
        values = list(answer)
        if q.type == "multiple" and all(isinstance(i, int) and 0 <= i < n for i in values):
            return sorted(set(values))
        if q.type == "ordering" and sorted(values) == list(range(n)):
            return values
        if q.type == "matching" and len(values) == n and all(isinstance(r, str) for r in values):
            return values
    if q.type == "ordering":
        raise AnswerError("Bitte jeden Schritt genau einmal einordnen.")
    if q.type == "matching":
        raise AnswerError("Bitte jede Zeile genau einmal zuordnen.")
    raise AnswerError("Die Antwort passt nicht zum Fragetyp.")


def grade(v: Variant, answer: Any) -> tuple[float, str]:
    """Score in [0, 1] and German feedback for this answer to this variant."""
    q = v.question
    if isinstance(answer, str) and q.type not in ("text",) and not q.is_numeric:
        try:
            answer = parse_answer(v, answer)
        except AnswerError as exc:
            return 0.0, _join(f"Antwort nicht lesbar: {exc}", v.feedback)
    return _GRADERS[q.type](v, answer)


def _join(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _single(v: Variant, answer) -> tuple[float, str]:
    choices = v.question.choices
    right = next(i for i, c in enumerate(choices) if c.correct)
    if not isinstance(answer, int) or not 0 <= answer < len(choices):
        return 0.0, _join("Keine gültige Antwort gewählt.", f"Richtig ist: {choices[right].text}", v.feedback)
    if answer == right:
        return 1.0, _join(choices[answer].feedback, v.feedback)
    return 0.0, _join(choices[answer].feedback, f"Richtig ist: {choices[right].text}", v.feedback)


def multiple_score(choices, picked: set[int]) -> float:
    """Right minus wrong: each right pick earns 1/#right, each wrong one costs 1/#wrong; floor 0."""
    right = {i for i, c in enumerate(choices) if c.correct}
    wrong = set(range(len(choices))) - right
    score = len(picked & right) / len(right) - (len(picked & wrong) / len(wrong) if wrong else 0.0)
    return max(0.0, min(1.0, score))


def _multiple(v: Variant, answer) -> tuple[float, str]:
    choices = v.question.choices
    picked = {i for i in (answer or []) if isinstance(i, int) and 0 <= i < len(choices)}
    score = multiple_score(choices, picked)
    right = {i for i, c in enumerate(choices) if c.correct}
    lines = [f"{len(picked & right)} von {len(right)} richtigen Antworten gewählt, "
             f"{len(picked - right)} falsche."]
    for i, choice in enumerate(choices):
        if (i in picked) != choice.correct:
            what = "gewählt, ist aber falsch" if i in picked else "nicht gewählt, ist aber richtig"
            lines.append(f"- „{choice.text}“ ({what}): {choice.feedback}")
    if score == 1.0:
        lines = ["Alles richtig."]
    return score, _join("\n".join(lines), v.feedback)


def _numeric(v: Variant, answer) -> tuple[float, str]:
    q = v.question
    unit = f" {q.unit}" if q.unit else ""
    expected = f"Richtig ist {q.precision.format(v.answer)}{unit} ({q.tolerance.describe()})."
    try:
        given = answer if isinstance(answer, (int, float)) and not isinstance(answer, bool) \
            else parse_number(str(answer), q.unit)
    except NumberError as exc:
        return 0.0, _join(str(exc), expected, v.feedback)
    if q.tolerance.accepts(float(given), v.answer):
        return 1.0, _join("Richtig.", v.feedback)
    return 0.0, _join(f"Leider falsch: {format_de(given)}{unit} liegt außerhalb der Toleranz.", expected,
                      v.feedback)


def text_matches(q, answer: str) -> bool:
    return any(re.search(pattern, answer, re.IGNORECASE) for pattern in q.accepted)


def _text(v: Variant, answer) -> tuple[float, str]:
    q = v.question
    answer = str(answer or "")
    sample = f"Musterlösung: {q.sample_answer}"
    if answer.strip() and text_matches(q, answer):
        return 1.0, _join("Richtig: Deine Antwort enthält das Erwartete.", sample, v.feedback)
    note = REVIEW_NOTE if q.review else ""
    return 0.0, _join("Deine Antwort enthält nicht, was erwartet wird.", note, sample, v.feedback)


def _ordering(v: Variant, answer) -> tuple[float, str]:
    items = v.question.items
    given = list(answer or [])
    correct_order = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    if given == list(range(len(items))):
        return 1.0, _join("Richtig: alle Schritte in der richtigen Reihenfolge.", v.feedback)
    wrong = [str(pos) for pos in range(1, len(items) + 1)
             if pos > len(given) or given[pos - 1] != pos - 1]
    return 0.0, _join(f"Falsch an Position {', '.join(wrong)}.", f"Richtige Reihenfolge:\n{correct_order}",
                      v.feedback)


def _matching(v: Variant, answer) -> tuple[float, str]:
    pairs = v.question.pairs
    given = list(answer or [])
    wrong = [(left, given[i] if i < len(given) else None, right)
             for i, (left, right) in enumerate(pairs) if i >= len(given) or given[i] != right]
    score = 1.0 - len(wrong) / len(pairs)
    lines = [f"{len(pairs) - len(wrong)} von {len(pairs)} Zuordnungen richtig."]
    lines += [f"- {left} → {chosen or '(keine)'} ist falsch; richtig: {right}" for left, chosen, right in wrong]
    return score, _join("\n".join(lines), v.feedback)


_GRADERS = {"single": _single, "multiple": _multiple, "numeric": _numeric, "parameterized": _numeric,
            "text": _text, "ordering": _ordering, "matching": _matching}
