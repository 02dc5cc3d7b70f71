"""Mutation analysis: do the hidden tests reject small mistakes made to the solution?

Each mutant (``_mutants``) is graded like a submission, on the same engine, and asked only for the
test cells that follow its solution cell (up to the next solution cell): those are the tests that
should catch it. A mutant is killed when one of them gives it fewer points than the solution gets;
a crash or a timeout kills only through that verdict, never by itself. The score of a test group is
killed / (mutants − equivalent ones).

``content/<aid>/equivalent_mutants.yaml`` lists survivors that behave like the solution by
construction, with a reason; ``content/<aid>/mutation.yaml`` records the last full analysis (its
digest names the notebook and equivalents it was made from, so a stale record is detected).
"""

from __future__ import annotations

import ast
import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from . import _markup as markup
from ._assemble import assemble
from ._mutants import DEFAULT_PER_CELL, Mutant, mutants_of, sample
from ._references import load_references
from ._runner import Engine, Limits
from ._syntax import parse as parse_code
from .course import Course, CourseError
from .grades import Status
from .grading import Settings, run_notebook, score_notebook

GENERATOR_VERSION = "1"  # bump when the operators change: records made before are stale
THRESHOLD = 0.9  # the share of non-equivalent mutants every test group must kill
_NOT_FINISHED = {Status.TIMEOUT, Status.MEMORY, Status.CRASHED}


class MutationError(CourseError):
    """A broken equivalent_mutants.yaml or mutation record, or a solution that fails its tests."""


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: str  # killed, survived, equivalent, not-built (the last two are not counted)
    killed_by: tuple[str, ...] = ()
    how: str = ""  # killed: "failed", "error" or "timeout"; equivalent: the reason; not-built: the error


@dataclass
class Group:
    """One solution cell and the test cells that should catch its mutants."""

    notebook: str
    cell: str
    tests: tuple[str, ...]
    generated: int = 0  # before sampling
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)

    @property
    def counted(self) -> int:
        return self.count("killed") + self.count("survived")

    @property
    def score(self) -> float | None:
        return self.count("killed") / self.counted if self.counted else None

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict == "survived"]


@dataclass
class Analysis:
    aid: str
    groups: list[Group] = field(default_factory=list)
    per_cell: int | None = DEFAULT_PER_CELL
    wall_s: float = 0.0
    digests: dict[str, str] = field(default_factory=dict)  # notebook -> digest of what was analysed

    @property
    def runs(self) -> int:
        return sum(g.counted for g in self.groups)

    @property
    def score(self) -> float | None:
        return sum(g.count("killed") for g in self.groups) / self.runs if self.runs else None

    @property
    def weak_groups(self) -> list[Group]:
        return [g for g in self.groups if g.score is not None and g.score < THRESHOLD]


@dataclass(frozen=True)
class Planned:
    notebook: Path
    group: Group
    mutants: list[Mutant]  # to run (sampled), equivalent ones included


def defined_names(nb) -> set[str]:
    """Every name a code cell of the notebook assigns (visible code only)."""
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = parse_code(markup.split_hidden(cell.source)[0])
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names


def generate(course: Course, aid: str, notebook: Path) -> list[tuple[Group, list[Mutant]]]:
    """Per solution cell of the notebook: its group (with the tests that follow it) and all its mutants."""
    source = markup.read_notebook(notebook)
    plan = assemble(source, source)
    names = defined_names(source)
    solution_at = sorted(plan.solution_cells.items())
    out = []
    for position, (index, gid) in enumerate(solution_at):
        end = solution_at[position + 1][0] if position + 1 < len(solution_at) else len(plan.cells)
        tests = [t.grade_id for t in plan.tests if index < t.visible_index < end]
        if not tests:  # a helper cell without own tests: the next tests that follow it
            later = [t for t in plan.tests if t.visible_index > index]
            tests = [later[0].grade_id] if later else []
        code = next(c.source for c in source.cells if markup.role(c) == "solution" and markup.grade_id(c) == gid)
        mutants = mutants_of(code, notebook.name, gid, names)
        out.append((Group(notebook.name, gid, tuple(tests), len(mutants)), mutants))
    return out


def load_equivalents(course: Course, aid: str) -> dict[str, str]:
    """id -> reason; a broken file is a clear error."""
    path = course.equivalent_mutants(aid)
    if not path.is_file():
        return {}
    where = path.relative_to(course.root)
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise MutationError(f"{where}: kein gültiges YAML: {exc}") from None
    if not isinstance(entries, list):
        raise MutationError(f"{where}: erwartet wird eine Liste von Einträgen mit id und reason.")
    equivalents = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
                or not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
            raise MutationError(f"{where}: Eintrag {number} braucht eine id und einen einzeiligen Grund (reason).")
        if entry["id"] in equivalents:
            raise MutationError(f"{where}: {entry['id']} steht zweimal in der Liste.")
        equivalents[entry["id"]] = entry["reason"].strip()
    return equivalents


def digest(course: Course, aid: str, notebook: Path, per_cell: int | None) -> str:
    """What an analysis of ``notebook`` depends on: its source (solution and tests), the equivalents,
    the operators and the sample size."""
    hasher = hashlib.sha256(f"{GENERATOR_VERSION}:{per_cell}".encode())
    hasher.update(notebook.read_bytes())
    equivalents = course.equivalent_mutants(aid)
    if equivalents.is_file():
        hasher.update(equivalents.read_bytes())
    return hasher.hexdigest()[:16]


def plan(course: Course, aid: str, *, notebook: str | None = None, cell: str | None = None,
         per_cell: int | None = DEFAULT_PER_CELL, only: set[str] | None = None) -> list[Planned]:
    """The mutants to run: sampled per cell, filtered; every equivalent entry must name a generated mutant."""
    course.check_assignment(aid)
    equivalents = load_equivalents(course, aid)
    notebooks = course.notebooks(aid)
    if notebook is not None:
        notebooks = [p for p in notebooks if p.name in (notebook, f"{notebook}.ipynb")]
        if not notebooks:
            raise MutationError(f"{aid} hat kein Notebook {notebook!r}.")
    planned, generated_ids = [], set()
    for path in course.notebooks(aid):
        for group, mutants in generate(course, aid, path):
            generated_ids |= {m.id for m in mutants}
            if path in notebooks and cell in (None, group.cell):
                chosen = [m for m in mutants if m.id in only] if only is not None \
                    else sample(mutants, per_cell, salt=f"{aid}/{path.name}/{group.cell}")
                planned.append(Planned(path, group, chosen))
    stale = sorted(set(equivalents) - generated_ids)
    if stale:
        raise MutationError(f"{course.equivalent_mutants(aid).relative_to(course.root)}: kein erzeugter Mutant "
                            f"passt zu {', '.join(stale)} (Lösung geändert? Eintrag entfernen oder neu begründen).")
    if cell is not None and not planned:
        raise MutationError(f"{aid} hat keine Lösungszelle {cell!r}.")
    return planned


def analyse(course: Course, aid: str, *, notebook: str | None = None, cell: str | None = None,
            per_cell: int | None = DEFAULT_PER_CELL, only: set[str] | None = None, engine: Engine | None = None,
            settings: Settings = Settings(), on_run: Callable[[str], None] = lambda item: None,
            planned: list[Planned] | None = None) -> Analysis:
    """Grade every planned mutant; ``on_run`` is called once per run (the solution's included)."""
    started = time.monotonic()
    planned = planned if planned is not None else plan(course, aid, notebook=notebook, cell=cell,
                                                       per_cell=per_cell, only=only)
    equivalents = load_equivalents(course, aid)
    analysis = Analysis(aid, [p.group for p in planned], per_cell)
    workers = engine.workers if engine else 1
    for path in sorted({p.notebook for p in planned}):
        jobs = [p for p in planned if p.notebook == path]
        refs = load_references(course, aid, path, engine=engine)
        source = markup.read_notebook(path)
        baseline, limits = _baseline(course, aid, path, source, refs, settings, engine)
        on_run(f"{aid}/{path.name}: Lösung")
        mutant_settings = replace(settings, limits=limits)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {}
            for job in jobs:
                for mutant in job.mutants:
                    if mutant.id in equivalents:
                        job.group.outcomes.append(Outcome(mutant, "equivalent", how=equivalents[mutant.id]))
                        continue
                    if mutant.error:
                        job.group.outcomes.append(Outcome(mutant, "not-built", how=mutant.error))
                        continue
                    nb = markup.with_cell_replaced(source, mutant.cell, mutant.code)
                    future = pool.submit(run_notebook, course, aid, path, nb, mutant_settings, engine,
                                         stop_after=set(job.group.tests))
                    futures[future] = (job.group, mutant)
            for future in as_completed(futures):  # this thread scores and reports: no lock needed
                group, mutant = futures[future]
                graded = score_notebook(future.result(), refs, mutant_settings)
                group.outcomes.append(_verdict(mutant, group, graded, baseline))
                on_run(f"{aid}/{path.name}: {mutant.id}")
        analysis.digests[path.name] = digest(course, aid, path, per_cell)
    for group in analysis.groups:
        group.outcomes.sort(key=lambda o: o.mutant.id)
    analysis.wall_s = time.monotonic() - started
    return analysis


def planned_runs(planned: list[Planned], equivalents: dict[str, str]) -> int:
    """Runs ``analyse`` reports: one solution per notebook and every non-equivalent mutant."""
    return len({p.notebook for p in planned}) + sum(m.id not in equivalents and not m.error
                                                    for p in planned for m in p.mutants)


def _baseline(course, aid, path, source, refs, settings, engine) -> tuple[dict[str, float], Limits]:
    """The solution's points per test, and limits for mutants from its run time: a mutant that loops
    forever is stopped after a few times what the solution needs."""
    executed = run_notebook(course, aid, path, source, settings, engine)
    cell_walls = [c.wall_s for c in executed.run.cells]
    graded = score_notebook(executed, refs, settings)
    failing = [c.grade_id for c in graded.cells if c.status is not Status.PASSED]
    if failing:
        raise MutationError(f"{aid}/{path.name}: die Lösung besteht {', '.join(failing)} nicht "
                            "(erst graders validate).")
    limits = Limits(cell_timeout=min(settings.limits.cell_timeout, max(10.0, 4 * max(cell_walls, default=1) + 5)),
                    notebook_timeout=min(settings.limits.notebook_timeout, max(30.0, 4 * graded.timing["wall_s"] + 15)),
                    memory_gib=settings.limits.memory_gib)
    return {c.grade_id: c.score for c in graded.cells}, limits


def _verdict(mutant: Mutant, group: Group, graded, baseline: dict[str, float]) -> Outcome:
    lost = [c for c in graded.cells if c.grade_id in group.tests and c.score < baseline.get(c.grade_id, 0)]
    if not lost:
        return Outcome(mutant, "survived")
    how = "timeout" if all(c.status in _NOT_FINISHED for c in lost) else lost[0].status.value
    return Outcome(mutant, "killed", tuple(c.grade_id for c in lost), how)


# -- the record ------------------------------------------------------------------------------------

def write_record(course: Course, analysis: Analysis) -> Path:
    """``content/<aid>/mutation.yaml``: scores per group, survivors, and what they were computed from."""
    notebooks = {}
    for name, dig in sorted(analysis.digests.items()):
        groups = [g for g in analysis.groups if g.notebook == name]
        notebooks[name] = {
            "digest": dig,
            "cells": {g.cell: {"test_cells": list(g.tests), "mutants": len(g.outcomes), "killed": g.count("killed"),
                               "equivalent": g.count("equivalent"),
                               "score": None if g.score is None else round(g.score, 4)} for g in groups},
            "survivors": sorted(o.mutant.id for g in groups for o in g.survivors),
            "timeouts": sorted(o.mutant.id for g in groups for o in g.outcomes if o.how == "timeout"),
        }
    record = {"per_cell": analysis.per_cell, "score": None if analysis.score is None else round(analysis.score, 4),
              "notebooks": notebooks}
    path = course.mutation_record(analysis.aid)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by `graders mutate --record`; the content tests check that it stays true.\n"
    path.write_text(header + yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def read_record(course: Course, aid: str) -> dict | None:
    path = course.mutation_record(aid)
    if not path.is_file():
        return None
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MutationError(f"{path.relative_to(course.root)}: kein gültiges YAML: {exc}") from None
    if not isinstance(record, dict) or not isinstance(record.get("notebooks"), dict):
        raise MutationError(f"{path.relative_to(course.root)}: kein Mutationsprotokoll.")
    return record


def record_problems(course: Course, aid: str) -> list[str]:
    """Why the recorded analysis no longer describes the assignment, or falls short of the threshold."""
    try:
        record = read_record(course, aid)
        load_equivalents(course, aid)
    except MutationError as exc:
        return [str(exc)]
    if record is None:
        return [f"no mutation record ({course.mutation_record(aid).relative_to(course.root)}): "
                f"run graders mutate {aid} --record"]
    problems = []
    for path in course.notebooks(aid):
        entry = record["notebooks"].get(path.name)
        if entry is None or entry.get("digest") != digest(course, aid, path, record.get("per_cell")):
            problems.append(f"{path.name}: the mutation record is stale (notebook or equivalent mutants "
                            f"changed): run graders mutate {aid} --record")
            continue
        for cell, scores in entry["cells"].items():
            if scores["score"] is not None and scores["score"] < THRESHOLD:
                problems.append(f"{path.name}: tests after {cell} kill {scores['score']:.0%} of its mutants "
                                f"(< {THRESHOLD:.0%})")
    return problems


def recorded_killed(course: Course, aid: str, per_notebook: int) -> list[tuple[Mutant, tuple[str, ...]]]:
    """A fixed sample of mutants the record says were killed by a test's verdict (not by a time limit),
    with the tests that killed them: ``validate`` checks they still are, without a full analysis."""
    record = read_record(course, aid)
    if record is None:
        return []
    equivalents = load_equivalents(course, aid)
    by_notebook: dict[str, list[tuple[Mutant, tuple[str, ...]]]] = {}
    for planned_group in plan(course, aid, per_cell=record.get("per_cell")):
        entry = record["notebooks"].get(planned_group.notebook.name, {})
        excluded = set(entry.get("survivors", [])) | set(entry.get("timeouts", [])) | set(equivalents)
        by_notebook.setdefault(planned_group.notebook.name, []).extend(
            (m, planned_group.group.tests) for m in planned_group.mutants if m.id not in excluded and not m.error)
    chosen = []
    for name, candidates in sorted(by_notebook.items()):
        tests = {m.id: t for m, t in candidates}
        chosen += [(m, tests[m.id]) for m in sample([m for m, _ in candidates], per_notebook, salt=f"ci/{aid}/{name}")]
    return chosen
