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
    """How many steps ``validate`` reports: per notebook its references, solution, release, each wrong
    answer, each sampled mutant, and per sampled variant its references and solution; each wrong answer
    also runs on one of the sampled variants."""
    runs, sources = _planned(course, aid, load_wrong_answers(course, aid) + _mutant_entries(course, aid, mutants))
    return len(runs) + len(sources)


@dataclass(frozen=True)
class _Run:
    """One notebook run of ``validate``: what it is (``label``, German, for progress), which source it is
    graded against (``source``: the assignment's notebook or a variant's), and which tests it is asked
    for (None: all)."""
    name: str  # the notebook's file name
    kind: str  # "solution", "release", "wrong" (a wrong answer) or "mutant" (a sampled recorded kill)
    label: str
    source: Path
    base: object  # the nbformat notebook it runs: the source's, a variant's or the release's
    stop_after: frozenset[str] | None
    entry: dict | None = None  # the wrong answer or mutant written into ``base``
    variant: int = 0

    def notebook(self):
        """What runs: ``base``, with the entry's cell replaced (copied only when it runs)."""
        return markup.with_cell_replaced(self.base, self.entry["cell"], self.entry["code"]) if self.entry else self.base


def _planned(course: Course, aid: str, wrong: list[dict]) -> tuple[list[_Run], dict[Path, int]]:
    """Every run of ``validate``, and every source whose references they are scored against with its
    variant number (0: the assignment's own). Each wrong answer (not the sampled mutants: their record
    is of variant 0) also runs on one sampled variant, in turn, so every sampled variant is checked with
    about as many wrong answers."""
    numbers = _sampled_variants(course, aid)
    variant_paths = {number: {p.name: p for p in _variants.notebooks(course, aid, number)} for number in numbers}
    runs, sources, turn = [], {}, 0
    for path in course.notebooks(aid):
        name = path.name
        source = markup.read_notebook(path)
        released = course.release(aid) / name
        sources[path] = 0
        runs.append(_Run(name, "solution", "Lösung", path, source, None))
        if released.is_file():
            runs.append(_Run(name, "release", "Release", path, markup.read_notebook(released), None))
        entries = [e for e in wrong if e["notebook"] == name]
        runs += [_Run(name, "mutant" if e.get("mutant") else "wrong",
                      f"{'Mutant' if e.get('mutant') else 'falsche Antwort'} {e['name']}", path, source,
                      frozenset(e["rejected_by"]), e)
                 for e in entries]
        if not numbers:
            continue
        variant_sources = {number: (variant_paths[number][name], markup.read_notebook(variant_paths[number][name]))
                           for number in numbers}
        for number, (variant_path, variant_source) in variant_sources.items():
            sources[variant_path] = number
            runs.append(_Run(name, "solution", f"Variante {number}: Lösung", variant_path, variant_source, None,
                             variant=number))
        for entry in (e for e in entries if not e.get("mutant")):
            number = numbers[turn % len(numbers)]
            turn += 1
            variant_path, variant_source = variant_sources[number]
            runs.append(_Run(name, "wrong", f"Variante {number}: falsche Antwort {entry['name']}", variant_path,
                             variant_source, frozenset(entry["rejected_by"]), entry, number))
    return runs, sources


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
    hidden_tests = {}
    for notebook in course.notebooks(aid):
        name = notebook.name
        source = markup.read_notebook(notebook)
        plan = assemble(source, source)
        hidden_tests[name] = {t.grade_id for t in plan.tests if t.specs or t.hidden_index is not None}
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
    runs, sources = _planned(course, aid, wrong)
    graded = _run_all(course, aid, runs, sources, settings, engine, on_run)
    for name, hidden in hidden_tests.items():
        _judge(course, aid, name, hidden, [(run, graded[i]) for i, run in enumerate(runs) if run.name == name], report)
    return report


def _run_all(course: Course, aid: str, runs: list[_Run], sources: dict[Path, int], settings: Settings,
             engine: Engine | None, on_run: Callable[[str], None]) -> list:
    """Every run on the engine at once (no wait between notebooks or variants), each scored against
    the references of its source; the references are computed beside the runs where not cached."""
    def execute(run: _Run):
        return run_notebook(course, aid, run.source, run.notebook(), settings, engine, stop_after=run.stop_after)

    workers = engine.workers if engine else 1
    with ThreadPoolExecutor(max_workers=workers + 1) as pool:  # + 1: a cached reference takes no worker
        refs_futures = {pool.submit(load_references, course, aid, path, engine=engine): path for path in sources}
        futures = {pool.submit(execute, run): i for i, run in enumerate(runs)}
        executed = [None] * len(runs)
        for future in as_completed([*refs_futures, *futures]):  # this thread reports: progress needs no lock
            if future in refs_futures:
                variant = sources[refs_futures[future]]
                on_run(f"{aid}/{refs_futures[future].name}: Referenzwerte" + (f" Variante {variant}" if variant else ""))
                continue
            index = futures[future]
            executed[index] = future.result()
            on_run(f"{aid}/{runs[index].name}: {runs[index].label}")
        refs = {path: future.result() for future, path in refs_futures.items()}
    return [score_notebook(result, refs[run.source], settings) for run, result in zip(runs, executed)]


def _judge(course: Course, aid: str, name: str, hidden_tests: set[str], graded_runs: list[tuple[_Run, object]],
           report: Report) -> None:
    """The verdicts on one notebook's runs: the solution full marks (on every variant), the release 0,
    each wrong answer rejected by every test it names, each sampled mutant by one of its tests, every
    hidden test rejecting some wrong answer."""
    covered, wrong, sampled = set(), 0, 0
    for run, graded in graded_runs:
        where = f"{name} (variant {run.variant})" if run.variant else name
        by_id = {c.grade_id: c for c in graded.cells}
        if run.kind == "solution":
            report.facts.append(f"{name}: {f'variant {run.variant}: ' if run.variant else ''}solution "
                                f"{graded.score:g}/{graded.max_score:g} in {graded.timing['wall_s']:.1f} s")
            report.errors += [f"{where}: the solution fails {c.grade_id}: {c.message}"
                              for c in graded.cells if c.status is not Status.PASSED]
        elif run.kind == "release":
            report.facts.append(f"{name}: blank release {graded.score:g}/{graded.max_score:g}")
            if graded.score != 0:
                report.errors.append(f"{name}: the release scores {graded.score:g}, not 0: "
                                     + ", ".join(c.grade_id for c in graded.cells if c.score))
        elif run.kind == "mutant":
            sampled += 1
            if all(by_id[gid].status is Status.PASSED for gid in run.entry["rejected_by"]):
                report.errors.append(f"{name}: the recorded kill of mutant {run.entry['name']} no longer holds: "
                                     f"{', '.join(run.entry['rejected_by'])} accept it")
        else:
            wrong += not run.variant
            for gid in run.entry["rejected_by"]:
                if gid not in by_id:
                    report.errors.append(f"{where}: wrong answer {run.entry['name']!r} names unknown test {gid!r}")
                elif by_id[gid].status is Status.PASSED:
                    report.errors.append(f"{where}: {gid} accepts the wrong answer {run.entry['name']!r}"
                                         + ("" if run.variant else " (tolerance too loose or test too weak)"))
                elif not run.variant:
                    covered.add(gid)
    report.facts.append(f"{name}: {wrong} wrong answers and {sampled} recorded mutants rejected "
                        f"by {len(covered)}/{len(hidden_tests)} hidden tests")
    for gid in sorted(hidden_tests - covered):
        report.errors.append(f"{name}: hidden test {gid} has no wrong answer that it rejects "
                             f"({course.wrong_answers(aid).relative_to(course.root)})")


def _sampled_variants(course: Course, aid: str) -> list[int]:
    return _variants.sample(course, aid) if _variants.uses_variants(course, aid) else []
