"""``graders status``: per student of the roster, submitted or not, when, late or not, graded or
not, score, an individual extension (with its reason: this table is the instructor's) and the
late days used and left — the table an instructor needs before and after the deadline.

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
    due: datetime | None = None  # the student's, extension and late days included
    extension_reason: str | None = None  # None: no extension
    late_days: int | None = None  # spent here; None: no late-day budget
    late_days_used: int = 0  # over the course so far


def status(course: Course, aid: str, roster: Path | None = None) -> list[Row]:
    course.check_assignment(aid)
    schedule = late.schedule(course)
    path = roster or (course.roster_copy if course.roster_copy.is_file() else None)
    people = rosters.read(path) if path else []
    names = {p.student: p.name for p in people}
    students = [p.student for p in people] + [s for s in course.students(aid) if s not in names]
    return [_row(course, aid, s, names.get(s, ""), s in names or not people, schedule) for s in students]


def _row(course: Course, aid: str, student: str, name: str, on_roster: bool, schedule: late.Schedule) -> Row:
    folder = course.submitted(student, aid)
    submitted = read_time(folder) if folder.is_dir() else None
    due, spent = schedule.effective_due(aid, student)
    extension = schedule.extension(aid, student)
    seconds = late.seconds_late(submitted, due)
    graded, score, max_score, penalty = Currency.UNGRADED, None, None, 0.0
    grades = records.load(course, aid, student) if folder.is_dir() else None
    if grades is not None:
        graded = records.currency_of(grades, submitted)
        score, max_score = grades.score, grades.max_score
        penalty = grades.submission.penalty if grades.submission else 0.0
    used = sum(s.days for s in schedule.late_days(student).values())
    return Row(student, name, folder.is_dir(), submitted, seconds, graded, score, max_score, penalty, on_roster,
               due, extension.reason if extension else None, spent.days if spent else None, used)


def table(rows: list[Row], aid: str, zone, due, budget: int | None = None):
    """The rows as a rich table (German); ``budget``: the late days per student, if any."""
    from rich.table import Table

    deadline = f" – Frist {due.astimezone(zone):%d.%m.%Y %H:%M}" if due else " – keine Frist"
    handed = sum(r.handed_in for r in rows)
    caption = (f"{handed} von {len(rows)} abgegeben, {sum(r.seconds_late > 0 for r in rows)} verspätet, "
               f"{sum(r.graded is Currency.CURRENT for r in rows)} bewertet")
    result = Table(title=f"Stand {aid}{deadline}", caption=caption)
    individual = any(r.extension_reason is not None or r.late_days for r in rows)
    columns = ["Student", "Name", "Abgegeben", "Verspätet", "Bewertet", "Punkte"] + (["Frist"] if individual else []) \
        + (["Verspätungstage"] if budget is not None else [])
    for column in columns:
        result.add_column(column, overflow="fold")
    for row in rows:
        handed_in = "nein" if not row.handed_in else (
            f"{row.submitted.astimezone(zone):%d.%m.%Y %H:%M}" if row.submitted else "ja (Zeit unbekannt)")
        delay = f"ja, {late.describe_delay(row.seconds_late)}" if row.seconds_late > 0 else ("nein" if row.handed_in else "–")
        score = "–" if row.score is None else f"{row.score:g}/{row.max_score:g}" + (
            f" (−{row.penalty:g} verspätet)" if row.penalty else "")
        name = row.name or ("(nicht in der Teilnehmerliste)" if not row.on_roster else "")
        extra = [_due(row, zone)] if individual else []
        if budget is not None:
            extra.append(f"{row.late_days or 0} hier; {row.late_days_used} von {budget} genutzt, "
                         f"{budget - row.late_days_used} übrig")
        result.add_row(row.student, name, handed_in, delay, row.graded.word, score, *extra)
    return result


def _due(row: Row, zone) -> str:
    """The student's own due date, where an extension or late days move it."""
    if row.due is None or (row.extension_reason is None and not row.late_days):
        return ""
    text = f"{row.due.astimezone(zone):%d.%m.%Y %H:%M}"
    if row.extension_reason is not None:
        text += f" (Verlängerung{': ' + row.extension_reason if row.extension_reason else ''})"
    return text + (f" (+{row.late_days} Verspätungstag{'e' if row.late_days != 1 else ''})" if row.late_days else "")
