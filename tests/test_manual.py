"""Manually graded cells: pending after autograde, scored in formgrader's gradebook, synced into
grades.json. The formgrader step is played by nbgrader's Gradebook API (what formgrader's handlers
call); no browser here."""

from __future__ import annotations

import json
import shutil
from importlib import resources

import jsonschema
import nbformat
import pytest

from graders import _manual, _nbgrader, grades as records, late
from graders.autograde import _record_gradebook
from graders.course import Course
from graders.grades import CellGrade, Grades, NotebookGrade, Status
from graders.manual import apply, sync_manual
from tests.conftest import ROOT, nbgrader_cell

AID, NB = "a1", "deutung"


def manual_cell(points=4, rubric=None):
    cell = nbformat.v4.new_markdown_cell("Warum steigt der Validierungsverlust ab Epoche 12?")
    cell.metadata["nbgrader"] = {"grade_id": "deutung", "schema_version": 3, "locked": False, "solution": True,
                                 "grade": True, **({"points": points} if points is not None else {})}
    if rubric:
        cell.metadata["graders"] = {"rubric": rubric}
    return cell


@pytest.fixture
def course(tmp_path) -> Course:
    source = nbformat.v4.new_notebook(cells=[nbgrader_cell("solution", "x = 1", "loesung"),
                                             nbgrader_cell("test", "assert x == 1", "test_x", points=2),
                                             manual_cell()])
    (tmp_path / "source" / AID).mkdir(parents=True)
    nbformat.write(source, tmp_path / "source" / AID / f"{NB}.ipynb")
    shutil.copyfile(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    course = Course(tmp_path)
    _nbgrader.ensure_assignment(course.gradebook_url, AID, {NB: source}, late.config(course))
    return course


def autograded(course: Course, student: str) -> Grades:
    """What autograde writes for a correct submission: the test passed, the manual cell pending."""
    source = nbformat.read(course.notebooks(AID)[0], as_version=4)
    cells = [CellGrade("test_x", 2.0, 2.0, Status.PASSED), *_manual.pending(source)]
    grades = Grades(AID, student, 2.0, 6.0, Status.GRADED, (NotebookGrade.of(f"{NB}.ipynb", cells, Status.GRADED),),
                    environment={})
    grades = late.policy(course, AID).penalize(grades, None)
    _record_gradebook(course, grades)
    records.write(course, grades, {})
    return grades


def formgrader(course: Course, student: str, score: float, comment: str) -> None:
    with _nbgrader.gradebook(course.gradebook_url) as gb:
        gb.find_grade("deutung", NB, AID, student).manual_score = score
        gb.find_comment("deutung", NB, AID, student).manual_comment = comment
        gb.db.commit()


def test_pending_in_grades_json_and_waiting_in_the_gradebook(course):
    grades = autograded(course, "s01")
    cell = grades.cells()[f"{NB}/deutung"]
    assert (cell.score, cell.max_score, cell.status) == (0, 4, Status.PENDING)
    schema = json.loads(resources.files("graders").joinpath("grades.schema.json").read_text())
    jsonschema.validate(cell.to_json(), schema["properties"]["notebooks"]["items"]["properties"]["cells"]["items"])
    with _nbgrader.gradebook(course.gradebook_url) as gb:
        grade = gb.find_grade("deutung", NB, AID, "s01")
        assert (grade.needs_manual_grade, grade.auto_score, grade.max_score) == (True, None, 4)
        assert gb.find_grade("test_x", NB, AID, "s01").auto_score == 2


def test_sync_brings_formgraders_score_and_comment_and_regrading_keeps_them(course):
    autograded(course, "s01")
    autograded(course, "s02")
    formgrader(course, "s01", 3, "Überanpassung erkannt, Gegenmaßnahme fehlt.")
    changed, problems = sync_manual(course, AID)
    assert ([g.student for g in changed], problems) == (["s01"], [])
    stored = records.load(course, AID, "s01")
    cell = stored.cells()[f"{NB}/deutung"]
    assert (cell.score, cell.status, cell.message) == (3, Status.GRADED, "Überanpassung erkannt, Gegenmaßnahme fehlt.")
    assert (stored.score, stored.submission.score_before_penalty) == (5, 5)
    assert records.load(course, AID, "s02").cells()[f"{NB}/deutung"].status is Status.PENDING
    assert json.loads(course.history(AID).read_text().splitlines()[-1])["cause"] == "manual"
    # autograde again: the fresh (pending) result gets formgrader's score before it is written
    regraded, _ = apply(course, autograded(course, "s01"), late.policy(course, AID))
    assert regraded.score == 5 and regraded.cells()[f"{NB}/deutung"].status is Status.GRADED
    records.write(course, regraded, {})
    assert sync_manual(course, AID) == ([], [])  # nothing new in formgrader: nothing written


def test_a_score_above_the_maximum_is_refused(course):
    autograded(course, "s01")
    formgrader(course, "s01", 7, "")
    changed, problems = sync_manual(course, AID)
    assert changed == [] and len(problems) == 1
    assert "s01, deutung.ipynb/deutung: 7 Punkte in formgrader, erlaubt sind 0 bis 4" in problems[0]
    assert records.load(course, AID, "s01").score == 2


def test_validate_names_manual_cells_without_points_or_with_a_rubric_worth_too_much():
    nb = nbformat.v4.new_notebook(cells=[manual_cell(points=None)])
    assert _manual.problems("n.ipynb", nb) == ["n.ipynb: die von Hand bewertete Zelle deutung hat keine Punkte "
                                               "(nbgrader: points)."]
    nb = nbformat.v4.new_notebook(cells=[manual_cell(rubric=[{"text": "Überanpassung", "points": 3},
                                                            {"text": "Gegenmaßnahme", "points": 2}])])
    assert _manual.problems("n.ipynb", nb) == ["n.ipynb: die Bewertungshilfe von deutung vergibt 5 Punkte, "
                                               "die Zelle hat nur 4."]
    nb = nbformat.v4.new_notebook(cells=[manual_cell(rubric=[{"text": "Überanpassung", "points": 4}])])
    assert _manual.problems("n.ipynb", nb) == []


def test_the_release_keeps_the_manual_cell_but_not_its_rubric():
    rubric = [{"text": "Überanpassung", "points": 4}]
    released = _nbgrader.student_version(nbformat.v4.new_notebook(cells=[manual_cell(rubric=rubric)]), AID, NB)
    cell = released.cells[0]
    assert _manual.cells(released) == [cell] and "rubric" not in cell.metadata.get("graders", {})
