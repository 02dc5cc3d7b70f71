"""Individual extensions (Nachteilsausgleich, illness with a certificate): one due date per student
and assignment, from the course config or a CSV it names::

    c.Deadlines.extensions = {"01-perzeptron": {"s03": {"bis": "2025-11-21 23:59", "grund": "Attest"}}}
    c.Deadlines.extensions_file = "fristen.csv"   # columns student, assignment, due, reason

The reason is for the instructor (``graders status``); it never leaves this module's records for
anything a student reads: grades.json holds only the due date that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Callable

from ._csvfile import read_rows
from .course import Course, CourseError

_COLUMNS = {"student": ("student", "kennung", "id"), "assignment": ("assignment", "aufgabe", "aid"),
            "due": ("due", "bis", "frist", "duedate"), "reason": ("reason", "grund")}


@dataclass(frozen=True)
class Extension:
    due: datetime  # UTC
    reason: str
    origin: str  # where it is written, for error messages


def read(course: Course, extensions: dict, file: str, zone: tzinfo, parse: Callable[[str, tzinfo], datetime],
         dues: dict[str, datetime], students: set[str]) -> dict[tuple[str, str], Extension]:
    """Every extension by (assignment, student), checked: known assignment with a due date, known
    student (``students``; empty: no roster known, any id counts), a time after the regular due date."""
    entries = [*_from_config(extensions), *(_from_csv(course.root / file) if file else [])]
    found: dict[tuple[str, str], Extension] = {}
    for aid, student, due_text, reason, origin in entries:
        if aid not in course.assignments():
            raise CourseError(f"{origin}: unbekannte Aufgabe {aid!r}.")
        if aid not in dues:
            raise CourseError(f"{origin}: {aid} hat keine Frist (c.Deadlines.duedates), die sich verlängern ließe.")
        if students and student not in students:
            raise CourseError(f"{origin}: unbekannte Kennung {student!r} (weder in der Teilnehmerliste noch mit Abgabe).")
        if (aid, student) in found:
            raise CourseError(f"{origin}: {student} hat für {aid} schon eine Verlängerung ({found[aid, student].origin}).")
        try:
            due = parse(str(due_text), zone)
        except (ValueError, OverflowError) as exc:
            raise CourseError(f"{origin}: kein Zeitpunkt: {due_text!r} ({exc}).") from None
        if due <= dues[aid]:
            raise CourseError(f"{origin}: die Verlängerung ({due_text}) liegt nicht nach der Frist von {aid}.")
        found[aid, student] = Extension(due, str(reason or ""), origin)
    return found


def _from_config(extensions: dict) -> list[tuple]:
    entries = []
    for aid, per_student in extensions.items():
        if not isinstance(per_student, dict):
            raise CourseError(f"c.Deadlines.extensions[{aid!r}]: erwartet {{Kennung: {{'bis': …, 'grund': …}}}}.")
        for student, value in per_student.items():
            origin = f"c.Deadlines.extensions[{aid!r}][{student!r}]"
            if isinstance(value, str):
                value = {"bis": value}
            if not isinstance(value, dict) or not value.get("bis"):
                raise CourseError(f"{origin}: erwartet {{'bis': '2025-11-21 23:59', 'grund': '…'}}.")
            entries.append((str(aid), str(student), value["bis"], value.get("grund", ""), origin))
    return entries


def _from_csv(path: Path) -> list[tuple]:
    what = "Verlängerungen (c.Deadlines.extensions_file)"
    if not path.is_file():
        raise CourseError(f"{what}: {path} fehlt.")
    rows, columns = read_rows(path, what)
    named = {key: next((columns[a] for a in aliases if a in columns), None) for key, aliases in _COLUMNS.items()}
    lacking = [key for key in ("student", "assignment", "due") if named[key] is None]
    if lacking:
        raise CourseError(f"{what} {path.name}: Spalte(n) {', '.join(lacking)} fehlen "
                          "(erwartet: student, assignment, due, reason).")
    entries = []
    for number, row in enumerate(rows, start=2):
        values = {key: (row.get(column) or "").strip() if column else "" for key, column in named.items()}
        if not any(values.values()):
            continue
        origin = f"{path.name}, Zeile {number}"
        if not (values["student"] and values["assignment"] and values["due"]):
            raise CourseError(f"{origin}: student, assignment und due müssen ausgefüllt sein.")
        entries.append((values["assignment"], values["student"], values["due"], values["reason"], origin))
    return entries
