"""``graders release``: source/<aid>/ -> release/<aid>/ (student version) and solutions/<aid>/ (executed).

Both are committed; ``sync_problems`` is the check that they still match ``source/``.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat

from . import _markup as markup
from ._assemble import assemble
from ._nbgrader import course_config, student_version
from ._references import EXECUTED, load_references
from .course import Course

_IGNORED = (".ipynb_checkpoints", "__pycache__")


def _data_files(folder: Path) -> list[Path]:
    """Files beside the notebooks (relative paths), which travel with the release."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if p.is_file() and p.suffix != ".ipynb" and not set(p.parts) & set(_IGNORED))


def release_text(course: Course, aid: str, notebook: Path) -> str:
    nb = student_version(markup.read_notebook(notebook), aid, notebook.stem, course_config(course.root))
    return nbformat.writes(nb) + "\n"


def solution_sources(notebook: Path) -> list[str]:
    """What solutions/ must hold, outputs aside: the source without hidden test code."""
    source = markup.read_notebook(notebook)
    return [cell.source for cell in assemble(source, source).notebook.cells]


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
    for rel in _data_files(course.source(aid)):
        for target in (course.release(aid), course.solutions(aid)):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(course.source(aid) / rel, target / rel)
            written.append(target / rel)
    return written


def sync_problems(course: Course, aid: str) -> list[str]:
    """Why release/<aid>/ or solutions/<aid>/ no longer match source/<aid>/ (empty when in sync)."""
    problems = []
    notebooks = course.notebooks(aid)
    for target in (course.release(aid), course.solutions(aid)):
        expected = {n.name for n in notebooks}
        present = {p.name for p in target.glob("*.ipynb")} if target.is_dir() else set()
        for name in sorted(expected - present):
            problems.append(f"{target.relative_to(course.root)}/{name} fehlt")
        for name in sorted(present - expected):
            problems.append(f"{target.relative_to(course.root)}/{name} gibt es in source/ nicht")
        source_files, target_files = set(_data_files(course.source(aid))), set(_data_files(target))
        for rel in sorted(source_files ^ target_files):
            problems.append(f"{target.relative_to(course.root)}/{rel}: Datei nur auf einer Seite")
        for rel in sorted(source_files & target_files):
            if not filecmp.cmp(course.source(aid) / rel, target / rel, shallow=False):
                problems.append(f"{target.relative_to(course.root)}/{rel} weicht von source/ ab")
    for notebook in notebooks:
        released = course.release(aid) / notebook.name
        if released.is_file() and released.read_text(encoding="utf-8") != release_text(course, aid, notebook):
            problems.append(f"release/{aid}/{notebook.name} ist nicht aktuell")
        solved = course.solutions(aid) / notebook.name
        if solved.is_file() and [c.source for c in markup.read_notebook(solved).cells] != solution_sources(notebook):
            problems.append(f"solutions/{aid}/{notebook.name} ist nicht aktuell")
    return problems
