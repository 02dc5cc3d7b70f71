"""The drill engine behind ``graders drill`` and drills/drill.ipynb (the two only display it).

A session plans its questions once and stores the plan, so an interrupted session resumes with the
first unanswered question and the same variant. The plan, in this order:

1. questions from topics where the student's grades.json files lost points, weakest topic first
   (lost / max points per topic), at most ``WEAK_PER_TOPIC`` per topic, only questions that are due
   or new (once drilled and scheduled for later, a weak topic no longer jumps the queue);
2. due cards (FSRS), most overdue first;
3. new questions, one topic after the other in turn.

Scores become FSRS ratings: 1 → Good, ≥ 0.5 → Hard, below → Again.

    with Drill.for_course(course, "s01", count=10) as drill:
        while (prompt := drill.next()) is not None:
            result = drill.answer(prompt, "b")
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from fsrs import Card, Rating, Scheduler

from ._db import DrillStore, Review
from ._grade import AnswerError, grade, normalize
from ._load import load_bank
from ._model import Bank, BankError, Question
from ._variant import Variant, variant
from ._weakness import TopicLoss, topic_losses
from .. import grades as records
from ..grades import Grades

WEAK_PER_TOPIC = 2
REASONS = {"weak": "Thema mit Punktverlust in den Übungen", "due": "fällige Wiederholung", "new": "neue Frage"}


def rating_for(score: float) -> Rating:
    if score >= 1.0:
        return Rating.Good
    if score >= 0.5:
        return Rating.Hard
    return Rating.Again


def _stable(*parts) -> int:
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:6], "big")


def variant_seed(student: str, qid: str, previous_reviews: int) -> int:
    """A new variant each time a student meets a question, the same one on resume."""
    return _stable("drill", student, qid, previous_reviews) % 1_000_000


def _utc(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Prompt:
    position: int       # 0-based place in the session
    total: int
    variant: Variant
    reason: str         # weak | due | new

    @property
    def question(self) -> Question:
        return self.variant.question

    @property
    def reason_text(self) -> str:
        return REASONS[self.reason]


@dataclass(frozen=True)
class Result:
    score: float
    feedback: str
    rating: Rating
    due: datetime
    needs_review: bool
    recorded: bool      # False: this question of the session had already been answered elsewhere


def plan(bank: Bank, student: str, count: int, losses: list[TopicLoss], cards: dict[str, tuple[dict, str]],
         counts: dict[str, int], now: datetime) -> list[dict]:
    """The questions of a new session (see the module docstring for the order)."""
    due = {qid: _utc(d) for qid, (_, d) in cards.items()}

    def available(q: Question) -> bool:
        return q.qid not in due or due[q.qid] <= now

    def order(q: Question):
        # due before new, most overdue first; new ones in a per-student stable order
        return (0, due[q.qid], 0) if q.qid in due else (1, now, _stable(student, q.qid))

    steps: list[dict] = []
    used: set[str] = set()

    def take(q: Question, reason: str) -> None:
        steps.append({"qid": q.qid, "seed": variant_seed(student, q.qid, counts.get(q.qid, 0)), "reason": reason})
        used.add(q.qid)

    in_bank = {t.key for t in bank.topics}
    for loss in losses:
        if loss.topic in in_bank:
            for q in sorted(filter(available, bank.in_topic(loss.topic)), key=order)[:WEAK_PER_TOPIC]:
                take(q, "weak")
    for q in sorted((q for q in bank.questions if q.qid in due and due[q.qid] <= now and q.qid not in used),
                    key=lambda q: due[q.qid]):
        take(q, "due")
    fresh: dict[str, list[Question]] = defaultdict(list)
    for q in bank.questions:
        if q.qid not in due and q.qid not in used:
            fresh[q.topic].append(q)
    queues = [sorted(fresh[t.key], key=order) for t in bank.topics if fresh[t.key]]
    while queues and len(steps) < count:
        for queue in queues:
            if queue:
                take(queue.pop(0), "new")
        queues = [q for q in queues if q]
    return steps[:count]


class Drill:
    """One student's drill session on one database; resumes the unfinished session with the same topics."""

    def __init__(self, bank: Bank, db_path: Path, student: str, topics: list[str] | None = None, count: int = 10,
                 grades: list[Grades] = (), clock: Callable[[], datetime] | None = None):
        if not student or not student.strip():
            raise BankError("Bitte --student angeben.")
        if count < 1:
            raise BankError("--count muss mindestens 1 sein.")
        self.student = student
        self.topics = sorted({bank.topic(t).key for t in topics or []})
        self.bank = bank.select(self.topics)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        # no fuzzing: the same answers give the same schedule (tests, reproducible state)
        self._scheduler = Scheduler(enable_fuzzing=False)
        self._store = DrillStore(db_path)
        self.losses = topic_losses(list(grades))
        session = self._store.unfinished_session(student, self.topics)
        self.resumed = session is not None
        if session is None:
            steps = plan(self.bank, student, count, self.losses, self._store.latest_cards(student),
                         self._store.review_counts(student), self._clock())
            session = self._store.create_session(student, self.topics, steps, self._clock()) if steps else None
        self._session = session
        self._answered = self._store.answered_positions(session.id) if session else set()

    @classmethod
    def for_course(cls, course, student: str, topics: list[str] | None = None, count: int = 10,
                   clock: Callable[[], datetime] | None = None) -> "Drill":
        return cls(load_bank(course.bank), course.drills_db, student, topics, count,
                   records.of_student(course, student), clock)

    # progress
    @property
    def total(self) -> int:
        return len(self._session.plan) if self._session else 0

    @property
    def plan(self) -> list[tuple[str, int]]:
        """The session's questions as (qid, variant seed), answered or not."""
        return [(step["qid"], step["seed"]) for step in self._session.plan] if self._session else []

    @property
    def answered(self) -> int:
        return len(self._answered)

    @property
    def weak_topics(self) -> list[TopicLoss]:
        return [loss for loss in self.losses if any(t.key == loss.topic for t in self.bank.topics)]

    def next(self) -> Prompt | None:
        """The first unanswered question of the session, or None when it is done."""
        if self._session is None:
            return None
        for position, step in enumerate(self._session.plan):
            if position in self._answered:
                continue
            if not self.bank.has(step["qid"]):
                self._answered.add(position)  # removed from the bank since the plan was made
                continue
            return Prompt(position, self.total, variant(self.bank.question(step["qid"]), step["seed"]),
                          step["reason"])
        self._store.finish_session(self._session.id, self._clock())
        return None

    def answer(self, prompt: Prompt, answer: Any, duration_s: float | None = None) -> Result:
        """Grade, schedule and commit one answer; ``AnswerError`` (ask again) when it cannot be read."""
        v = prompt.variant
        canonical = normalize(v, answer)
        score, feedback = grade(v, canonical)
        rating = rating_for(score)
        now = self._clock()
        previous = self._store.latest_cards(self.student).get(v.qid)
        card = Card.from_dict(previous[0]) if previous else Card(card_id=_stable("card", v.question.uuid), due=now)
        card, _ = self._scheduler.review_card(card, rating, review_datetime=now)
        q = v.question
        needs_review = q.type == "text" and q.review and score == 0.0
        finishes = len(self._answered | {prompt.position}) == self.total
        review = Review(self._session.id, prompt.position, self.student, v.qid, v.seed, canonical, score,
                        int(rating), needs_review, now.isoformat(), card.to_dict(), card.due.isoformat())
        recorded = self._store.add_review(review, q.uuid, duration_s, finishes)
        self._answered.add(prompt.position)
        return Result(score, feedback, rating, card.due, needs_review, recorded)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> "Drill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["AnswerError", "Drill", "Prompt", "Result", "plan", "rating_for", "variant_seed"]
