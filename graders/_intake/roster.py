"""Participants to student ids: a roster CSV (Moodle's participant export or grading worksheet,
or our own ``student,name`` list), else the participant id itself; ids made safe as folder names."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .._roster import read_roster
from ..course import CourseError

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")


@dataclass(frozen=True)
class Person:
    student: str
    name: str = ""
    participant: str = ""


def safe_id(raw: str) -> str:
    """A folder name that cannot escape ``submitted/`` or hide: no separators, no leading dot."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("_", text).strip("._-")[:64]


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def read(path: Path) -> list[Person]:
    """The roster with ids made safe as folder names (a CourseError for a bad file)."""
    people, seen = [], set()
    for entry in read_roster(path):
        student = safe_id(entry.id)
        if not student:
            continue
        if student in seen:
            raise CourseError(f"Teilnehmerliste {path}: Kennung {student!r} kommt doppelt vor.")
        seen.add(student)
        people.append(Person(student, entry.name, entry.participant))
    if not people:
        raise CourseError(f"Teilnehmerliste {path}: keine verwendbaren Kennungen.")
    return people


class Mapper:
    """Participant (id, full name) -> (student id, German note for the report)."""

    def __init__(self, people: list[Person] | None):
        self.people = people
        self.by_participant = {p.participant: p for p in people or [] if p.participant}
        names: dict[str, list[Person]] = {}
        for p in people or []:
            if p.name:
                names.setdefault(name_key(p.name), []).append(p)
        self.by_name = {k: v[0] for k, v in names.items() if len(v) == 1}

    def student(self, key: str, name: str = "") -> tuple[str, str]:
        if self.people is None:
            return safe_id(key), ""
        person = self.by_participant.get(key) or self.by_name.get(name_key(name))
        if person is not None:
            return person.student, ""
        return safe_id(key), (f"nicht in der Teilnehmerliste ({name or key}) – unter der Kennung "
                              f"{safe_id(key)!r} abgelegt")


def to_csv(people: list[Person]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "name", "participant"])
    writer.writerows([p.student, p.name, p.participant] for p in people)
    return out.getvalue()
