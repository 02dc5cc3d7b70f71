"""``graders status``: per student of the roster, submitted or not, when, late or not, graded or
not, score — the table an instructor needs before and after the deadline.

The roster is ``--roster`` or the one the last ``graders collect --roster`` kept; students with a
submission who are not on it are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import grades as records, late
from ._intake import roster as rosters
from ._intake.store import read_time
from .course import Course
from .grades import Currency

__all__ = ["Row", "status", "table"]


@dataclass(frozen=True)
class Row:
    student: str
    name: str
    handed_in: bool
    submitted: datetime | None  # None: not handed in, or no time known
    seconds_late: float
    graded: Currency
    score: float | None
    max_score: float | None
    penalty: float
    on_roster: bool


def status(course: Course, aid: str, roster: Path | None = None) -> list[Row]:
    course.check_assignment(aid)
    cfg = late.config(course)
    due = late.duedate(course, aid, cfg)
    path = roster or (course.roster_copy if course.roster_copy.is_file() else None)
    people = rosters.read(path) if path else []
    names = {p.student: p.name for p in people}
    students = [p.student for p in people] + [s for s in course.students(aid) if s not in names]
    return [_row(course, aid, s, names.get(s, ""), s in names or not people, due) for s in students]


def _row(course: Course, aid: str, student: str, name: str, on_roster: bool, due) -> Row:
    folder = course.submitted(student, aid)
    submitted = read_time(folder) if folder.is_dir() else None
    seconds = max(0.0, (submitted - due).total_seconds()) if submitted and due else 0.0
    graded, score, max_score, penalty = Currency.UNGRADED, None, None, 0.0
    grades = records.load(course, aid, student) if folder.is_dir() else None
    if grades is not None:
        graded = records.currency_of(grades, submitted)
        score, max_score = grades.score, grades.max_score
        penalty = grades.submission.penalty if grades.submission else 0.0
    return Row(student, name, folder.is_dir(), submitted, seconds, graded, score, max_score, penalty, on_roster)


def table(rows: list[Row], aid: str, zone, due):
    """The rows as a rich table (German)."""
    from rich.table import Table

    deadline = f" – Frist {due.astimezone(zone):%d.%m.%Y %H:%M}" if due else " – keine Frist"
    handed = sum(r.handed_in for r in rows)
    caption = (f"{handed} von {len(rows)} abgegeben, {sum(r.seconds_late > 0 for r in rows)} verspätet, "
               f"{sum(r.graded is Currency.CURRENT for r in rows)} bewertet")
    result = Table(title=f"Stand {aid}{deadline}", caption=caption)
    for column in ("Student", "Name", "Abgegeben", "Verspätet", "Bewertet", "Punkte"):
        result.add_column(column, overflow="fold")
    for row in rows:
        handed_in = "nein" if not row.handed_in else (
            f"{row.submitted.astimezone(zone):%d.%m.%Y %H:%M}" if row.submitted else "ja (Zeit unbekannt)")
        delay = f"ja, {late.describe_delay(row.seconds_late)}" if row.seconds_late > 0 else ("nein" if row.handed_in else "–")
        score = "–" if row.score is None else f"{row.score:g}/{row.max_score:g}" + (
            f" (−{row.penalty:g} verspätet)" if row.penalty else "")
        name = row.name or ("(nicht in der Teilnehmerliste)" if not row.on_roster else "")
        result.add_row(row.student, name, handed_in, delay, row.graded.word, score)
    return result
