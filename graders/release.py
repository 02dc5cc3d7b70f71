"""``graders release``: source/<aid>/ -> release/<aid>/ (student version) and solutions/<aid>/ (executed).

Both are committed; ``graders._student_version.sync_problems`` checks that they still match ``source/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ._references import EXECUTED, load_references
from ._student_version import data_files, release_text
from .course import Course

__all__ = ["release"]


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
    for rel in data_files(course.source(aid)):
        for target in (course.release(aid), course.solutions(aid)):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(course.source(aid) / rel, target / rel)
            written.append(target / rel)
    return written
