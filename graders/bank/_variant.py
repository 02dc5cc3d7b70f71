"""One concrete variant of a question: parameters drawn and text rendered, answers shuffled by seed.

Answers in canonical form (what ``grade`` takes and the drill database stores) never depend on the
shuffle: choices and ordering items are named by their index in question.yaml, matching answers by
the right-hand text chosen for each left-hand entry in question.yaml order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import _generators
from ._template import render
from ._model import BankError, Choice, Question, Tolerance


@dataclass(frozen=True)
class Variant:
    question: Question
    seed: int
    text: str
    feedback: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    answer: float | None = None     # numeric, parameterized
    order: tuple[int, ...] = ()     # display order: question.yaml indices of choices, items or matching rights

    @property
    def qid(self) -> str:
        return self.question.qid

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def tolerance(self) -> Tolerance | None:
        return self.question.tolerance

    @property
    def options(self) -> tuple[Choice, ...]:
        """single/multiple: the choices in display order."""
        return tuple(self.question.choices[i] for i in self.order)

    @property
    def shown_items(self) -> tuple[str, ...]:
        """ordering: the steps in display order."""
        return tuple(self.question.items[i] for i in self.order)

    @property
    def lefts(self) -> tuple[str, ...]:
        """matching: left-hand entries, in question.yaml order."""
        return tuple(left for left, _ in self.question.pairs)

    @property
    def rights(self) -> tuple[str, ...]:
        """matching: right-hand entries in display order."""
        return tuple(self.question.pairs[i][1] for i in self.order)


def shuffler(question: Question, seed: int) -> random.Random:
    # str seeds hash with SHA-512: the same order on every machine and Python run
    return random.Random(f"{question.uuid}/{seed}")


def variant(question: Question, seed: int = 0) -> Variant:
    """The concrete variant ``seed`` of a question (deterministic)."""
    seed = int(seed)
    if question.type == "parameterized":
        params = _generators.parameters(question, seed)
        answer = _generators.solution(question, params)
        try:
            text = render(question.text, params)
            feedback = render(question.feedback, {**params, "answer": answer}, question.precision)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise BankError(f"{question.topic}/{question.qid}: Text passt nicht zu den Parametern "
                            f"von generate({seed}) ({type(exc).__name__}: {exc}).") from None
        return Variant(question, seed, text, feedback, params, answer)
    rng = shuffler(question, seed)
    order: tuple[int, ...] = ()
    if question.is_choice:
        order = _permutation(rng, len(question.choices))
    elif question.type == "ordering":
        # a shown order that is already correct would give the answer away
        order = _permutation(rng, len(question.items), avoid_identity=True)
    elif question.type == "matching":
        order = _permutation(rng, len(question.pairs), avoid_identity=True)
    return Variant(question, seed, question.text, question.feedback, {}, question.answer, order)


def _permutation(rng: random.Random, n: int, avoid_identity: bool = False) -> tuple[int, ...]:
    order = list(range(n))
    rng.shuffle(order)
    if avoid_identity and n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


def solution(v: Variant):
    """The correct answer in canonical form (grading it gives 1)."""
    q = v.question
    if q.type == "single":
        return next(i for i, c in enumerate(q.choices) if c.correct)
    if q.type == "multiple":
        return [i for i, c in enumerate(q.choices) if c.correct]
    if q.is_numeric:
        return v.answer
    if q.type == "text":
        return q.sample_answer
    if q.type == "ordering":
        return list(range(len(q.items)))
    return [right for _, right in q.pairs]
