"""One notebook: assemble (test cells from source/), run on the engine, score against references."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from .. import _environment, _manual, _markup as markup
from .._assemble import Plan, assemble
from .._references import References
from .._runner import Engine, RunResult, run_cells
from .._score import score_run, zero_results
from ..course import Course
from ..grades import CellGrade, NotebookGrade, Status
from ._settings import Settings


@dataclass
class Executed:
    """A notebook's run, not yet scored (``score_notebook`` scores it and frees the run's files)."""

    name: str
    plan: Plan
    run: RunResult


def run_notebook(course: Course, aid: str, source_path: Path, nb, settings: Settings, engine: Engine | None = None,
                 *, stop_after: set[str] | None = None) -> Executed:
    """Assemble (test cells from source/) and run on the engine. ``stop_after``: only up to these test
    cells; the cells after them are skipped and their tests left out of the result."""
    plan = assemble(markup.read_notebook(source_path), nb)
    if stop_after:
        plan = plan.stopping_after(stop_after)
    run = run_cells(plan.cells, plan.inputs(), files=course.source(aid), limits=settings.limits, engine=engine)
    return Executed(source_path.name, plan, run)


def score_notebook(executed: Executed, refs: References, settings: Settings) -> NotebookGrade:
    """The notebook's grades (validate and mutate need no graded notebook: writing one is 10 ms a run)."""
    return _score(executed, refs, settings, graded_notebook=False)[0]


def _score(executed: Executed, refs: References, settings: Settings, *,
           graded_notebook: bool) -> tuple[NotebookGrade, str | None]:
    """(grades of the notebook, graded notebook JSON where asked for); frees the run's files."""
    plan, run = executed.plan, executed.run
    try:
        environment = _environment.record(settings.device, device_id=run.device_id, sandbox=run.sandboxed,
                                          gpu=run.gpu or settings.gpu)
        results = score_run(plan, run, refs, _environment.from_record(environment), settings.limits.cell_timeout)
        graded = None
        if graded_notebook:
            graded = plan.with_outputs(run)
            _mark_results(graded, results)
    finally:
        run.cleanup()
    timing = {"wall_s": round(run.wall_s, 3), "code_s": round(sum(c.wall_s for c in run.cells), 3),
              "cpu_s": round(run.cpu_s, 3), "peak_rss_mib": round(run.peak_rss_mib, 1)}
    return (NotebookGrade.of(executed.name, results, Status.GRADED, environment=environment, timing=timing),
            None if graded is None else nbformat.writes(graded))


def grade_notebook(course: Course, aid: str, source_path: Path, nb, refs: References, settings: Settings,
                   engine: Engine | None = None, *, status: Status | None = None,
                   message: str = "") -> tuple[NotebookGrade, str | None]:
    """(grades of one notebook, graded notebook JSON or None). ``nb`` None: not gradable, every
    test cell gets ``status`` with ``message``. Manually graded cells come last, pending."""
    source = markup.read_notebook(source_path)
    if nb is None:
        tests = assemble(source, source).tests
        entry, graded = NotebookGrade.of(source_path.name, zero_results(tests, status, message), status), None
    else:
        entry, graded = _score(run_notebook(course, aid, source_path, nb, settings, engine), refs, settings,
                               graded_notebook=True)
    manual = _manual.pending(source, *((status, message) if nb is None else ()))
    if manual:
        entry = replace(entry, cells=(*entry.cells, *manual), max_score=entry.max_score + sum(c.max_score for c in manual))
    return entry, graded


def _mark_results(nb, results: list[CellGrade]) -> None:
    """Each test cell of the graded notebook carries its result in ``metadata.graders.result``."""
    by_id = {r.grade_id: r for r in results}
    for cell in nb.cells:
        result = by_id.get(markup.grade_id(cell)) if markup.role(cell) == "test" else None
        if result is not None:
            cell.setdefault("metadata", {}).setdefault("graders", {})["result"] = result.to_json()
