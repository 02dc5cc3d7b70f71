"""``graders release``: source/<aid>/ -> release/<aid>/ (student version) and solutions/<aid>/ (executed).

Both are committed; ``graders._student_version.sync_problems`` checks that they still match ``source/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ._references import EXECUTED, load_references
from ._student_version import data_files, release_text
from .course import Course, CourseError

__all__ = ["release", "release_personal"]


def release(course: Course, aid: str, on_notebook: Callable[[str], None] = lambda item: None) -> list[Path]:
    """Write release/<aid>/ and solutions/<aid>/ afresh; returns the files written. ``on_notebook`` is
    called after each notebook (progress: running a solution can take a minute)."""
    course.check_assignment(aid)
    written = []
    for target in (course.release(aid), course.solutions(aid)):
        shutil.rmtree(target, ignore_errors=True)  # nothing stale survives a release
        target.mkdir(parents=True)
    for notebook in course.notebooks(aid):
        path = course.release(aid) / notebook.name
        path.write_text(release_text(course, aid, notebook), encoding="utf-8")
        refs = load_references(course, aid, notebook)  # runs the solution once, cached
        executed = course.solutions(aid) / notebook.name
        shutil.copyfile(refs.folder / EXECUTED, executed)
        written += [path, executed]
        on_notebook(f"{aid}/{notebook.name}")
    return written + _copy_data_files(course, aid, [course.release(aid), course.solutions(aid)])


def _copy_data_files(course: Course, aid: str, targets: list[Path]) -> list[Path]:
    """The files beside the source notebooks, into each of ``targets``; returns the files written."""
    written = []
    for rel in data_files(course.source(aid)):
        for target in targets:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(course.source(aid) / rel, target / rel)
            written.append(target / rel)
    return written


def release_personal(course: Course, aid: str, roster: Path,
                     on_student: Callable[[str], None] = lambda item: None) -> list[Path]:
    """One release per student of the roster for an assignment with variants: the student's variant
    (derived from the id, as the grader derives it) in ``release-personal/<aid>/<student>/``. Refused
    without the course secret or for an assignment without ``variante()``."""
    import nbformat

    from . import _markup as markup, _variants
    from ._intake.roster import read as read_roster
    from ._nbgrader import course_config, student_version

    course.check_assignment(aid)
    if not _variants.uses_variants(course, aid):
        raise CourseError(f"{aid} ruft variante() nicht auf: es gibt nur die gemeinsame Fassung in release/{aid}/.")
    people = read_roster(roster)
    _variants.secret(course)  # refuse before writing anything
    shutil.rmtree(course.root / "release-personal" / aid, ignore_errors=True)
    written, config = [], course_config(course.root)
    for person in people:
        number = _variants.of_student(course, aid, person.student)
        target = course.personal_release(aid, person.student)
        target.mkdir(parents=True)
        for path in _variants.notebooks(course, aid, number):
            nb = student_version(markup.read_notebook(path), aid, path.stem, config)
            # what the notebook says about itself; the grader re-derives it from the student id
            nb.metadata.setdefault("graders", {})["variante"] = {"student": person.student, "nummer": number}
            (target / path.name).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            written.append(target / path.name)
        written += _copy_data_files(course, aid, [target])
        on_student(person.student)
    return written
