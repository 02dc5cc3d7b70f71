"""nbgrader markup: which cell plays which role, and the hidden-test region of a test cell."""

from __future__ import annotations

import re

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*(\n|$)",
                     re.DOTALL | re.MULTILINE)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def role(cell) -> str:
    """``solution``, ``test``, ``manual``, ``locked`` or ``plain``."""
    meta = nbgrader_meta(cell)
    if meta.get("grade") and meta.get("solution"):
        return "manual"
    if meta.get("grade") and cell.get("cell_type") == "code":
        return "test"
    if meta.get("grade") or meta.get("task"):  # a manually graded answer or task
        return "manual"
    if meta.get("solution"):
        return "solution"
    if meta.get("locked"):
        return "locked"
    return "plain"


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def points(cell) -> float:
    return float(nbgrader_meta(cell).get("points", 0) or 0)


def topics(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("graders", {}).get("topics", []))


def split_hidden(source: str) -> tuple[str, str]:
    """(visible code, hidden code) of a test cell's source."""
    hidden = "\n".join(match.group(1) for match in _HIDDEN.finditer(source))
    visible = _HIDDEN.sub("", source)
    return visible.rstrip() + ("\n" if visible.strip() else ""), hidden


def with_cell_replaced(source, cell_id: str, code: str):
    """The notebook with one solution cell's code swapped: a simulated submission (a wrong answer,
    a mutant)."""
    import copy

    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if grade_id(cell) == cell_id and role(cell) == "solution":
            cell.source = code
            return nb
    raise KeyError(f"no solution cell {cell_id!r}")


def read_notebook(path):
    import nbformat  # here, not at the top: a student's kernel imports this module, nbformat costs ~2 s

    return nbformat.read(str(path), as_version=4)


def write_notebook(nb, path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
