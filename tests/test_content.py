"""Every assignment validates: the solution scores full marks, the release 0, every hidden test
rejects its plausible wrong answers (content/<aid>/wrong_answers.yaml) and a fixed sample of the
mutants its mutation record says it kills, nothing leaks; the record is current and every test group
kills at least 90 % of its mutants; the README shows the recorded scores."""

from __future__ import annotations

import pytest

from graders._mutation import read_record, record_problems
from graders.course import Course
from graders.validate import load_wrong_answers, planned_runs, validate

from .conftest import ROOT

pytestmark = pytest.mark.slow
AIDS = Course(ROOT).assignments()


@pytest.mark.parametrize("aid", AIDS)
def test_assignment_validates(aid, course, engine):
    steps = []
    report = validate(course, aid, engine=engine, on_run=steps.append)
    assert report.ok, "\n".join(report.errors)
    assert len(steps) == planned_runs(course, aid)  # progress counts every run it announced
    assert any(step.endswith(": Lösung") for step in steps) and any(": falsche Antwort " in s for s in steps)
    for solved in (f for f in report.facts if ": solution " in f):  # every notebook of the assignment
        seconds = float(solved.rsplit(" in ", 1)[1].removesuffix(" s"))
        assert seconds < 60, solved


@pytest.mark.parametrize("aid", AIDS)
def test_every_hidden_test_has_a_wrong_answer(aid):
    course = Course(ROOT)
    assert load_wrong_answers(course, aid), f"{course.wrong_answers(aid).relative_to(ROOT)} is missing"


@pytest.mark.parametrize("aid", AIDS)
def test_mutation_record_is_current_and_every_group_kills_enough(aid):
    problems = record_problems(Course(ROOT), aid)
    assert not problems, "\n".join(problems)


def readme_mutation_cell(record: dict) -> str:
    """The README's mutation column: the assignment's score and its weakest test group."""
    groups = [c["score"] for nb in record["notebooks"].values() for c in nb["cells"].values() if c["score"] is not None]
    return f"{record['score']:.0%} (min {min(groups):.0%})"


def test_readme_table_shows_the_recorded_mutation_scores():
    rows = {line.split("|")[1].strip(): line.split("|")[-2].strip()
            for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")}
    for aid in AIDS:
        assert rows.get(aid) == readme_mutation_cell(read_record(Course(ROOT), aid)), aid
