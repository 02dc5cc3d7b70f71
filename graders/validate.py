"""``graders validate``: an assignment is sound before students see it.

For each assignment: release/ and solutions/ in sync with source/; no solution code or hidden
test text in release/; the solution scores full marks and the release the blank score (0); every
hidden test rejects its plausible wrong answers (``content/<aid>/wrong_answers.yaml``), which
also catches a tolerance so loose that a wrong answer passes; the mutation record
(``content/<aid>/mutation.yaml``) is current, every test group kills ≥ 90 % of its mutants, and a fixed
sample of the recorded kills still holds; topics come from the bank's taxonomy; plain-assert hidden
tests are named as untrusted.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import _manual, _markup as markup, _variants
from ._assemble import assemble
from ._mutation import MutationError, record_problems, recorded_killed
from ._references import load_references
from ._runner import Engine
from ._student_version import sync_problems
from ._topics import course_topics
from .course import Course, CourseError
from .grades import Status
from .grading import Settings, run_notebook, score_notebook

__all__ = ["SAMPLED_MUTANTS", "Report", "load_wrong_answers", "planned_runs", "validate"]

SAMPLED_MUTANTS = 3  # per notebook: recorded kills re-checked on every validate (a full analysis is graders mutate)


@dataclass
class Report:
    aid: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load_wrong_answers(course: Course, aid: str) -> list[dict]:
    path = course.wrong_answers(aid)
    if not path.is_file():
        return []
    where = path.relative_to(course.root)
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CourseError(f"{where} ist kein gültiges YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CourseError(f"{where}: erwartet wird eine Liste von Einträgen (- name: …, notebook: …, cell: …, "
                          "code: …, rejected_by: […]); siehe docs/authoring.md")
    cells = {nb.name: {markup.grade_id(c) for c in markup.read_notebook(nb).cells if markup.role(c) == "solution"}
             for nb in course.notebooks(aid)}
    for entry in entries:
        missing = {"name", "notebook", "cell", "code", "rejected_by"} - set(entry)
        if missing:
            raise CourseError(f"{where}: dem Eintrag {entry.get('name')!r} fehlt {', '.join(sorted(missing))}")
        if entry["notebook"] not in cells:
            raise CourseError(f"{where}: Eintrag {entry['name']!r}: Notebook {entry['notebook']!r} gibt es in "
                              f"source/{aid}/ nicht ({', '.join(cells) or 'keine'})")
        if entry["cell"] not in cells[entry["notebook"]]:
            raise CourseError(f"{where}: Eintrag {entry['name']!r}: {entry['notebook']} hat keine Lösungszelle "
                              f"{entry['cell']!r} ({', '.join(sorted(cells[entry['notebook']]))})")
    return entries


def known_topics(course: Course) -> set[str]:
    return {t.key for t in course_topics(course)}


def _leaks(course: Course, aid: str, notebook: Path) -> list[str]:
    """Lines of solution regions or hidden tests that appear in the released notebook."""
    source = markup.read_notebook(notebook)
    released = course.release(aid) / notebook.name
    if not released.is_file():
        return []
    public_lines, secret_lines = set(), set()
    for cell in source.cells:
        text = cell.source
        secrets = [m for m in _regions(text, markup.SOLUTION_BEGIN, markup.SOLUTION_END)]
        if markup.role(cell) == "test":
            secrets.append(markup.split_hidden(text)[1])
        for secret in secrets:
            secret_lines |= {line.strip() for line in secret.splitlines() if len(line.strip()) >= 6}
            text = text.replace(secret, "")
        public_lines |= {line.strip() for line in text.splitlines()}
    release_nb = markup.read_notebook(released)
    release_text = "\n".join(cell.source for cell in release_nb.cells)
    public_text = "\n".join(public_lines)  # instructions may quote a line on purpose
    return sorted(line for line in secret_lines - public_lines if line in release_text and line not in public_text)


def ambiguous_checks(plan) -> list[str]:
    """Hidden ``check("x")`` where ``x`` is also a test cell's grade_id: ``graders.check`` would run that
    cell's visible tests (the student's local check) instead of checking the variable."""
    test_ids = {test.grade_id for test in plan.tests}
    return [f"{test.grade_id}: check({spec.name!r}) names a test cell, not a variable; rename the variable"
            for test in plan.tests for spec in test.specs if spec.kind == "value" and spec.name in test_ids]


def _regions(text: str, begin: str, end: str) -> list[str]:
    out, rest = [], text
    while begin in rest and end in rest.split(begin, 1)[1]:
        inner, rest = rest.split(begin, 1)[1].split(end, 1)
        out.append(inner)
    return out


def planned_runs(course: Course, aid: str, mutants: int = SAMPLED_MUTANTS) -> int:
    """How many steps ``validate`` reports per notebook: references, solution, release, each wrong answer,
    each sampled mutant."""
    wrong = load_wrong_answers(course, aid) + _mutant_entries(course, aid, mutants)
    own = load_wrong_answers(course, aid)
    per_variant = len(_sampled_variants(course, aid))
    return sum(2 + (course.release(aid) / nb.name).is_file() + sum(e["notebook"] == nb.name for e in wrong)
               + per_variant * (2 + sum(e["notebook"] == nb.name for e in own)) for nb in course.notebooks(aid))


def _mutant_entries(course: Course, aid: str, per_notebook: int) -> list[dict]:
    """A fixed sample of the mutants the mutation record says are killed, as wrong answers: any one of
    their tests must reject them (a wrong answer names tests that all must)."""
    if per_notebook <= 0:
        return []
    try:
        killed = recorded_killed(course, aid, per_notebook)
    except MutationError:
        return []  # reported by the record check
    return [{"name": mutant.id, "notebook": mutant.notebook, "cell": mutant.cell, "code": mutant.code,
             "rejected_by": list(tests), "mutant": True} for mutant, tests in killed]


def validate(course: Course, aid: str, settings: Settings = Settings(), engine: Engine | None = None,
             on_run: Callable[[str], None] = lambda item: None, mutants: int = SAMPLED_MUTANTS) -> Report:
    """``on_run`` is called after each of the ``planned_runs`` steps (progress: a run can take a minute).
    ``mutants``: per notebook, how many of the mutants the mutation record says are killed are run
    again (they must still be); the record itself is always checked (current, every group ≥ 90 %)."""
    report = Report(aid)
    course.check_assignment(aid)
    report.errors += sync_problems(course, aid)
    topics = known_topics(course)
    # a new assignment has no record until its first graders mutate --record: a warning, as is any
    # record problem when no recorded kill is re-checked
    for problem in record_problems(course, aid):
        missing = not course.mutation_record(aid).is_file()
        (report.errors if mutants and not missing else report.warnings).append(problem)
    wrong = load_wrong_answers(course, aid) + _mutant_entries(course, aid, mutants)
    for notebook in course.notebooks(aid):
        name = notebook.name
        source = markup.read_notebook(notebook)
        plan = assemble(source, source)
        report.errors += _manual.problems(name, source)
        for test in plan.tests:
            if not test.topics:
                report.errors.append(f"{name}: {test.grade_id} names no topic")
            for topic in set(test.topics) - topics if topics else ():
                report.errors.append(f"{name}: {test.grade_id}: unknown topic {topic!r} (bank/topics.yaml)")
            if test.hidden_index is not None:
                report.warnings.append(f"{name}: {test.grade_id} has plain hidden asserts; they run in the "
                                       "student's process and are untrusted")
            if not test.specs and test.hidden_index is None:
                report.warnings.append(f"{name}: {test.grade_id} has no hidden test")
            if test.specs and all(spec.is_threshold for spec in test.specs) and test.hidden_index is None:
                report.errors.append(f"{name}: {test.grade_id} checks only thresholds: a hard-coded number or "
                                     "another recipe passes; also check how the value was made "
                                     "(check_structure, check_function of a helper that recomputes it)")
        report.errors += [f"{name}: {problem}" for problem in ambiguous_checks(plan)]
        for line in _leaks(course, aid, notebook):
            report.errors.append(f"release/{aid}/{name} leaks: {line!r}")
        released = course.release(aid) / name
        variants = [entry for entry in wrong if entry["notebook"] == name]
        runs = [("Lösung", source)] + ([("Release", markup.read_notebook(released))] if released.is_file() else []) + [
            (f"{'Mutant' if e.get('mutant') else 'falsche Antwort'} {e['name']}",
             markup.with_cell_replaced(source, e["cell"], e["code"])) for e in variants]
        # a wrong answer is asked only for the tests that must reject it: its run stops after them
        wanted = [None] * (len(runs) - len(variants)) + [set(e["rejected_by"]) for e in variants]
        workers = engine.workers if engine else 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # the references (a run of the solution, unless cached) run beside the other runs
            refs_future = pool.submit(load_references, course, aid, notebook, engine=engine)
            futures = {pool.submit(run_notebook, course, aid, notebook, nb, settings, engine, stop_after=stop): i
                       for i, ((_, nb), stop) in enumerate(zip(runs, wanted))}
            executed = [None] * len(runs)
            for future in as_completed([refs_future, *futures]):  # this thread reports: progress needs no lock
                if future is refs_future:
                    on_run(f"{aid}/{name}: Referenzwerte")
                    continue
                index = futures[future]
                executed[index] = future.result()
                on_run(f"{aid}/{name}: {runs[index][0]}")
        refs = refs_future.result()
        graded_runs = [score_notebook(run, refs, settings)[0] for run in executed]
        solved = graded_runs.pop(0)
        report.facts.append(f"{name}: solution {solved.score:g}/{solved.max_score:g} "
                            f"in {solved.timing['wall_s']:.1f} s")
        for cell in solved.cells:
            if cell.status is not Status.PASSED:
                report.errors.append(f"{name}: the solution fails {cell.grade_id}: {cell.message}")
        if released.is_file():
            blank = graded_runs.pop(0)
            report.facts.append(f"{name}: blank release {blank.score:g}/{blank.max_score:g}")
            if blank.score != 0:
                report.errors.append(f"{name}: the release scores {blank.score:g}, not 0: "
                                     + ", ".join(c.grade_id for c in blank.cells if c.score))
        hidden_tests = {t.grade_id for t in plan.tests if t.specs or t.hidden_index is not None}
        covered = set()
        for entry, graded in zip(variants, graded_runs):
            by_id = {c.grade_id: c for c in graded.cells}
            if entry.get("mutant"):
                if all(by_id[gid].status is Status.PASSED for gid in entry["rejected_by"]):
                    report.errors.append(f"{name}: the recorded kill of mutant {entry['name']} no longer holds: "
                                         f"{', '.join(entry['rejected_by'])} accept it")
                continue
            for gid in entry["rejected_by"]:
                if gid not in by_id:
                    report.errors.append(f"{name}: wrong answer {entry['name']!r} names unknown test {gid!r}")
                elif by_id[gid].status is Status.PASSED:
                    report.errors.append(f"{name}: {gid} accepts the wrong answer {entry['name']!r} "
                                         "(tolerance too loose or test too weak)")
                else:
                    covered.add(gid)
        sampled = sum(bool(e.get("mutant")) for e in variants)
        report.facts.append(f"{name}: {len(variants) - sampled} wrong answers and {sampled} recorded mutants rejected "
                            f"by {len(covered)}/{len(hidden_tests)} hidden tests")
        for gid in sorted(hidden_tests - covered):
            report.errors.append(f"{name}: hidden test {gid} has no wrong answer that it rejects "
                                 f"({course.wrong_answers(aid).relative_to(course.root)})")
        for number in _sampled_variants(course, aid):
            _validate_variant(course, aid, name, number, [e for e in variants if not e.get("mutant")], report,
                              settings, engine, on_run)
    return report


def _sampled_variants(course: Course, aid: str) -> list[int]:
    return _variants.sample(course, aid) if _variants.uses_variants(course, aid) else []


def _validate_variant(course: Course, aid: str, name: str, number: int, wrong: list[dict], report: Report,
                      settings: Settings, engine: Engine | None, on_run: Callable[[str], None]) -> None:
    """On another variant the solution must still score full marks and each wrong answer still lose."""
    path = next(p for p in _variants.notebooks(course, aid, number) if p.name == name)
    source = markup.read_notebook(path)
    runs = [source] + [markup.with_cell_replaced(source, e["cell"], e["code"]) for e in wrong]
    wanted = [None] + [set(e["rejected_by"]) for e in wrong]
    with ThreadPoolExecutor(max_workers=engine.workers if engine else 1) as pool:
        refs_future = pool.submit(load_references, course, aid, path, engine=engine)
        futures = [pool.submit(run_notebook, course, aid, path, nb, settings, engine, stop_after=stop)
                   for nb, stop in zip(runs, wanted)]
        refs = refs_future.result()
        on_run(f"{aid}/{name}: Referenzwerte Variante {number}")
        graded = []
        for future in futures:
            graded.append(score_notebook(future.result(), refs, settings)[0])
            on_run(f"{aid}/{name}: Variante {number}")
    solved = graded.pop(0)
    report.facts.append(f"{name}: variant {number}: solution {solved.score:g}/{solved.max_score:g} "
                        f"in {solved.timing['wall_s']:.1f} s")
    for cell in solved.cells:
        if cell.status is not Status.PASSED:
            report.errors.append(f"{name} (variant {number}): the solution fails {cell.grade_id}: {cell.message}")
    for entry, run in zip(wrong, graded):
        for cell in run.cells:
            if cell.grade_id in entry["rejected_by"] and cell.status is Status.PASSED:
                report.errors.append(f"{name} (variant {number}): {cell.grade_id} accepts the wrong answer "
                                     f"{entry['name']!r}")
