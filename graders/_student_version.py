"""What release/<aid>/ and solutions/<aid>/ must hold for source/<aid>/, and whether they still do.

``graders release`` writes it; ``graders validate`` and ``graders demo`` check it.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import nbformat

from . import _markup as markup
from ._assemble import assemble
from ._nbgrader import course_config, student_version
from .course import Course

_IGNORED = (".ipynb_checkpoints", "__pycache__")


def data_files(folder: Path) -> list[Path]:
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
        source_files, target_files = set(data_files(course.source(aid))), set(data_files(target))
        for rel in sorted(source_files ^ target_files):
            problems.append(f"{target.relative_to(course.root)}/{rel}: Datei nur auf einer Seite")
        for rel in sorted(source_files & target_files):
            if not filecmp.cmp(course.source(aid) / rel, target / rel, shallow=False):
                problems.append(f"{target.relative_to(course.root)}/{rel} weicht von source/ ab")
    for notebook in notebooks:
        released = course.release(aid) / notebook.name
        if released.is_file() and _essence(nbformat.reads(released.read_text(encoding="utf-8"), as_version=4)) \
                != _essence(nbformat.reads(release_text(course, aid, notebook), as_version=4)):
            problems.append(f"release/{aid}/{notebook.name} ist nicht aktuell")
        solved = course.solutions(aid) / notebook.name
        if solved.is_file() and [c.source for c in markup.read_notebook(solved).cells] != solution_sources(notebook):
            problems.append(f"solutions/{aid}/{notebook.name} ist nicht aktuell")
    return [f"{problem}: graders release {aid} ausführen" for problem in problems]


def _essence(nb) -> tuple:
    """What students get from a release notebook: cells (kind, source, outputs, nbgrader and graders
    metadata) and the notebook's graders/nbgrader metadata. Kernel and editor metadata (``language_info``,
    ``kernelspec``, cell ids, execution counts), which JupyterLab rewrites on every save, do not count."""
    cells = [(c.cell_type, c.source, c.get("outputs", []), c.metadata.get("nbgrader"), c.metadata.get("graders"))
             for c in nb.cells]
    return cells, {k: nb.metadata.get(k) for k in ("graders", "nbgrader")}
