"""``graders bank validate``: the bank keeps the promises of bank/FORMAT.md, and its exports re-read.

Checks: every question parses with its type's keys; uuids and qids unique; every topic has at least
``MIN_PER_TOPIC`` questions; every generator is deterministic for seeds 0..SEEDS-1, returns plain
parameters and a finite answer, and its text and feedback format, and is fair over ``_fairness.SEEDS``
seeds (declared wrong formulas outside the tolerance, no guessable answers); every question's own
answer scores 1 with its grader and a clearly wrong one 0 (numeric answers also typed with a decimal
comma; an ambiguous ``1.177`` is refused); at
least ``MIN_NUMERIC_SHARE`` of the questions are numeric or parameterized; every export format,
written to a temporary folder, re-reads to the same content.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import _fairness, _generators
from ._grade import grade
from ._items import VARIANTS
from ._load import read_bank
from ._model import TYPES, Bank, BankError, Question
from ._numbers import AmbiguousNumber, format_de, format_plain, parse_number
from ._reread import check_export
from ._variant import solution, variant
from .export import FORMATS, SUFFIX, export

MIN_PER_TOPIC = 6
SEEDS = 50
MIN_NUMERIC_SHARE = 0.25


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    questions: int = 0
    topics: int = 0
    per_type: dict[str, int] = field(default_factory=dict)
    smallest_topic: tuple[str, int] = ("", 0)
    numeric_share: float = 0.0
    generators: int = 0
    distractors: int = 0
    exports: dict[str, int] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)   # worth fixing, not failing: question.yaml wording

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        """German lines for the terminal."""
        types = ", ".join(f"{t} {self.per_type.get(t, 0)}" for t in TYPES)
        lines = [f"{self.questions} Fragen in {self.topics} Themen (kleinstes Thema: {self.smallest_topic[0]} "
                 f"mit {self.smallest_topic[1]}).",
                 f"Typen: {types}.",
                 f"Numerisch oder parametrisiert: {_percent(self.numeric_share)} "
                 f"(mindestens {_percent(MIN_NUMERIC_SHARE)}).",
                 f"Generatoren: {self.generators} × {SEEDS} Seeds deterministisch, endlich, Text formatierbar.",
                 f"Fairness: {self.generators} × {_fairness.SEEDS} Seeds ohne ratbare oder triviale Antworten, "
                 f"Toleranz passend zur Antwort; {self.distractors} falsche Formeln stets außerhalb der Toleranz."]
        if self.exports:
            lines.append("Exporte wieder eingelesen: " + ", ".join(f"{k} {v}" for k, v in self.exports.items())
                         + f" Fragen (parametrisierte je {VARIANTS} Varianten).")
        return lines


def _percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",").removesuffix(",0") + " %"


def validate_bank(root: Path, exports: bool = True) -> Report:
    bank, problems = read_bank(Path(root))
    report = Report(problems=list(problems), questions=len(bank.questions), topics=len(bank.topics))
    report.per_type = dict(Counter(q.type for q in bank.questions))
    sizes = Counter(q.topic for q in bank.questions)
    for topic in bank.topics:
        if sizes[topic.key] < MIN_PER_TOPIC:
            report.problems.append(f"Thema {topic.key}: {sizes[topic.key]} Fragen, mindestens {MIN_PER_TOPIC} nötig")
    if bank.topics:
        smallest = min(bank.topics, key=lambda t: sizes[t.key])
        report.smallest_topic = (smallest.key, sizes[smallest.key])
    for q in bank.questions:
        report.problems += [f"{q.topic}/{q.qid}: {p}" for p in check_question(q)]
    report.generators = report.per_type.get("parameterized", 0)
    report.distractors = sum(_fairness.declared(q) for q in bank.questions if q.type == "parameterized")
    numeric = sum(q.is_numeric for q in bank.questions)
    report.numeric_share = numeric / len(bank.questions) if bank.questions else 0.0
    if report.numeric_share < MIN_NUMERIC_SHARE:
        report.problems.append(f"nur {_percent(report.numeric_share)} numerische/parametrisierte Fragen, "
                               f"mindestens {_percent(MIN_NUMERIC_SHARE)} nötig")
    report.hints = decimal_hints(bank)
    if exports and bank.questions and not report.problems:
        report.problems += _check_exports(bank, report)
    return report


def _check_exports(bank: Bank, report: Report) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory(prefix="graders-bank-") as tmp:
        for fmt in FORMATS:
            path = Path(tmp) / f"bank{SUFFIX[fmt]}"
            try:
                report.exports[fmt] = export(bank, fmt, path)
            except BankError as exc:
                problems.append(f"{fmt}: Export schlägt fehl: {exc}")
                continue
            problems += check_export(fmt, path, bank)
    return problems


_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
_DOT_DECIMAL = re.compile(r"(?<![\w.,{$])\d+\.\d+(?![\w.])")
# "0,5, 1,2" or "$(0{,}5,\ 1{,}2)$": a list comma right after a decimal comma
_COMMA_LIST = re.compile(r"\d(?:\{,\}|,)\d+\s*,(?:\\[ ,;]|\s)\s*-?\d")


def decimal_hints(bank: Bank) -> list[str]:
    """Questions whose own wording writes numbers the German way only half (question.yaml to edit)."""
    dots, lists = [], []
    for q in bank.questions:
        texts = [q.text, q.feedback, q.sample_answer, *(c.text for c in q.choices), *(c.feedback for c in q.choices),
                 *q.items, *(side for pair in q.pairs for side in pair)]
        if any(_DOT_DECIMAL.search(_CODE.sub("", t)) for t in texts):
            dots.append(q.qid)
        try:
            shown = [variant(q, 0).text, variant(q, 0).feedback] if q.type == "parameterized" else texts
        except BankError:
            continue   # reported as a problem
        if any(_COMMA_LIST.search(_CODE.sub("", t)) for t in shown):
            lists.append(q.qid)
    hints = []
    if dots:
        hints.append(f"{len(dots)} Fragen schreiben Zahlen mit Punkt (Dezimalpunkt oder Tausenderpunkt) statt "
                     f"Dezimalkomma bzw. schmalem Leerzeichen: {', '.join(dots)}")
    if lists:
        hints.append(f"{len(lists)} Fragen trennen Dezimalzahlen mit Komma (besser Semikolon): {', '.join(lists)}")
    return hints


def check_question(q: Question) -> list[str]:
    try:
        if q.type == "parameterized":
            return _check_generator(q)
        return _check_answers(variant(q, 0))
    except BankError as exc:
        return [str(exc).split(": ", 1)[-1]]


def _plain(value) -> bool:
    if isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


def _check_generator(q: Question) -> list[str]:
    for seed in range(SEEDS):
        first = _generators.parameters(q, seed)
        again = _generators.parameters(q, seed)
        if first != again:
            return [f"generate({seed}) ist nicht deterministisch ({first} ≠ {again})"]
        odd = [k for k, v in first.items() if not isinstance(k, str) or not _plain(v)]
        if odd:
            return [f"generate({seed}): Parameter {odd} sind keine einfachen Zahlen, Texte oder Listen"]
        problems = _check_answers(variant(q, seed))
        if problems:
            return [f"Seed {seed}: {p}" for p in problems]
    return _fairness.check(q)


def _check_answers(v) -> list[str]:
    """The question's own answer scores 1, a clearly wrong one 0."""
    q = v.question
    right = solution(v)
    problems = []
    if q.is_numeric:
        # as the explanations print it, with a decimal comma, and as a number
        typed = [format_de(right, 12), format_plain(right).replace(".", ","), right]
        plain = format_plain(right)
        try:
            parse_number(plain)
            typed.append(plain)
        except AmbiguousNumber:
            # "1.177": 1177 or 1,177? refused, never silently read one way
            score, feedback = grade(v, plain)
            if score != 0.0 or "mehrdeutig" not in feedback:
                problems.append(f"die mehrdeutige Eingabe {plain} wird nicht zurückgewiesen")
        if any(grade(v, answer)[0] != 1.0 for answer in typed):
            problems.append(f"die eigene Antwort {format_de(right, 12)} wird nicht als richtig bewertet")
        wrong = right + max(1.0, abs(right)) + 10 * q.tolerance.absolute(right)
        if grade(v, format_plain(wrong))[0] != 0.0:
            problems.append(f"die falsche Antwort {wrong} wird nicht als falsch bewertet")
        return problems
    if grade(v, right)[0] != 1.0:
        what = "die Musterlösung passt auf kein Muster in accepted" if q.type == "text" else \
            "die richtige Antwort bekommt nicht die volle Punktzahl"
        problems.append(what)
    if grade(v, _wrong(v))[0] != 0.0:
        problems.append("eine falsche Antwort bekommt Punkte")
    return problems


def _wrong(v):
    q = v.question
    if q.type == "single":
        return next(i for i, c in enumerate(q.choices) if not c.correct)
    if q.type == "multiple":
        return [i for i, c in enumerate(q.choices) if not c.correct]
    if q.type == "text":
        return "\u2014"   # a lone dash matches no sensible pattern
    if q.type == "ordering":
        return list(range(len(q.items)))[::-1]
    rights = [right for _, right in q.pairs]
    return rights[1:] + rights[:1]
