"""``graders autograde``: grade submissions into grades.json, graded notebooks and gradebook.db.

Grading is the core's job (``graders.grading``, on the local pool or on Ray actors); this command
picks the submissions, applies the late policy and is the single writer: the gradebook in one
transaction, then the grades record (``graders.grades``) in one rename.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime

from . import _markup as markup, _nbgrader, grades as records, late, manual
from ._runner import Engine, sandbox
from .course import Course, CourseError
from .grades import Currency, Grades, Status
from .grading import Settings, SubmissionResult, finish, grade_safely, prepare

__all__ = ["Settings", "autograde", "ensure_assignment", "repenalize"]


def ensure_assignment(course: Course, aid: str) -> None:
    """The assignment, its cells and its configured due date in the gradebook."""
    cfg = late.config(course)
    _nbgrader.ensure_assignment(course.gradebook_url, aid,
                                {p.stem: markup.read_notebook(p) for p in course.notebooks(aid)}, cfg,
                                duedate=late.duedate(course, aid, cfg))


def _record_gradebook(course: Course, grades: Grades) -> None:
    scores = {(nb.stem, c.grade_id): c.score for nb in grades.notebooks for c in nb.cells}
    record = grades.submission
    submitted = record.timestamp if record else None
    extension = (datetime.fromisoformat(record.duedate) - datetime.fromisoformat(record.regular_duedate)
                 if record and record.regular_duedate and record.duedate else None)
    _nbgrader.record_submission(course.gradebook_url, grades.assignment, grades.student, scores,
                                timestamp=datetime.fromisoformat(submitted) if submitted else None,
                                late_penalties={nb.stem: nb.late_penalty or 0.0 for nb in grades.notebooks},
                                extension=extension,
                                pending={(nb.stem, c.grade_id) for nb in grades.notebooks for c in nb.cells
                                         if c.status in (Status.PENDING, Status.GRADED)})


def autograde(course: Course, aid: str, *, students: list[str] | None = None, force: bool = False,
              settings: Settings = Settings(), engine: Engine | None = None) -> list[Grades]:
    """Grade and record; returns the grades of every submission graded in this call, by student.
    ``engine``: warm workers to borrow (their device and sandbox count, not ``settings``'); without
    one, the local backend starts ``settings.workers`` of its own and closes them at the end."""
    from ._progress import progress

    course.check_assignment(aid)
    if not course.notebooks(aid):
        raise CourseError(f"source/{aid}/ enthält kein Notebook.")
    if settings.sandbox:
        sandbox.require()  # refuse before anything starts, on every backend
    explicit = bool(students)
    candidates = students or course.students(aid)
    missing = [s for s in candidates if not course.submitted(s, aid).is_dir()]
    if missing:
        raise CourseError(f"Keine Abgabe unter submitted/<student>/{aid}/ für: {', '.join(missing)}")
    todo = [s for s in candidates if force or explicit or records.currency(course, aid, s) is not Currency.CURRENT]
    graded: list[Grades] = []
    records.clean_stale(course, aid)
    if not todo:
        return graded
    if settings.record_gradebook:
        ensure_assignment(course, aid)
    schedule = late.schedule(course)
    policy = late.Policy(schedule, aid)
    with progress(len(todo), f"autograde {aid}") as step:
        for result in _results(course, aid, todo, settings, engine):  # this thread is the single writer
            result = finish(course, result, policy)
            manual_grades, problems = manual.apply(course, result.grades, policy)  # formgrader's scores stay
            result = SubmissionResult(manual_grades, result.notebooks)
            for problem in problems:
                print(f"Hinweis: {problem}", file=sys.stderr)
            if settings.record_gradebook:  # gradebook first: grades.json appearing marks it graded
                _record_gradebook(course, result.grades)
            records.write(course, result.grades, result.notebooks)
            graded.append(result.grades)
            step(f"{result.grades.student}: {result.grades.score:g}/{result.grades.max_score:g}")
    if schedule.budget is not None:  # a new submission time can move late days between assignments
        repenalize(course, [a for a in schedule.dues if a != aid], [g.student for g in graded], schedule)
    return sorted(graded, key=lambda g: g.student)


def repenalize(course: Course, aids: list[str] | None = None, students: list[str] | None = None,
               schedule: late.Schedule | None = None) -> list[tuple[Grades, Grades]]:
    """Recompute the late penalties of graded submissions from the current deadlines (due dates,
    extensions, late days) without regrading: grades.json (with a history line) and the gradebook
    where they changed. Returns (before, after) of each change."""
    schedule = schedule or late.schedule(course)
    changed = []
    for aid in aids or course.assignments():
        policy, known = late.Policy(schedule, aid), False
        for student in course.graded_students(aid):
            if students is not None and student not in students:
                continue
            try:
                before = records.load(course, aid, student)
            except (OSError, ValueError):
                continue  # unreadable: autograde --force writes it anew
            timestamp = before.submission.timestamp if before.submission else None
            after = policy.penalize(before, datetime.fromisoformat(timestamp) if timestamp else None)
            if after.to_json() == before.to_json():
                continue
            folder = course.autograded(student, aid)
            notebooks = {nb.name: (folder / nb.name).read_text(encoding="utf-8")
                         for nb in before.notebooks if (folder / nb.name).is_file()}
            if course.gradebook_path.is_file():
                if not known:
                    ensure_assignment(course, aid)
                    known = True
                _record_gradebook(course, after)
            records.write(course, after, notebooks, cause="deadlines")
            changed.append((before, after))
    return changed


def _results(course: Course, aid: str, students: list[str], settings: Settings,
             engine: Engine | None) -> Iterator[SubmissionResult]:
    """Grade ``students`` on the chosen backend; yields results as they finish."""
    if settings.backend == "ray":
        from ._ray import grade_all

        yield from grade_all(course, aid, students, settings)
        return
    if engine is None:
        with Engine(workers=settings.workers, device=settings.device, sandbox=settings.sandbox,
                gpu=settings.gpu) as own:
            yield from _results(course, aid, students, settings, own)
        return
    references = prepare(course, aid, engine)
    with ThreadPoolExecutor(max_workers=engine.workers) as pool:
        futures = [pool.submit(grade_safely, course, aid, s, settings, references, engine) for s in students]
        for future in as_completed(futures):
            yield future.result()
