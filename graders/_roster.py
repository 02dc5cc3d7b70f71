"""Read a roster CSV: our own (column ``student`` or ``id``) or a Moodle participants export
(for ``graders collect``, ``graders status`` and ``graders exam``).

The identifier is the first column found of ``ID_COLUMNS`` (case-insensitive); names are optional.
Comma, semicolon or tab separated, UTF-8 with or without BOM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ._csvfile import read_rows
from .course import CourseError

ID_COLUMNS = ("student", "id", "id number", "idnumber", "id-nummer", "matrikelnummer", "username", "anmeldename",
              "email address", "e-mail-adresse", "email", "e-mail")
FIRST = ("first name", "vorname")
LAST = ("last name", "surname", "nachname")
FULL = ("name", "full name", "vollständiger name")
# Moodle's grading worksheet: "Identifier" = "Participant 104522" / "Teilnehmer/in104522"
PARTICIPANT_COLUMNS = ("identifier", "kennung", "participant", "teilnehmer-id", "participant id")


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    participant: str = ""  # Moodle's participant id (digits), where the roster has it


def read_roster(path: Path) -> list[Student]:
    rows, columns = read_rows(path, "Teilnehmerliste")
    if not rows:
        raise CourseError(f"Teilnehmerliste {path} ist leer.")
    ident = next((columns[c] for c in ID_COLUMNS if c in columns), None)
    if ident is None:
        raise CourseError(f"Teilnehmerliste {path}: keine Spalte für die Kennung (erwartet eine von: "
                          f"{', '.join(ID_COLUMNS)}; vorhanden: {', '.join(columns.values())}).")

    def column(names):
        return next((columns[c] for c in names if c in columns), None)

    first, last, full, participant = column(FIRST), column(LAST), column(FULL), column(PARTICIPANT_COLUMNS)
    students, seen = [], set()
    for row in rows:
        sid = (row.get(ident) or "").strip()
        if not sid:
            continue
        if sid in seen:
            raise CourseError(f"Teilnehmerliste {path}: Kennung {sid!r} kommt doppelt vor.")
        seen.add(sid)
        name = " ".join(p for p in ((row.get(first) or "").strip() if first else "",
                                    (row.get(last) or "").strip() if last else "") if p)
        if not name and full and full != ident:
            name = (row.get(full) or "").strip()
        digits = re.sub(r"\D", "", row.get(participant) or "") if participant else ""
        students.append(Student(sid, name, digits))
    if not students:
        raise CourseError(f"Teilnehmerliste {path}: keine Kennungen in Spalte {ident!r}.")
    return students
