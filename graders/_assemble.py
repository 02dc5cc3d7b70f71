"""Build what runs for one notebook: the student's answers inside the source's skeleton.

Test cells and locked cells always come from ``source/``, never from the submission, so editing,
deleting, reordering or duplicating them gains nothing. A student's own extra cells run where the
student put them: after the labelled cell they follow.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import nbformat

from . import _markup as markup
from ._checks import CheckSpec, parse_hidden
from ._syntax import parse as parse_code


@dataclass
class PlannedTest:
    grade_id: str
    points: float
    topics: list[str]
    visible_index: int  # index into Plan.cells
    hidden_index: int | None  # plain (assert) hidden code, run after the visible part
    specs: list[CheckSpec]


@dataclass
class Plan:
    cells: list[dict] = field(default_factory=list)  # runner cells
    notebook_cells: list[int | None] = field(default_factory=list)  # runner cell -> graded nb cell
    notebook: nbformat.NotebookNode | None = None  # the graded notebook (no hidden test code)
    tests: list[PlannedTest] = field(default_factory=list)
    solution_cells: dict[int, str] = field(default_factory=dict)  # runner index -> solution grade_id
    # solution grade_id -> the names the *source's* version of the cell defines (what a missing name blames)
    defines: dict[str, set[str]] = field(default_factory=dict)

    def with_outputs(self, run) -> nbformat.NotebookNode:
        """The notebook with each cell's captured output (streams and errors) attached."""
        nb = copy.deepcopy(self.notebook)
        for index, nb_index in enumerate(self.notebook_cells):
            if nb_index is None:
                continue
            cell_run, outputs = run.cells[index], []
            for name in ("stdout", "stderr"):
                if getattr(cell_run, name):
                    outputs.append(nbformat.v4.new_output("stream", name=name, text=getattr(cell_run, name)))
            if cell_run.status in ("error", "memory") and cell_run.ename:
                outputs.append(nbformat.v4.new_output("error", ename=cell_run.ename, evalue=cell_run.evalue,
                                                      traceback=cell_run.traceback.splitlines()))
            nb.cells[nb_index].outputs = outputs
        return nb

    def stopping_after(self, grade_ids: set[str]) -> "Plan":
        """The plan cut after the last cell of the named tests: later cells cannot change these tests'
        verdicts, so a run that only asks for them (a wrong answer in ``validate``) skips the rest."""
        named = [i for i, t in enumerate(self.tests) if t.grade_id in grade_ids]
        if not named:
            return self
        last = self.tests[named[-1]]  # tests are in cell order: the last named test ends the plan
        end = (last.hidden_index if last.hidden_index is not None else last.visible_index) + 1
        return Plan(self.cells[:end], self.notebook_cells[:end], self.notebook, self.tests[:named[-1] + 1],
                    {i: gid for i, gid in self.solution_cells.items() if i < end}, self.defines)

    def inputs(self) -> dict[str, object]:
        from ._convert import to_plain

        return {spec.key: {"args": [to_plain(v) for v in spec.inputs],
                           "kwargs": {k: to_plain(v) for k, v in spec.kwargs.items()}}
                for test in self.tests for spec in test.specs if spec.kind == "call"}


def defined_names(code: str) -> set[str]:
    """Top-level names a cell binds (assignments, ``def``, ``class``, imports, loop targets); none when
    the code does not parse."""
    import ast

    try:
        tree = parse_code(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def _extras_by_anchor(submission) -> tuple[dict[str, list], dict[str, object]]:
    """Student cells keyed by grade_id, and unlabelled code cells keyed by the label they follow."""
    labelled, extras, anchor = {}, {}, None
    for cell in submission.cells:
        gid = markup.grade_id(cell) if markup.nbgrader_meta(cell) else None
        if gid and markup.role(cell) != "plain":
            if gid not in labelled:
                labelled[gid] = cell
                anchor = gid
            continue
        if cell.get("cell_type") == "code" and cell.get("source", "").strip():
            extras.setdefault(anchor, []).append(cell)
    return extras, labelled


def assemble(source, submission) -> Plan:
    """``source`` and ``submission`` are nbformat v4 notebooks; ``submission`` may be ``source``."""
    extras, labelled = _extras_by_anchor(submission)
    plan = Plan(notebook=nbformat.v4.new_notebook(metadata=copy.deepcopy(source.metadata)))
    first_solution_seen = False

    def emit(code: str, captures: list | None = None, nb_cell=None) -> int:
        plan.cells.append({"source": code, "captures": captures or []})
        if nb_cell is not None:
            plan.notebook.cells.append(nb_cell)
        plan.notebook_cells.append(len(plan.notebook.cells) - 1 if nb_cell is not None else None)
        return len(plan.cells) - 1

    def emit_extras(anchor) -> None:
        for cell in extras.get(anchor, []):
            emit(cell.source, nb_cell=nbformat.v4.new_code_cell(cell.source))

    for cell in source.cells:
        kind, gid = markup.role(cell), markup.grade_id(cell)
        if cell.cell_type != "code":
            plan.notebook.cells.append(copy.deepcopy(cell))
            continue
        if kind == "solution":
            if not first_solution_seen:
                emit_extras(None)
                first_solution_seen = True
            student = labelled.get(gid)
            code = student.source if student is not None and student.get("cell_type") == "code" else ""
            nb_cell = copy.deepcopy(cell)
            nb_cell.source, nb_cell.outputs = code, []
            plan.solution_cells[emit(code, nb_cell=nb_cell)] = gid
            plan.defines[gid] = defined_names(cell.source)
        elif kind == "test":
            visible, hidden = markup.split_hidden(cell.source)
            specs, plain_hidden = parse_hidden(hidden)
            captures = [{"key": s.key, "kind": s.kind, "name": s.name, "tensors": s.tensors, "unchanged": s.unchanged}
                        for s in specs]
            nb_cell = copy.deepcopy(cell)
            nb_cell.source, nb_cell.outputs = visible, []
            visible_index = emit(visible, None if plain_hidden.strip() else captures, nb_cell)
            hidden_index = emit(plain_hidden, captures) if plain_hidden.strip() else None
            plan.tests.append(PlannedTest(gid, markup.points(cell), markup.topics(cell), visible_index,
                                          hidden_index, specs))
        else:
            nb_cell = copy.deepcopy(cell)
            nb_cell.outputs = []
            emit(cell.source, nb_cell=nb_cell)
        if gid:
            emit_extras(gid)
    return plan
