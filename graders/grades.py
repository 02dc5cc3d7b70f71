"""The grades record: ``autograded/<student>/<aid>/grades.json`` and the grading history.

One module owns the file (ARCHITECTURE.md's contract and ``grades.schema.json``): typed records,
reading and writing (staging folder, one rename), the history of every grading run, the status
vocabulary with its German words, and whether a grade is still current. Every reader — feedback,
report, status, the drills — goes through it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

from .course import Course

SCHEMA = 1
FILE_NAME = "grades.json"


class Status(str, Enum):
    """Result of a cell, a notebook or a whole submission (values as in grades.json)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"
    MISSING = "missing"
    INVALID = "invalid"
    PENDING = "pending"
    GRADED = "graded"

    @property
    def word(self) -> str:
        """The German word a student or instructor reads."""
        return _WORDS[self]


_WORDS = {
    Status.PASSED: "bestanden",
    Status.FAILED: "nicht bestanden",
    Status.ERROR: "mit Fehler abgebrochen",
    Status.TIMEOUT: "Zeitlimit überschritten",
    Status.MEMORY: "Speicherlimit überschritten",
    Status.CRASHED: "Python-Prozess abgestürzt",
    Status.MISSING: "Notebook fehlt",
    Status.INVALID: "Notebook ungültig",
    Status.PENDING: "noch nicht von Hand bewertet",
    Status.GRADED: "bewertet",
}


class Currency(Enum):
    """Whether a submission's grade is the grade of its latest collected submission."""

    CURRENT = "ja"
    STALE = "veraltet"   # a newer submission was collected since
    UNGRADED = "nein"

    @property
    def word(self) -> str:
        return self.value


@dataclass(frozen=True)
class CellGrade:
    grade_id: str
    score: float
    max_score: float
    status: Status
    topics: tuple[str, ...] = ()
    message: str = ""

    @property
    def lost(self) -> float:
        return max(0.0, self.max_score - self.score)

    def to_json(self) -> dict:
        return {"grade_id": self.grade_id, "score": self.score, "max_score": self.max_score,
                "status": self.status.value, "topics": list(self.topics), "message": self.message}

    @classmethod
    def from_json(cls, data: dict) -> "CellGrade":
        return cls(str(data["grade_id"]), float(data["score"]), float(data["max_score"]), Status(data["status"]),
                   tuple(data.get("topics", ())), str(data.get("message", "")))


@dataclass(frozen=True)
class NotebookGrade:
    name: str
    score: float
    max_score: float
    status: Status
    cells: tuple[CellGrade, ...]
    environment: dict | None = None  # what the grader set up for this notebook's run (None: not run)
    timing: dict | None = None
    late_penalty: float | None = None

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    @classmethod
    def of(cls, name: str, cells: list[CellGrade], status: Status, **extra) -> "NotebookGrade":
        return cls(name, sum(c.score for c in cells), sum(c.max_score for c in cells), status, tuple(cells), **extra)

    def to_json(self) -> dict:
        data = {"name": self.name, "score": self.score, "max_score": self.max_score, "status": self.status.value,
                "cells": [c.to_json() for c in self.cells]}
        for key in ("environment", "timing", "late_penalty"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "NotebookGrade":
        return cls(str(data["name"]), float(data["score"]), float(data["max_score"]), Status(data["status"]),
                   tuple(CellGrade.from_json(c) for c in data["cells"]), data.get("environment"), data.get("timing"),
                   data.get("late_penalty"))


@dataclass(frozen=True)
class Lateness:
    """The ``submission`` record: when it was handed in, against which due date, and the penalty.
    ``duedate`` is the one that counts for this student (extension and late days included); the
    assignment's own is ``regular_duedate`` where it differs. An extension's reason is never here."""

    timestamp: str | None
    duedate: str | None
    seconds_late: float
    penalty: float
    score_before_penalty: float
    regular_duedate: str | None = None
    extension: bool = False
    late_days: int | None = None  # spent on this submission; None: no late-day budget
    late_days_left: int | None = None  # after this submission, in due-date order
    late_days_budget: int | None = None

    @property
    def late(self) -> bool:
        return self.seconds_late > 0

    def to_json(self) -> dict:
        data = {"timestamp": self.timestamp, "duedate": self.duedate, "seconds_late": self.seconds_late,
                "late": self.late, "penalty": self.penalty, "score_before_penalty": self.score_before_penalty}
        if self.regular_duedate is not None:
            data["regular_duedate"] = self.regular_duedate
        if self.extension:
            data["extension"] = True
        if self.late_days is not None:
            data.update(late_days=self.late_days, late_days_left=self.late_days_left,
                        late_days_budget=self.late_days_budget)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Lateness":
        def whole(key: str) -> int | None:
            return int(data[key]) if data.get(key) is not None else None

        return cls(data.get("timestamp"), data.get("duedate"), float(data.get("seconds_late", 0.0)),
                   float(data.get("penalty", 0.0)), float(data.get("score_before_penalty", 0.0)),
                   data.get("regular_duedate"), bool(data.get("extension", False)), whole("late_days"),
                   whole("late_days_left"), whole("late_days_budget"))


@dataclass(frozen=True)
class TopicPoints:
    reached: float
    max_score: float

    @property
    def lost(self) -> float:
        return max(0.0, self.max_score - self.reached)


@dataclass(frozen=True)
class Grades:
    """One submission's grades (one grading run)."""

    assignment: str
    student: str
    score: float
    max_score: float
    status: Status
    notebooks: tuple[NotebookGrade, ...]
    environment: dict
    timing: dict = field(default_factory=dict)
    submission: Lateness | None = None

    @property
    def status_word(self) -> str:
        """German, for the submission as a whole: a crashed submission is the grader's failure."""
        return "Bewertung abgebrochen" if self.status is Status.CRASHED else self.status.word

    def cells(self) -> dict[str, CellGrade]:
        """Every graded cell by ``<notebook stem>/<grade_id>`` (unique across notebooks)."""
        return {f"{nb.stem}/{c.grade_id}": c for nb in self.notebooks for c in nb.cells}

    def to_json(self) -> dict:
        data = {"schema": SCHEMA, "assignment": self.assignment, "student": self.student, "score": self.score,
                "max_score": self.max_score, "status": self.status.value,
                "notebooks": [nb.to_json() for nb in self.notebooks], "environment": self.environment,
                "timing": self.timing}
        if self.submission is not None:
            data["submission"] = self.submission.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Grades":
        if data.get("schema") != SCHEMA:
            raise ValueError(f"grades.json schema {data.get('schema')!r}, expected {SCHEMA}")
        submission = data.get("submission")
        return cls(str(data["assignment"]), str(data["student"]), float(data["score"]), float(data["max_score"]),
                   Status(data["status"]), tuple(NotebookGrade.from_json(nb) for nb in data["notebooks"]),
                   dict(data.get("environment", {})), dict(data.get("timing", {})),
                   Lateness.from_json(submission) if submission else None)


def topic_points(all_grades: list[Grades]) -> dict[str, TopicPoints]:
    """Per topic, points reached and possible over several grades (of one student or a class)."""
    reached: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for grades in all_grades:
        for cell in grades.cells().values():
            for topic in cell.topics:
                reached[topic] += cell.score
                possible[topic] += cell.max_score
    return {topic: TopicPoints(reached[topic], possible[topic]) for topic in possible}


# -- files -----------------------------------------------------------------------------------------

def path(course: Course, aid: str, student: str) -> Path:
    return course.autograded(student, aid) / FILE_NAME


def read(file: Path) -> Grades:
    """ValueError (or OSError) for a file that is not a grades record."""
    try:
        return Grades.from_json(json.loads(Path(file).read_text(encoding="utf-8")))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{file}: no grades record ({type(exc).__name__}: {exc})") from None


def load(course: Course, aid: str, student: str) -> Grades | None:
    file = path(course, aid, student)
    return read(file) if file.is_file() else None


def load_all(course: Course, aid: str) -> list[Grades]:
    """Every graded submission of ``aid``, sorted by student."""
    return [read(path(course, aid, student)) for student in course.graded_students(aid)]


def of_student(course: Course, student: str) -> list[Grades]:
    """Every readable grades record of one student, all assignments; unreadable ones say nothing."""
    found = []
    for file in course.grades_files(student):
        try:
            found.append(read(file))
        except (OSError, ValueError):
            continue
    return found


def clean_stale(course: Course, aid: str) -> None:
    """Remove what a killed writer left half-done (its staging or replaced folders)."""
    for leftover in course.autograded_root.glob(f"*/.{aid}.*-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write(course: Course, grades: Grades, notebooks: dict[str, str], cause: str = "") -> Path:
    """grades.json and the graded notebooks in one rename (grades.json appearing is what marks a
    submission as graded), then one line of history (``cause``: why, where it was no grading run)."""
    aid, student = grades.assignment, grades.student
    dest = course.autograded(student, aid)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{aid}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, text in notebooks.items():
        (staging / name).write_text(text, encoding="utf-8")
    (staging / FILE_NAME).write_text(json.dumps(grades.to_json(), indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    old = dest.parent / f".{aid}.old-{os.getpid()}"
    if dest.exists():
        os.rename(dest, old)
    os.rename(staging, dest)
    shutil.rmtree(old, ignore_errors=True)
    _append_history(course, grades, cause)
    return dest / FILE_NAME


# -- currency --------------------------------------------------------------------------------------

def currency(course: Course, aid: str, student: str) -> Currency:
    """Graded from the latest collected submission?"""
    from ._intake.store import read_time

    return currency_of(load(course, aid, student), read_time(course.submitted(student, aid)))


def currency_of(grades: Grades | None, submitted: datetime | None) -> Currency:
    """``grades`` against the collected submission's time (as nbgrader decides: by its timestamp)."""
    if grades is None:
        return Currency.UNGRADED
    graded_from = grades.submission.timestamp if grades.submission else None
    return Currency.CURRENT if (submitted.isoformat() if submitted else None) == graded_from else Currency.STALE


# -- history ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One line of ``autograded/.history/<aid>.jsonl``: one grading run of one submission."""

    student: str
    graded_at: datetime
    score: float
    max_score: float
    status: str
    wall_s: float
    cells: dict[str, float]


def _append_history(course: Course, grades: Grades, cause: str = "") -> None:
    """One line per grading run, never rewritten: grades.json holds only the latest run, the class
    report's regrade history needs them all. Written after the rename, so a line means a written grade."""
    line = {"student": grades.student, "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "score": grades.score, "max_score": grades.max_score, "status": grades.status.value,
            "wall_s": grades.timing.get("wall_s", 0.0),
            "cells": {key: cell.score for key, cell in grades.cells().items()}}
    if cause:
        line["cause"] = cause
    file = course.history(grades.assignment)
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("ab+") as out:
        if out.seek(0, os.SEEK_END):
            out.seek(-1, os.SEEK_END)
            if out.read(1) != b"\n":  # a killed writer's cut-off line stays on a line of its own
                out.write(b"\n")
        out.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))


def history(course: Course, aid: str) -> list[Run]:
    """Every recorded grading run of ``aid`` in file order; a line cut off by a killed writer is skipped."""
    file = course.history(aid)
    runs = []
    if not file.is_file():
        return runs
    for text in file.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(text)
            runs.append(Run(entry["student"], datetime.fromisoformat(entry["graded_at"]), float(entry["score"]),
                            float(entry["max_score"]), str(entry["status"]), float(entry.get("wall_s", 0.0)),
                            dict(entry.get("cells", {}))))
        except (ValueError, KeyError, TypeError):
            continue
    return runs
