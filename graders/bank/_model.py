"""The question bank as data (bank/FORMAT.md is the contract): topics, questions, tolerances."""

from __future__ import annotations

import math
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
        # the relative slack only absorbs binary rounding of values like 0.1 + 0.2
        bound = self.absolute(answer)
        return abs(given - answer) <= bound * (1 + 1e-9) + 1e-12 * max(1.0, abs(answer))

    def describe(self) -> str:
        """German, for feedback and answer keys."""
        from ._numbers import format_de

        if self.kind == "abs":
            return f"± {format_de(self.value)}"
        if self.kind == "rel":
            return f"± {format_de(self.value * 100)} %"
        return f"{int(self.value)} signifikante Stellen"


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
