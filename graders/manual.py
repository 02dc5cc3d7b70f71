"""``graders sync-manual``: formgrader's manual scores and comments from gradebook.db into grades.json.

Autograde records manually graded cells as pending (and in gradebook.db as needing a manual grade);
a grader scores them in nbgrader's formgrader on the same gradebook. Syncing turns a pending cell
into a graded one (the comment becomes its message), recomputes the totals and the late penalty.
Autograde applies it to every result too, so regrading the autograded part never loses a manual score.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from . import _nbgrader, grades as records, late
from .course import Course
from .grades import Grades, Status

__all__ = ["apply", "sync_manual"]

_MANUAL = (Status.PENDING, Status.GRADED)


def apply(course: Course, grades: Grades, policy: late.Policy) -> tuple[Grades, list[str]]:
    """The grades with formgrader's manual scores; German problems for scores it refuses (above the
    cell's maximum or below zero: the cell stays as it was)."""
    manual = [(nb.stem, c.grade_id) for nb in grades.notebooks for c in nb.cells if c.status in _MANUAL]
    if not manual or not course.gradebook_path.is_file():
        return grades, []
    scored = _nbgrader.manual_grades(course.gradebook_url, grades.assignment, grades.student, manual)
    problems, notebooks = [], []
    for entry in grades.notebooks:
        cells = []
        for cell in entry.cells:
            if cell.status in _MANUAL and (entry.stem, cell.grade_id) in scored:
                score, comment = scored[entry.stem, cell.grade_id]
                if score is None:
                    cell = replace(cell, score=0.0, status=Status.PENDING, message="")
                elif not 0 <= score <= cell.max_score:
                    problems.append(f"{grades.student}, {entry.name}/{cell.grade_id}: {score:g} Punkte in formgrader, "
                                    f"erlaubt sind 0 bis {cell.max_score:g} – nicht übernommen.")
                else:
                    cell = replace(cell, score=float(score), status=Status.GRADED, message=comment)
            cells.append(cell)
        notebooks.append(replace(entry, cells=tuple(cells), score=sum(c.score for c in cells)))
    raw = sum(nb.score for nb in notebooks)
    record = grades.submission
    grades = replace(grades, notebooks=tuple(notebooks), score=raw,
                     submission=replace(record, score_before_penalty=raw) if record else None)
    submitted = datetime.fromisoformat(record.timestamp) if record and record.timestamp else None
    return policy.penalize(grades, submitted), problems


def sync_manual(course: Course, aid: str) -> tuple[list[Grades], list[str]]:
    """Every graded submission of ``aid`` with formgrader's scores; (changed grades, problems)."""
    course.check_assignment(aid)
    policy, changed, problems = late.policy(course, aid), [], []
    for before in records.load_all(course, aid):
        after, found = apply(course, before, policy)
        problems += found
        if after.to_json() == before.to_json():
            continue
        folder = course.autograded(before.student, aid)
        notebooks = {nb.name: (folder / nb.name).read_text(encoding="utf-8")
                     for nb in before.notebooks if (folder / nb.name).is_file()}
        records.write(course, after, notebooks, cause="manual")
        changed.append(after)
    return changed, problems
