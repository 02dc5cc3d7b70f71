"""The question bank as data (bank/FORMAT.md is the contract): topics, questions, tolerances."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from .._topics import Topic
from ..course import CourseError

TYPES = ("single", "multiple", "numeric", "parameterized", "text", "ordering", "matching")
CHOICE_TYPES = ("single", "multiple")
NUMERIC_TYPES = ("numeric", "parameterized")


class BankError(CourseError):
    """A broken bank or a request it cannot serve (message for the user, German)."""


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Tolerance:
    kind: str  # abs | rel | sigfigs
    value: float

    def absolute(self, answer: float) -> float:
        """The tolerance as a bound around this concrete answer (what Moodle's syntax needs)."""
        if self.kind == "abs":
            return float(self.value)
        if self.kind == "rel":
            return abs(answer) * float(self.value)
        # sigfigs: half a unit in the last significant place of the answer
        digits = int(self.value)
        if answer == 0:
            return 0.5 * 10.0 ** (1 - digits)
        return 0.5 * 10.0 ** (math.floor(math.log10(abs(answer))) - digits + 1)

    def accepts(self, given: float, answer: float) -> bool:
        # the slack only absorbs binary rounding of values like 0.1 + 0.2; relative for relative
        # tolerances, so an answer of 1e-15 does not accept 0
        bound = self.absolute(answer)
        slack = 1e-12 * (max(1.0, abs(answer)) if self.kind == "abs" else abs(answer))
        return abs(given - answer) <= bound * (1 + 1e-9) + slack

    def describe(self) -> str:
        """German, for feedback and answer keys."""
        from ._numbers import format_de

        if self.kind == "abs":
            return f"± {format_de(self.value)}"
        if self.kind == "rel":
            return f"± {format_de(self.value * 100)} %"
        return f"{int(self.value)} signifikante Stellen"


_NUMBER_WORDS = {"eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6}
_ASKED = re.compile(r"\b(\d+|eine[r]?|zwei|drei|vier|fünf|sechs)\s+(Nachkommastellen?|signifikanten? Stellen?|"
                    r"signifikanten? Ziffern?|gültigen? Ziffern?)", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    qid: str
    topic: str
    uuid: str
    type: str
    difficulty: int
    source: str
    text: str
    feedback: str
    folder: Path
    exam_question: bool = False
    exam_only: bool = False                   # kept for exams: never in what students practise with
    choices: tuple[Choice, ...] = ()          # single, multiple
    answer: float | None = None               # numeric
    tolerance: Tolerance | None = None        # numeric, parameterized
    unit: str | None = None
    accepted: tuple[str, ...] = ()            # text
    sample_answer: str = ""
    review: bool = False
    items: tuple[str, ...] = ()               # ordering, in the correct order
    pairs: tuple[tuple[str, str], ...] = ()   # matching
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def generator_path(self) -> Path:
        return self.folder / "generator.py"

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @cached_property
    def precision(self) -> "Precision | None":
        """The digits a numeric question asks for: as its text says, else as its tolerance implies."""
        from ._numbers import Precision

        if not self.is_numeric:
            return None
        asked = _ASKED.search(self.text)
        if asked:
            count = int(asked.group(1)) if asked.group(1).isdigit() else _NUMBER_WORDS[asked.group(1).lower()]
            return Precision(decimals=count) if asked.group(2).startswith("Nachkomma") else Precision(digits=count)
        tol = self.tolerance
        if tol.kind == "sigfigs":
            return Precision(digits=int(tol.value))
        if tol.kind == "rel":
            return Precision(digits=max(1, math.ceil(-math.log10(tol.value) - 1e-9)) + 1)
        return Precision(decimals=max(0, math.ceil(-math.log10(tol.value) - 1e-9)))


@dataclass(frozen=True)
class Bank:
    root: Path
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]

    @cached_property
    def _by_qid(self) -> dict[str, Question]:
        return {q.qid: q for q in self.questions}

    @cached_property
    def _topics(self) -> dict[str, Topic]:
        return {t.key: t for t in self.topics}

    def topic(self, key: str) -> Topic:
        try:
            return self._topics[key]
        except KeyError:
            raise BankError(f"Unbekanntes Thema {key!r}. Themen stehen in bank/topics.yaml.") from None

    def question(self, qid: str) -> Question:
        try:
            return self._by_qid[qid]
        except KeyError:
            raise BankError(f"Unbekannte Frage {qid!r}.") from None

    def has(self, qid: str) -> bool:
        return qid in self._by_qid

    def in_topic(self, key: str) -> list[Question]:
        return [q for q in self.questions if q.topic == key]

    def for_practice(self) -> "Bank":
        """The bank without its exam-only questions."""
        return Bank(self.root, self.topics, tuple(q for q in self.questions if not q.exam_only))

    def select(self, topics: list[str] | None) -> "Bank":
        """The bank restricted to these topics (all when empty), in course order."""
        if not topics:
            return self
        wanted = {self.topic(key).key for key in topics}
        return Bank(self.root, tuple(t for t in self.topics if t.key in wanted),
                    tuple(q for q in self.questions if q.topic in wanted))
