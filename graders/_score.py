"""Turn one run of a notebook into per-cell results: compare captures with references.

Runs in the grader's process with the grader's own NumPy; what the student's process wrote is
read as untrusted plain data. Every test cell gets a score (0 unless passed) and a German
message a student can act on, never a hidden test's code or reference values.
"""

from __future__ import annotations

import re

import numpy as np

from ._assemble import Plan, PlannedTest
from ._capture import KIND_WORDS, Capture, unpack
from ._checks import CheckSpec
from ._compare import Outcome, compare, identical
from ._convert import Array, to_plain
from .grades import CellGrade, Status
from ._plaindata import PlainDataError, read_plain
from ._policy import Environment
from ._references import References
from ._runner import CellRun, RunResult
from ._structure import compare_structure
from ._test_messages import failure_message

_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")
_WHY_NOT_RUN = {
    "timeout": "Das Zeitlimit wurde überschritten",
    "memory": "Der Speicher reichte nicht (Speicherlimit überschritten)",
    "crashed": "Der Python-Prozess ist abgestürzt",
}


def zero_results(plan_tests: list[PlannedTest], status: Status, message: str) -> list[CellGrade]:
    return [CellGrade(t.grade_id, 0.0, t.points, status, tuple(t.topics), message) for t in plan_tests]


def score_run(plan: Plan, run: RunResult, references: References, env: Environment,
              cell_timeout: float) -> list[CellGrade]:
    return [_score_test(test, plan, run, references, env, cell_timeout) for test in plan.tests]


def _score_test(test: PlannedTest, plan: Plan, run: RunResult, refs: References, env: Environment,
                cell_timeout: float) -> CellGrade:
    def result(status: str, message: str = "") -> CellGrade:
        return CellGrade(test.grade_id, test.points if status == "passed" else 0.0, test.points, Status(status),
                         tuple(test.topics), message)

    indices = [test.visible_index] + ([test.hidden_index] if test.hidden_index is not None else [])
    for index in indices:
        cell = run.cells[index]
        if cell.status in ("timeout", "memory", "crashed", "not-run"):
            return result(*_not_finished(index, run.cells, cell_timeout))
    visible = run.cells[test.visible_index]
    if visible.status == "error":
        return result(*_test_error(visible, plan, run.cells, test.visible_index, hidden=False))
    if test.hidden_index is not None and run.cells[test.hidden_index].status == "error":
        return result(*_test_error(run.cells[test.hidden_index], plan, run.cells, test.hidden_index, hidden=True))
    for spec in test.specs:
        failure = _check(spec, run, refs, env)
        if failure is not None:
            return result(*failure)
    return result("passed")


def _not_finished(index: int, cells: list[CellRun], cell_timeout: float) -> tuple[str, str]:
    """Why a cell has no result: it, or an earlier cell, ended the process."""
    cause = next((i for i in range(index + 1) if cells[i].status in _WHY_NOT_RUN), None)
    if cause is None:
        return "crashed", "Die Zelle wurde nicht ausgeführt, weil der Python-Prozess vorher beendet wurde."
    status = cells[cause].status
    where = "in dieser Zelle" if cause == index else f"in Zelle {cause + 1} (davor)"
    detail = f" (Limit {cell_timeout:g} s pro Zelle)" if status == "timeout" else ""
    if status == "crashed" and cells[cause].evalue:
        detail = f" ({cells[cause].evalue})"
    return status, f"{_WHY_NOT_RUN[status]} {where}{detail}; die Bewertung dieser Aufgabe ist 0."


def _test_error(cell: CellRun, plan: Plan, cells: list[CellRun], index: int, *, hidden: bool) -> tuple[str, str]:
    return failure_message(cell.ename, cell.evalue, hidden=hidden,
                           failed_solution=_failed_solution(plan, cells, index, _missing_name(cell)))


def _missing_name(cell: CellRun) -> str | None:
    match = _NAME_ERROR.search(cell.evalue) if cell.ename == "NameError" else None
    return match.group(1) if match else None


def _failed_solution(plan: Plan, cells: list[CellRun], before: int, missing: str | None) -> str:
    """The failed solution cell to blame: the one whose solution defines the missing name, else the first."""
    failed = [(i, gid) for i, gid in plan.solution_cells.items()
              if i < before and cells[i].status in ("error", "memory")]
    if missing is not None:
        failed.sort(key=lambda item: missing not in plan.defines.get(item[1], ()))  # stable: first definer first
    for index, gid in failed[:1]:
        run = cells[index]
        if run.ename == "NotImplementedError":
            return f"die noch nicht bearbeitete Lösungszelle '{gid}' (NotImplementedError)"
        return f"der Fehler in der Lösungszelle '{gid}' ({run.ename}: {run.evalue[:200]})"
    return ""


def _check(spec: CheckSpec, run: RunResult, refs: References, env: Environment) -> tuple[str, str] | None:
    """``None`` when the check passes, else (status, message)."""
    error_file = run.captures / f"{spec.key}.error"
    if error_file.is_file() and not error_file.is_symlink():
        with open(error_file, encoding="utf-8", errors="replace") as handle:
            reason = handle.read(1000)
        return "error", f"{spec.label} konnte nicht ausgewertet werden: {reason}"
    try:
        actual = unpack(read_plain(run.captures / spec.key), unchanged=spec.unchanged)
    except PlainDataError as exc:
        return "error", f"{spec.label}: {exc}"
    outcome = judge(spec, actual, None if spec.is_threshold else refs.capture(spec.key), env)
    return None if outcome.ok else ("failed", outcome.message)


def judge(spec: CheckSpec, actual: Capture, expected: Capture | None, env: Environment) -> Outcome:
    """One check's verdict on a capture: threshold, kind of object, value or structure, unchanged arguments.
    ``expected`` is the solution's capture (``None`` for a threshold)."""
    if spec.is_threshold:
        outcome = _threshold(spec, actual.value)
    elif spec.same_type and actual.kind != expected.kind:
        return Outcome(False, f"{spec.label}: erwartet wird {KIND_WORDS[expected.kind][0]}, "
                              f"erhalten {KIND_WORDS[actual.kind][1]}.")
    elif spec.kind == "structure":
        outcome = compare_structure(actual.value, expected.value, what=spec.label, ignore=spec.ignore)
    else:
        outcome = compare(actual.value, expected.value, what=spec.label, options=spec.options, env=env)
    if outcome.ok and spec.unchanged:
        return _unchanged(spec, actual.args_after) or outcome
    return outcome


def _unchanged(spec: CheckSpec, after: dict) -> Outcome | None:
    """The arguments after the call against the grader's own inputs, exactly; ``None`` when unchanged."""
    given = [(str(i), to_plain(v)) for i, v in enumerate(spec.inputs, start=1)]
    given += [(f"`{k}`", to_plain(v)) for k, v in spec.kwargs.items()]
    seen = {str(i): v for i, v in enumerate(after["args"], start=1)}
    seen.update((f"`{k}`", v) for k, v in after["kwargs"].items())
    if set(seen) != {name for name, _ in given}:
        return Outcome(False, f"{spec.label}: das Ergebnis hat ein ungültiges Format (Argumente nach dem Aufruf).")
    for name, before in given:
        if not identical(seen[name], before):
            return Outcome(False, f"{spec.label} verändert das übergebene Argument {name} (in-place); "
                                  "arbeite auf einer Kopie.")
    return None


def _threshold(spec: CheckSpec, actual) -> Outcome:
    if not isinstance(actual, Array) or actual.value.dtype.kind not in "biuf" or actual.value.size == 0:
        return Outcome(False, f"{spec.label}: erwartet wird eine Zahl (oder ein Array von Zahlen).")
    values = actual.value.astype(np.float64)
    if not np.isfinite(values).all():
        return Outcome(False, f"{spec.label}: der Wert ist NaN oder unendlich – ist das Training divergiert?")
    if spec.minimum is not None and (values < spec.minimum).any():
        return Outcome(False, f"{spec.label}: der erreichte Wert liegt unter der geforderten Mindestgrenze.")
    if spec.maximum is not None and (values > spec.maximum).any():
        return Outcome(False, f"{spec.label}: der erreichte Wert liegt über der erlaubten Höchstgrenze.")
    return Outcome(True, precision="threshold")
