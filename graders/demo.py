"""``graders demo``: the whole path on the shipped sample submissions."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from . import _kit, late
from .autograde import autograde
from .collect import collect
from .course import Course
from .feedback import feedback
from ._student_version import sync_problems
from .grades import Status
from .release import release
from .report import report
from .status import status, table as status_table


def demo(course: Course) -> int:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=140)  # CI logs are not 80 columns
    samples = course.sample_submissions
    aids = sorted({p.name for p in samples.glob("*/*") if p.is_dir()})
    for aid in aids:
        if sync_problems(course, aid):
            console.print(f"[bold]release[/] {aid}: source/ changed, writing release/ and solutions/")
            release(course, aid)
    if _kit.problems(course):
        _kit.build(course)
    table = Table(title="Bewertung der Beispielabgaben")
    for column in ("Aufgabe", "Student", "Punkte", "Nicht bestanden (Status)", "Feedback"):
        table.add_column(column, overflow="fold")
    example = None  # a feedback page with lost points, printed last
    for aid in aids:
        students = sorted(p.parent.name for p in samples.glob(f"*/{aid}"))
        if course.sample_moodle_zip(aid).is_file():  # the same samples, as Moodle hands them out
            students = _collect_moodle(course, aid, console)
        else:
            for student in students:  # a fresh copy: the demo never grades stale files
                target = course.submitted(student, aid)
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(samples / student / aid, target)
        results = autograde(course, aid, students=students, force=True)
        pages = feedback(course, aid, students)
        for grades in results:
            cells = ", ".join(f"{c.grade_id.removeprefix('test_')} ({c.status.word})"
                              for c in grades.cells().values() if c.status is not Status.PASSED)
            page = next(p for p in pages if p.parent.parent.name == grades.student)
            table.add_row(aid, grades.student, f"{grades.score:g}/{grades.max_score:g}", cells or "–",
                          str(page.relative_to(course.root)))
            if example is None and grades.score < grades.max_score:
                example = page
    console.print(table)
    for aid in aids:
        if course.sample_moodle_zip(aid).is_file():
            cfg = late.config(course)
            console.print(status_table(status(course, aid), aid, late.local_zone(cfg), late.duedate(course, aid, cfg)))
    exports = _export_bank(course)
    console.print("Ergebnisse:")
    console.print("  grades.json:  autograded/<student>/<aufgabe>/grades.json")
    console.print("  Gradebook:    gradebook.db (nbgrader)")
    console.print("  Feedback:     feedback/<student>/<aufgabe>/*.html")
    console.print("  Lösungen:     solutions/, Studierendenversion: release/")
    console.print(f"  Prüfhilfe:    {(course.kit_folder() / _kit.wheel_name()).relative_to(course.root)} "
                  "(für Studierende, mit den Notebooks ausgeben)")
    for path, count in exports:
        console.print(f"  Fragenbank:   {path.relative_to(course.root)} ({count} Fragen)")
    for aid in aids:  # last: the pages to open in a browser
        console.print(f"Klassenbericht {aid}: {report(course, aid).html}", soft_wrap=True)
    if example is not None:
        console.print(f"Feedback-Seite (Beispiel): {example}", soft_wrap=True)
    return 0


def _collect_moodle(course: Course, aid: str, console) -> list[str]:
    """``graders collect AID --from-moodle`` on the shipped zip; prints the findings of its report."""
    zip_path = course.sample_moodle_zip(aid)
    result = collect(course, aid, moodle=zip_path, roster=course.sample_roster)
    console.print(f"[bold]collect[/] {aid}: {len(result.students)} Abgaben aus {zip_path.relative_to(course.root)}, "
                  f"Bericht {result.report.relative_to(course.root)}")
    for student, _, found, taken, reason in result.lines:
        if reason != "übernommen" and not taken.startswith("submitted/"):
            console.print(f"  {student}: {found} → {taken or '–'}: {reason}")
    return result.students


def _export_bank(course: Course) -> list[tuple[Path, int]]:
    """The question bank in every export format, under exports/ (not committed)."""
    from .bank import load_bank
    from .bank.export import FORMATS, SUFFIX, export

    bank = load_bank(course.bank)
    written = []
    for fmt in FORMATS:
        path = course.exports / f"fragenbank{SUFFIX[fmt]}"
        written.append((path, export(bank, fmt, path)))
    return written
