"""One submission: every notebook of the assignment, the totals, and the late penalty."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import _environment, _markup as markup, _variants
from .._assemble import assemble
from .._references import References, load_references
from .._runner import Engine
from .._score import zero_results
from ..course import Course, CourseError
from ..grades import Grades, NotebookGrade, Status
from ._load import load_submission
from ._notebook import grade_notebook
from ._settings import Settings

if TYPE_CHECKING:
    from ..late import Policy


@dataclass
class SubmissionResult:
    grades: Grades
    notebooks: dict[str, str] = field(default_factory=dict)  # name -> graded notebook JSON


def prepare(course: Course, aid: str, engine: Engine | None = None,
            notebooks: list | None = None) -> dict[str, References]:
    """The reference values of every notebook of ``aid`` (computed once, cached by content hash);
    ``notebooks``: of these versions of them (a variant's, ``_variants.notebooks``)."""
    notebooks = course.notebooks(aid) if notebooks is None else notebooks
    if not notebooks:
        raise CourseError(f"source/{aid}/ enthält kein Notebook.")
    return {p.name: load_references(course, aid, p, engine=engine) for p in notebooks}


def sources(course: Course, aid: str, student: str) -> list:
    """The source notebooks the student's work is graded against: the student's variant where the
    assignment has variants (derived from the student id; ``VariantError`` without the course secret)."""
    if not _variants.uses_variants(course, aid):
        return course.notebooks(aid)
    return _variants.notebooks(course, aid, _variants.of_student(course, aid, student))


def grade_submission(course: Course, aid: str, student: str, settings: Settings,
                     references: dict[str, References], engine: Engine | None = None) -> SubmissionResult:
    started = time.monotonic()
    submission_dir = course.submitted(student, aid)
    try:
        source_paths = sources(course, aid, student)
    except _variants.VariantError as exc:
        return crashed_result(course, aid, student, settings, "", message=f"Die Variante dieser Abgabe lässt sich "
                                                                          f"nicht bestimmen: {exc}")
    if source_paths != course.notebooks(aid):
        references = prepare(course, aid, engine, source_paths)  # the variant's, cached after its first student
    entries, notebooks = [], {}
    for source_path in source_paths:
        nb, status, message = load_submission(submission_dir / source_path.name, source_path.name)
        entry, graded = grade_notebook(course, aid, source_path, nb, references[source_path.name], settings, engine,
                                       status=status, message=message)
        entries.append(entry)
        if graded is not None:
            notebooks[source_path.name] = graded
    timings = [e.timing or {} for e in entries]
    grades = Grades(
        aid, student, sum(e.score for e in entries), sum(e.max_score for e in entries), Status.GRADED,
        tuple(entries),
        environment=next((e.environment for e in entries if e.environment), None)
        or _environment.record(settings.device, gpu=settings.gpu),
        timing={"wall_s": round(time.monotonic() - started, 3),
                "code_s": round(sum(t.get("code_s", 0) for t in timings), 3),
                "cpu_s": round(sum(t.get("cpu_s", 0) for t in timings), 3),
                "peak_rss_mib": max((t.get("peak_rss_mib", 0) for t in timings), default=0)})
    return SubmissionResult(grades, notebooks)


def crashed_result(course: Course, aid: str, student: str, settings: Settings, reason: str,
                   message: str = "") -> SubmissionResult:
    """A zero for every cell when the grader itself failed on a submission: never a lost grade."""
    entries = []
    message = message or (f"Die Bewertung ist mit einem internen Fehler abgebrochen ({reason}); "
                          "bitte wende dich an die Lehrenden.")
    for source_path in course.notebooks(aid):
        source = markup.read_notebook(source_path)
        entries.append(NotebookGrade.of(source_path.name, zero_results(assemble(source, source).tests,
                                                                       Status.CRASHED, message), Status.CRASHED))
    return SubmissionResult(Grades(aid, student, 0.0, sum(e.max_score for e in entries), Status.CRASHED,
                                   tuple(entries), _environment.record(settings.device, gpu=settings.gpu),
                                   {"wall_s": 0.0}))


def grade_safely(course: Course, aid: str, student: str, settings: Settings, references, engine) -> SubmissionResult:
    try:
        return grade_submission(course, aid, student, settings, references, engine)
    except Exception as exc:  # the batch goes on; this submission gets explicit zeros
        traceback.print_exc(file=sys.stderr)
        return crashed_result(course, aid, student, settings, type(exc).__name__)


def finish(course: Course, result: SubmissionResult, policy: "Policy") -> SubmissionResult:
    """The late penalty: the submission's collected time against the due date (``late.Policy``)."""
    from .._intake.store import read_time

    grades = result.grades
    submitted = read_time(course.submitted(grades.student, grades.assignment))
    return SubmissionResult(policy.penalize(grades, submitted), result.notebooks)
