"""Per-student variants: derived from the student id with the course secret, released per student, graded
against the student's own variant; another student's hard-coded values lose the points."""

from __future__ import annotations

from collections import Counter

import pytest

from graders import _markup as markup, _variants, variante
from graders._inputs import from_plain
from graders._references import load_references
from graders._assemble import assemble
from graders.course import CourseError
from graders.grades import Status
from graders.grading import Settings, grade_submission
from graders.release import release_personal

from .conftest import copy_course

AID = "16-mlops-drift"  # the fastest of the three assignments with variants (03 NumPy, 05 training, 16 data)
SECRET = "kurs-geheimnis-nur-fuer-tests-0123456789"


@pytest.fixture()
def secret(monkeypatch):
    monkeypatch.setenv(_variants.ENV, SECRET)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("varianten"))


def test_the_three_assignments_have_variants_and_the_others_not(course):
    having = [aid for aid in course.assignments() if _variants.uses_variants(course, aid)]
    assert having == ["03-gradientenabstieg-backprop", "05-regression", "16-mlops-drift"]


def test_a_students_variant_comes_from_id_assignment_and_secret(course, secret, monkeypatch):
    numbers = [_variants.of_student(course, AID, f"s{i:03d}") for i in range(320)]
    assert numbers == [_variants.of_student(course, AID, f"s{i:03d}") for i in range(320)]  # stable
    counts = Counter(numbers)
    assert set(counts) == set(range(_variants.count(course))) and max(counts.values()) < 3 * 320 / 16
    other_assignment = [_variants.of_student(course, "05-regression", f"s{i:03d}") for i in range(320)]
    assert sum(a == b for a, b in zip(numbers, other_assignment)) < 60  # not the same draw per assignment
    monkeypatch.setenv(_variants.ENV, SECRET + "-anders")
    assert sum(a == b for a, b in zip(numbers, [_variants.of_student(course, AID, f"s{i:03d}")
                                               for i in range(320)])) < 60  # the secret decides


def test_without_the_secret_nothing_is_released_and_grades_say_why(course, tmp_path, monkeypatch):
    monkeypatch.delenv(_variants.ENV, raising=False)
    roster = tmp_path / "teilnehmer.csv"
    roster.write_text("student,name\ns001,Ada\n", encoding="utf-8")
    with pytest.raises(CourseError, match="Kein Kursgeheimnis für die Varianten: setze GRADERS_VARIANT_SECRET"):
        release_personal(course, AID, roster)
    assert not (course.root / "release-personal").exists()
    result = grade_submission(course, AID, "s001", Settings(), {}, None)
    assert result.grades.status is Status.CRASHED and result.grades.score == 0
    messages = {c.message for nb in result.grades.notebooks for c in nb.cells}
    assert messages and all("Die Variante dieser Abgabe lässt sich nicht bestimmen" in m for m in messages)


def test_the_number_goes_only_into_variante_calls():
    code = "v = variante()\nx = variante(3)\nw = np.random.default_rng(variante().seed())\nmeine_variante()\n"
    assert _variants.with_number(code, 7) == (
        "v = variante(7)\nx = variante(3)\nw = np.random.default_rng(variante(7).seed())\nmeine_variante()\n")
    assert variante(5).zahl(1, 100) == variante(5).zahl(1, 100) and variante(5).seed() != variante(6).seed()
    assert variante(2).auswahl(["a", "b", "c"]) in "abc"
    with pytest.raises(ValueError, match="ganze Zahl"):
        variante(-1)


def test_each_student_gets_a_release_of_their_own_variant(course, secret, tmp_path):
    roster = tmp_path / "teilnehmer.csv"
    roster.write_text("student,name\ns001,Ada\ns002,Bert\n", encoding="utf-8")
    written = release_personal(course, AID, roster)
    assert {p.parent.name for p in written} == {"s001", "s002"}
    for student in ("s001", "s002"):
        number = _variants.of_student(course, AID, student)
        nb = markup.read_notebook(course.personal_release(AID, student) / "mlops_drift.ipynb")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert f"variante({number}).seed()" in code and "variante()" not in code
        assert "from graders_student import" in code and "### BEGIN" not in code
        assert nb.metadata["graders"]["variante"] == {"student": student, "nummer": number}


def _two_students(course) -> tuple[str, str]:
    by_number = {}
    for i in range(100):
        by_number.setdefault(_variants.of_student(course, AID, f"s{i:03d}"), f"s{i:03d}")
    first, second = sorted(by_number)[:2]
    return by_number[first], by_number[second]


def _hard_coded(course, student: str) -> object:
    """The student's variant solved right, with the drift report written in as the values the student saw."""
    (path,) = _variants.notebooks(course, AID, _variants.of_student(course, AID, student))
    source = markup.read_notebook(path)
    refs = load_references(course, AID, path)
    keys = {spec.name: spec.key for test in assemble(source, source).tests for spec in test.specs if spec.kind == "value"}
    literal = {name: from_plain(refs.get(keys[name])) for name in ("bericht", "driftende_merkmale")}
    cell = next(c for c in source.cells if markup.grade_id(c) == "drift_bericht")
    cell.source = cell.source.split("### BEGIN SOLUTION\nbericht =")[0] + (
        f"bericht = {literal['bericht']!r}\ndriftende_merkmale = {literal['driftende_merkmale']!r}\n")
    return source


def test_hard_coded_values_of_another_students_variant_lose_the_points(course, secret, engine):
    ada, bert = _two_students(course)
    submission = _hard_coded(course, ada)
    scores = {}
    for student in (ada, bert):
        target = course.submitted(student, AID)
        target.mkdir(parents=True, exist_ok=True)
        markup.write_notebook(submission, target / "mlops_drift.ipynb")
        grades = grade_submission(course, AID, student, Settings(), {}, engine).grades
        scores[student] = {c.grade_id: c for nb in grades.notebooks for c in nb.cells}
    assert scores[ada]["test_drift_bericht"].status is Status.PASSED  # right for the variant it was made for
    assert scores[bert]["test_drift_bericht"].status is not Status.PASSED
    assert scores[bert]["test_drift_bericht"].score == 0
    assert scores[ada]["test_psi"].status is scores[bert]["test_psi"].status is Status.PASSED  # functions: same


def test_release_collect_autograde_feedback_report_with_variants(course, secret, tmp_path, engine):
    """End to end: two students' own releases, solved right, handed in as a folder; both get full marks on
    their own variants, and feedback, the class report and cells.csv come out as for any assignment."""
    from graders.autograde import autograde
    from graders.collect import collect
    from graders.feedback import feedback
    from graders.report import report

    ada, bert = _two_students(course)
    roster = tmp_path / "teilnehmer.csv"
    roster.write_text(f"student,name\n{ada},Ada\n{bert},Bert\n", encoding="utf-8")
    release_personal(course, AID, roster)
    uploads = tmp_path / "abgaben"
    for student in (ada, bert):
        # a student who solves their own release: the solution cells of their variant
        (path,) = _variants.notebooks(course, AID, _variants.of_student(course, AID, student))
        solved = {markup.grade_id(c): c.source for c in markup.read_notebook(path).cells}
        nb = markup.read_notebook(course.personal_release(AID, student) / "mlops_drift.ipynb")
        for cell in nb.cells:
            if markup.role(cell) == "solution":
                cell.source = solved[markup.grade_id(cell)]
        markup.write_notebook(nb, uploads / student / "mlops_drift.ipynb")
    collect(course, AID, folder=uploads, roster=roster)
    results = autograde(course, AID, students=[ada, bert], force=True, engine=engine)
    assert {g.student: g.score for g in results} == {ada: results[0].max_score, bert: results[0].max_score}
    pages = feedback(course, AID, [ada, bert])
    assert len(pages) == 2 and all("Punkte: 21 von 21" in p.read_text(encoding="utf-8") for p in pages)
    written = report(course, AID)
    assert written.html.is_file() and ada in (written.html.parent / "cells.csv").read_text(encoding="utf-8")
