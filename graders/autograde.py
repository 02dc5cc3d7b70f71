"""``graders autograde``: grade submissions into grades.json, graded notebooks and gradebook.db.

Grading a submission (``grade_submission``) is pure: it returns results. Writing them
(``write_result``) is the single writer's job: files first into a temporary folder that replaces
the old one in one rename, the gradebook in one transaction.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from datetime import datetime
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from . import _environment, _markup as markup, _nbgrader, late
from ._intake.store import read_time
from ._assemble import assemble
from ._device import GpuSettings
from ._references import References, load_references
from ._runner import Engine, Limits, run_cells, sandbox
from ._score import CellResult, score_run, zero_results
from .course import Course, CourseError

SCHEMA = 1
MAX_NOTEBOOK_BYTES = 100 << 20


@dataclass(frozen=True)
class Settings:
    limits: Limits = Limits()
    device: str = "cpu"
    gpu: GpuSettings = GpuSettings()  # how the workers share the GPUs on device="cuda"
    workers: int = 1
    backend: str = "local"  # or "ray"
    ray_address: str | None = None
    sandbox: bool | None = None  # True: bubblewrap or refuse; False: none; None: where it can run
    record_gradebook: bool = True  # False: a trial run that leaves gradebook.db untouched


@dataclass
class SubmissionResult:
    grades: dict
    notebooks: dict[str, str] = field(default_factory=dict)  # name -> graded notebook JSON


# -- grading ---------------------------------------------------------------------------------------

def load_submission(path: Path, expected_name: str) -> tuple[nbformat.NotebookNode | None, str, str]:
    """(notebook, status, German message); status is ``ok``, ``missing`` or ``invalid``."""
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb")) if path.parent.is_dir() else []
        hint = f" Gefunden wurde: {', '.join(others)} – bitte den Namen {expected_name} beibehalten." if others else ""
        return None, "missing", f"Das Notebook {expected_name} fehlt in der Abgabe.{hint}"
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return None, "invalid", (f"Das Notebook ist größer als {MAX_NOTEBOOK_BYTES >> 20} MB und wird nicht bewertet; "
                                 "lösche große Ausgaben (Kernel → Restart & Clear Output) und gib erneut ab.")
    try:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
    except UnicodeDecodeError:
        return None, "invalid", "Das Notebook ist keine UTF-8-Textdatei und kann nicht gelesen werden."
    except json.JSONDecodeError as exc:
        return None, "invalid", (f"Das Notebook ist keine gültige JSON-Datei (Fehler in Zeile {exc.lineno}); "
                                 "wurde es außerhalb von Jupyter bearbeitet oder beim Hochladen beschädigt?")
    except Exception as exc:  # nbformat raises several types for unreadable notebooks
        return None, "invalid", f"Das Notebook hat keine gültige Notebook-Struktur ({type(exc).__name__})."
    cells = nb.get("cells")
    if not isinstance(cells, list) or any(not isinstance(c, dict) or not isinstance(c.get("source", ""), str)
                                          for c in cells):
        return None, "invalid", "Das Notebook hat keine gültige Notebook-Struktur (Zellenliste)."
    for cell in cells:
        cell.pop("outputs", None)  # outputs are never graded; dropping them bounds memory
    return nb, "ok", ""


def grade_loaded(course: Course, aid: str, source_path: Path, nb, refs: References, settings: Settings,
                 engine: Engine | None = None, *, status: str = "ok", message: str = "") -> tuple[dict, str | None]:
    """(grades.json entry, graded notebook JSON or None) for one notebook, already loaded."""
    source = markup.read_notebook(source_path)
    if nb is None:
        tests = assemble(source, source).tests
        return _notebook_entry(source_path.name, zero_results(tests, status, message), status), None
    plan = assemble(source, nb)
    run = run_cells(plan.cells, plan.inputs(), files=course.source(aid), limits=settings.limits, engine=engine)
    try:
        environment = _environment.record(settings.device, device_id=run.device_id, sandbox=run.sandboxed,
                                          gpu=run.gpu or settings.gpu)
        results = score_run(plan, run, refs, _environment.from_record(environment), settings.limits.cell_timeout)
        graded = plan.with_outputs(run)
        _mark_results(graded, results)
    finally:
        run.cleanup()
    entry = _notebook_entry(source_path.name, results, "graded")
    entry["environment"] = environment
    entry["timing"] = {"wall_s": round(run.wall_s, 3), "code_s": round(sum(c.wall_s for c in run.cells), 3),
                       "cpu_s": round(run.cpu_s, 3), "peak_rss_mib": round(run.peak_rss_mib, 1)}
    return entry, nbformat.writes(graded)


def _notebook_entry(name: str, results: list[CellResult], status: str) -> dict:
    return {"name": name, "score": sum(r.score for r in results), "max_score": sum(r.max_score for r in results),
            "status": status, "cells": [r.as_dict() for r in results]}


def _mark_results(nb, results: list[CellResult]) -> None:
    """Each test cell of the graded notebook carries its result in ``metadata.graders.result``."""
    by_id = {r.grade_id: r for r in results}
    for cell in nb.cells:
        result = by_id.get(markup.grade_id(cell)) if markup.role(cell) == "test" else None
        if result is not None:
            cell.setdefault("metadata", {}).setdefault("graders", {})["result"] = result.as_dict()


def grade_submission(course: Course, aid: str, student: str, settings: Settings,
                     references: dict[str, References], engine: Engine | None = None) -> SubmissionResult:
    started = time.monotonic()
    submission_dir = course.submitted(student, aid)
    entries, notebooks = [], {}
    for source_path in course.notebooks(aid):
        nb, status, message = load_submission(submission_dir / source_path.name, source_path.name)
        entry, graded = grade_loaded(course, aid, source_path, nb, references[source_path.name], settings, engine,
                                     status=status, message=message)
        entries.append(entry)
        if graded is not None:
            notebooks[source_path.name] = graded
    grades = {
        "schema": SCHEMA, "assignment": aid, "student": student,
        "score": sum(e["score"] for e in entries), "max_score": sum(e["max_score"] for e in entries),
        "status": "graded", "notebooks": entries,
        "environment": next((e["environment"] for e in entries if "environment" in e),
                            _environment.record(settings.device, gpu=settings.gpu)),
        "timing": {"wall_s": round(time.monotonic() - started, 3),
                   "code_s": round(sum(e.get("timing", {}).get("code_s", 0) for e in entries), 3),
                   "cpu_s": round(sum(e.get("timing", {}).get("cpu_s", 0) for e in entries), 3),
                   "peak_rss_mib": max((e.get("timing", {}).get("peak_rss_mib", 0) for e in entries), default=0)},
    }
    return SubmissionResult(grades, notebooks)


# -- writing ---------------------------------------------------------------------------------------

def clean_stale(course: Course, aid: str) -> None:
    """Remove what a killed writer left half-done (its staging or replaced folders)."""
    for leftover in (course.root / "autograded").glob(f"*/.{aid}.*-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_result(course: Course, aid: str, result: SubmissionResult, record_gradebook: bool = True) -> Path:
    """The single writer: gradebook first (one transaction), then the folder in one rename;
    grades.json appearing is what marks a submission as graded."""
    student = result.grades["student"]
    scores = {(Path(e["name"]).stem, c["grade_id"]): c["score"] for e in result.grades["notebooks"] for c in e["cells"]}
    if record_gradebook:
        submitted = result.grades.get("submission", {}).get("timestamp")
        _nbgrader.record_submission(course.gradebook_url, aid, student, scores,
                                    timestamp=datetime.fromisoformat(submitted) if submitted else None,
                                    late_penalties={Path(e["name"]).stem: e.get("late_penalty", 0.0)
                                                    for e in result.grades["notebooks"]})
    dest = course.autograded(student, aid)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{aid}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, text in result.notebooks.items():
        (staging / name).write_text(text, encoding="utf-8")
    (staging / "grades.json").write_text(json.dumps(result.grades, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    old = dest.parent / f".{aid}.old-{os.getpid()}"
    if dest.exists():
        os.rename(dest, old)
    os.rename(staging, dest)
    shutil.rmtree(old, ignore_errors=True)
    _append_history(course, aid, result.grades)
    return dest / "grades.json"


def _append_history(course: Course, aid: str, grades: dict) -> None:
    """One line per grading run, never rewritten: grades.json holds only the latest run, the class
    report's regrade history needs them all. Written after the rename, so a line means a written grade."""
    line = {"student": grades["student"], "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "score": grades["score"], "max_score": grades["max_score"], "status": grades["status"],
            "wall_s": grades["timing"]["wall_s"],
            "cells": {f"{Path(e['name']).stem}/{c['grade_id']}": c["score"]
                      for e in grades["notebooks"] for c in e["cells"]}}
    path = course.history(aid)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab+") as out:
        if out.seek(0, os.SEEK_END):
            out.seek(-1, os.SEEK_END)
            if out.read(1) != b"\n":  # a killed writer's cut-off line stays on a line of its own
                out.write(b"\n")
        out.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))


def crashed_result(course: Course, aid: str, student: str, settings: Settings, reason: str) -> SubmissionResult:
    """A zero for every cell when the grader itself failed on a submission: never a lost grade."""
    entries = []
    for source_path in course.notebooks(aid):
        tests = assemble(markup.read_notebook(source_path), markup.read_notebook(source_path)).tests
        entries.append(_notebook_entry(source_path.name, zero_results(
            tests, "crashed", f"Die Bewertung ist mit einem internen Fehler abgebrochen ({reason}); "
                              "bitte wende dich an die Lehrenden."), "crashed"))
    return SubmissionResult({
        "schema": SCHEMA, "assignment": aid, "student": student, "score": 0.0,
        "max_score": sum(e["max_score"] for e in entries), "status": "crashed", "notebooks": entries,
        "environment": _environment.record(settings.device, gpu=settings.gpu), "timing": {"wall_s": 0.0}})


# -- command ---------------------------------------------------------------------------------------

def prepare(course: Course, aid: str, engine: Engine | None = None, gradebook: bool = True) -> dict[str, References]:
    """References and the gradebook entry of an assignment, before any submission is graded."""
    notebooks = course.notebooks(aid)
    if not notebooks:
        raise CourseError(f"source/{aid}/ enthält kein Notebook.")
    if gradebook:
        ensure_assignment(course, aid)
    return {p.name: load_references(course, aid, p, engine=engine) for p in notebooks}


def ensure_assignment(course: Course, aid: str) -> None:
    """The assignment, its cells and its configured due date in the gradebook."""
    cfg = late.config(course)
    _nbgrader.ensure_assignment(course.gradebook_url, aid,
                                {p.stem: markup.read_notebook(p) for p in course.notebooks(aid)}, cfg,
                                duedate=late.duedate(course, aid, cfg))


def grade_safely(course: Course, aid: str, student: str, settings: Settings, references, engine) -> SubmissionResult:
    try:
        return grade_submission(course, aid, student, settings, references, engine)
    except Exception as exc:  # the batch goes on; this submission gets explicit zeros
        traceback.print_exc(file=sys.stderr)
        return crashed_result(course, aid, student, settings, type(exc).__name__)


def autograde(course: Course, aid: str, *, students: list[str] | None = None, force: bool = False,
              settings: Settings = Settings()) -> list[dict]:
    """Grade and record; returns the grades of every submission graded in this call."""
    from ._progress import progress

    course.check_assignment(aid)
    if settings.sandbox:
        sandbox.require()  # refuse before anything starts, on every backend
    explicit = bool(students)
    candidates = students or course.students(aid)
    missing = [s for s in candidates if not course.submitted(s, aid).is_dir()]
    if missing:
        raise CourseError(f"Keine Abgabe unter submitted/<student>/{aid}/ für: {', '.join(missing)}")
    todo = [s for s in candidates if force or explicit or _needs_grading(course, aid, s)]
    graded = []
    clean_stale(course, aid)
    if not todo:
        return graded
    cfg = late.config(course)
    due = late.duedate(course, aid, cfg)
    with progress(len(todo), f"autograde {aid}") as step:
        for result in _results(course, aid, todo, settings):  # this thread is the single writer
            student = result.grades["student"]
            late.apply(result.grades, cfg, read_time(course.submitted(student, aid)), due)
            write_result(course, aid, result, settings.record_gradebook)
            graded.append(result.grades)
            step(f"{result.grades['student']}: {result.grades['score']:g}/{result.grades['max_score']:g}")
    return sorted(graded, key=lambda g: g["student"])


def _needs_grading(course: Course, aid: str, student: str) -> bool:
    """Not graded yet, or graded before a newer submission was collected (as nbgrader decides)."""
    path = course.autograded(student, aid) / "grades.json"
    if not path.is_file():
        return True
    submitted = read_time(course.submitted(student, aid))
    graded_at = json.loads(path.read_text(encoding="utf-8")).get("submission", {}).get("timestamp")
    return (submitted.isoformat() if submitted else None) != graded_at


def _results(course: Course, aid: str, students: list[str], settings: Settings):
    """Grade ``students`` on the chosen backend; yields results as they finish."""
    if settings.backend == "ray":
        from ._ray import grade_all

        if settings.record_gradebook:
            ensure_assignment(course, aid)
        yield from grade_all(course, aid, students, settings)
        return
    with Engine(workers=settings.workers, device=settings.device, sandbox=settings.sandbox,
                gpu=settings.gpu) as engine:
        references = prepare(course, aid, engine, settings.record_gradebook)
        with ThreadPoolExecutor(max_workers=settings.workers) as pool:
            futures = [pool.submit(grade_safely, course, aid, s, settings, references, engine) for s in students]
            for future in as_completed(futures):
                yield future.result()
