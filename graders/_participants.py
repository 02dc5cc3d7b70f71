"""Who is who in Moodle: student id <-> Moodle participant id and full name, per assignment.

``graders collect`` records what it met (the participant folders of Moodle's zip, the participant
column of a roster) in ``submitted/<aid>-participants.csv``; ``graders return --to-moodle`` reads it
to name the feedback folders and fill the grading worksheet. Moodle numbers participants per
assignment, hence one file per assignment.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ._intake.store import write_atomic
from .course import Course, CourseError

COLUMNS = ("student", "participant", "name")


@dataclass(frozen=True)
class Participant:
    student: str
    participant: str    # Moodle's participant id (digits)
    name: str = ""      # full name as Moodle wrote it


def read(course: Course, aid: str) -> list[Participant]:
    """The recorded mapping (empty when collect met no Moodle participant)."""
    path = course.participants(aid)
    if not path.is_file():
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CourseError(f"Teilnehmerzuordnung {path} ist nicht lesbar ({exc}).") from None
    if rows and not set(COLUMNS) <= set(rows[0]):
        raise CourseError(f"Teilnehmerzuordnung {path}: erwartet die Spalten {', '.join(COLUMNS)}.")
    return [Participant(r["student"], r["participant"], r["name"]) for r in rows if r["student"] and r["participant"]]


def record(course: Course, aid: str, met: list[Participant]) -> None:
    """Merge what one collect run met into the record: the run's entries win (the first one per
    student), and a participant id now given to another student leaves its old student."""
    if not met:
        return
    new: dict[str, Participant] = {}
    for entry in met:
        new.setdefault(entry.student, entry)
    claimed = {p.participant for p in new.values()}
    kept = {p.student: p for p in read(course, aid) if p.student not in new and p.participant not in claimed}
    merged = sorted({**kept, **new}.values(), key=lambda p: p.student)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((p.student, p.participant, p.name) for p in merged)
    write_atomic(course.participants(aid), out.getvalue().encode("utf-8"))
