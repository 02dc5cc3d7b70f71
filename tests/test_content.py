"""Every assignment validates: the solution scores full marks, the release 0, every hidden test
rejects its plausible wrong answers (content/<aid>/wrong_answers.yaml), nothing leaks."""

from __future__ import annotations

import pytest

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
