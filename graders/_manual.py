"""Manually graded cells (nbgrader's "manually graded answer" and "manually graded task"): found in
the source notebook, checked, recorded as pending until a grader scores them in formgrader."""

from __future__ import annotations

from . import _markup as markup
from .grades import CellGrade, Status


def cells(nb) -> list:
    return [cell for cell in nb.cells if markup.role(cell) == "manual"]


def problems(name: str, nb) -> list[str]:
    """German: a manual cell without points, or a rubric (``metadata.graders.rubric``: items with
    points) worth more than the cell."""
    found = []
    for cell in cells(nb):
        gid, points = markup.grade_id(cell), markup.points(cell)
        if points <= 0:
            found.append(f"{name}: die von Hand bewertete Zelle {gid} hat keine Punkte (nbgrader: points).")
        total = sum(float(item.get("points", 0)) for item in rubric(cell))
        if total > points > 0:
            found.append(f"{name}: die Bewertungshilfe von {gid} vergibt {total:g} Punkte, die Zelle hat nur {points:g}.")
    return found


def rubric(cell) -> list[dict]:
    """The grader's rubric (``metadata.graders.rubric``): items with ``text`` and ``points``."""
    return [item for item in cell.get("metadata", {}).get("graders", {}).get("rubric", []) if isinstance(item, dict)]


def rubric_text(cell) -> str:
    """The rubric as the grader reads it in formgrader (German, one item a line), or ""."""
    items = rubric(cell)
    if not items:
        return ""
    lines = [f"– {item.get('text', '')}: {float(item.get('points', 0)):g} P." for item in items]
    return f"Bewertungshilfe ({markup.points(cell):g} P.):\n" + "\n".join(lines)


def pending(nb, status: Status = Status.PENDING, message: str = "") -> list[CellGrade]:
    """A zero of ``status`` for every manual cell (pending: waits for formgrader)."""
    return [CellGrade(markup.grade_id(cell), 0.0, markup.points(cell), status, tuple(markup.topics(cell)), message)
            for cell in cells(nb)]
