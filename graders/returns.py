"""``graders return``: the feedback pages back to the students.

- ``--to-moodle``: the zip for Moodle's "Upload multiple feedback files in a zip" (each student's
  ``feedback/<student>/<aid>/``, in the folder Moodle matches by participant id) and the instructor's
  downloaded grading worksheet with grade and a short German comment filled in. The participant of
  each student is the one ``graders collect`` recorded.
- ``--to-exchange``: nbgrader's feedback exchange, for the students' ``nbgrader fetch_feedback``.

Only what is ready goes out: a current grade (graded from the latest collected submission) and its
feedback pages. Nothing in the course directory changes but the named outputs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from . import _exchange_feedback, _feedback_zip, _participants as participants, _worksheet, grades as records, late
from ._intake.store import TIMESTAMP, read_secret, read_time, write_atomic
from .course import Course, CourseError
from .grades import Currency, Grades, Status

__all__ = ["Returned", "to_exchange", "to_moodle", "ZIP_NAME", "WORKSHEET_NAME"]

ZIP_NAME = "feedback-files.zip"
WORKSHEET_NAME = "grading-worksheet.csv"
COMMENT_LEAD = "Automatisch bewertet"


@dataclass(frozen=True)
class Returned:
    written: list[Path]
    students: list[str]     # whose feedback went out
    notes: list[str]        # German, for the instructor


@dataclass(frozen=True)
class _Ready:
    grades: Grades
    folder: Path            # feedback/<student>/<aid>/
    pages: dict[str, Path]  # notebook id -> its page


def to_moodle(course: Course, aid: str, worksheet: Path, out: Path | None = None) -> Returned:
    course.check_assignment(aid)
    sheet = _worksheet.read(worksheet)
    ready, notes = _ready(course, aid)
    by_student = {p.student: p for p in participants.read(course, aid)}
    unknown = sorted(s for s in ready if s not in by_student)
    if unknown:
        raise CourseError(
            f"Für diese bewerteten Studierenden ist keine Moodle-Teilnehmer-ID bekannt: {', '.join(unknown)}. "
            f"Die Zuordnung schreibt graders collect {aid} --from-moodle ZIP (Moodle: »Alle Abgaben "
            "herunterladen«) oder --roster mit der Spalte Identifier/ID der Bewertungstabelle; "
            "erneutes Einsammeln ändert an den Abgaben nichts.")
    out = (out or course.moodle_upload(aid)).resolve()
    zip_path, sheet_path = out / ZIP_NAME, out / WORKSHEET_NAME
    if Path(worksheet).resolve() in (zip_path, sheet_path):
        raise CourseError(f"Die Bewertungstabelle {worksheet} würde überschrieben: bitte --out auf einen anderen "
                          "Ordner setzen.")

    rows = {row.participant: row for row in sheet.rows if row.participant}
    names = {p: sheet.value(row, "fullname") for p, row in rows.items()}
    folders, entries = {}, {}
    for student, item in ready.items():
        person = by_student[student]
        name = names.get(person.participant) or person.name
        folders[_feedback_zip.folder_name(name, person.participant)] = _files(item.folder)
        entries[person.participant] = _worksheet.Entry(item.grades.score, item.grades.max_score, _comment(item))
    missing = sorted(s for s in ready if by_student[s].participant not in rows)
    if missing:
        notes.append(f"Nicht in der Bewertungstabelle (nur Feedback-Dateien): {', '.join(missing)}")
    filled, problems = _worksheet.fill(sheet, entries)
    notes += problems
    write_atomic(zip_path, _feedback_zip.build(folders))
    write_atomic(sheet_path, filled)
    return Returned([zip_path, sheet_path], sorted(ready), notes)


def to_exchange(course: Course, aid: str, exchange: Path | None = None) -> Returned:
    """``exchange``: the exchange root (default: ``c.Exchange.root`` of the course, else nbgrader's)."""
    from nbgrader.exchange.default import Exchange

    course.check_assignment(aid)
    cfg = late.config(course)
    course_id = cfg.CourseDirectory.get("course_id", "")
    if not course_id:
        raise CourseError("--to-exchange braucht c.CourseDirectory.course_id in nbgrader_config.py "
                          "(der Kurs, den die Studierenden bei nbgrader submit angegeben haben).")
    root = Path(exchange) if exchange else Path(Exchange(config=cfg).root)
    _exchange_feedback.check_writable(root, course_id)  # before anything else: the usual problem on a hub
    ready, notes = _ready(course, aid)
    submissions, without = [], []
    for student, item in ready.items():
        folder = course.submitted(student, aid)
        secret = read_secret(folder)
        if not secret:
            without.append(student)
            continue
        stamp = (folder / TIMESTAMP).read_text(encoding="utf-8") if (folder / TIMESTAMP).is_file() else ""
        submissions.append(_exchange_feedback.Submission(student, secret, stamp, item.pages))
    if without:
        notes.append(f"Nicht über den nbgrader-Exchange abgegeben (keine submission_secret.txt), nicht "
                     f"zurückgegeben: {', '.join(without)}")
    written = _exchange_feedback.release(root, course_id, aid, submissions, cfg) if submissions else []
    return Returned(written, [s.student for s in submissions], notes)


def _ready(course: Course, aid: str) -> tuple[dict[str, _Ready], list[str]]:
    """Every graded student whose grade and pages can go out; a CourseError listing what is not ready."""
    ready, notes, unreadable, stale, no_pages, old_pages = {}, [], [], [], [], []
    for student in course.graded_students(aid):
        try:
            grades = records.load(course, aid, student)
        except (OSError, ValueError):
            unreadable.append(student)
            continue
        if grades.status is Status.CRASHED:
            notes.append(f"{student}: Bewertung abgebrochen (Fehler des Graders) – nicht zurückgegeben")
            continue
        if records.currency_of(grades, read_time(course.submitted(student, aid))) is not Currency.CURRENT:
            stale.append(student)
            continue
        folder = course.feedback(student, aid)
        pages = {nb.stem: folder / f"{nb.stem}.html" for nb in grades.notebooks}
        if not all(p.is_file() for p in pages.values()):
            no_pages.append(student)
            continue
        graded_at = records.path(course, aid, student).stat().st_mtime
        if min(p.stat().st_mtime for p in pages.values()) < graded_at:
            old_pages.append(student)
            continue
        ready[student] = _Ready(grades, folder, pages)
    problems = [
        (unreadable, "grades.json nicht lesbar – neu bewerten: graders autograde {aid} --force --student …"),
        (stale, "seit der Bewertung neu abgegeben – zuerst graders autograde {aid}"),
        (no_pages, "keine Rückmeldungsseiten – zuerst graders feedback {aid}"),
        (old_pages, "Rückmeldungsseiten älter als die Bewertung – zuerst graders feedback {aid}"),
    ]
    found = [f"{text.format(aid=aid)}: {', '.join(students)}" for students, text in problems if students]
    if found:
        raise CourseError("Nichts zurückgegeben, denn nicht alles ist bereit:\n  " + "\n  ".join(found))
    if not ready:
        raise CourseError(f"Nichts zurückzugeben: {aid} hat keine bewerteten Abgaben (graders autograde {aid}).")
    return ready, notes


def _files(folder: Path) -> dict[str, bytes]:
    """Everything in the student's feedback folder that Moodle takes (no links, no hidden files)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_symlink() or not path.is_file() or any(_feedback_zip.ignored_by_moodle(p) for p in relative.parts):
            continue
        found[relative.as_posix()] = path.read_bytes()
    return found


def _comment(item: _Ready) -> str:
    grades = item.grades
    penalty = grades.submission.penalty if grades.submission else 0.0
    late_text = f" (nach {_de(penalty)} Punkten Abzug für verspätete Abgabe)" if penalty else ""
    pages = ", ".join(html.escape(p.name) for p in item.pages.values())
    where = "in der Feedback-Datei" if len(item.pages) == 1 else "in den Feedback-Dateien"
    return (f"<p>{COMMENT_LEAD}: {_de(grades.score)} von {_de(grades.max_score)} Punkten{late_text}. "
            f"Was jede Teilaufgabe ergeben hat und was du üben kannst, steht {where} {pages} bei dieser Aufgabe.</p>")


def _de(value: float) -> str:
    return f"{value:g}".replace(".", ",")
