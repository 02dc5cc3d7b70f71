"""``graders new``: the template assignment validates as created, and its blank release is graded 0
with feedback that names the right solution cell."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

from graders.cli import main
from graders.course import Course, CourseError
from graders.new import new

from .conftest import ROOT, cells


def _empty_course(tmp_path) -> Course:
    (tmp_path / "source").mkdir()
    (tmp_path / "bank").mkdir()
    shutil.copyfile(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copyfile(ROOT / "bank" / "topics.yaml", tmp_path / "bank" / "topics.yaml")
    return Course(tmp_path)


def test_new_refuses_an_existing_assignment_and_odd_names(tmp_path, capsys, monkeypatch):
    course = _empty_course(tmp_path)
    new(course, "17-probe", "dropout")
    assert (course.source("17-probe") / "dropout.ipynb").is_file()
    monkeypatch.chdir(tmp_path)
    assert main(["new", "17-probe"]) == 2
    assert "source/17-probe/ gibt es schon" in capsys.readouterr().err
    with pytest.raises(CourseError, match="nur Buchstaben"):
        new(course, "../weg")


def test_template_lists_the_course_topics(tmp_path):
    from graders import _markup as markup
    from graders._topics import course_topics

    course = _empty_course(tmp_path)
    notebook, wrong = new(course, "17-probe")
    keys = [t.key for t in course_topics(course)]
    assert markup.read_notebook(notebook).metadata["graders"]["topic_choices"] == keys
    assert all(f"#   {key}:" in wrong.read_text(encoding="utf-8") for key in keys)


def test_new_assignment_validates_and_grades_the_blank_release(tmp_path, engine):
    from graders.autograde import autograde
    from graders.release import release
    from graders.validate import validate

    course = _empty_course(tmp_path)
    new(course, "17-probe")
    release(course, "17-probe")
    report = validate(course, "17-probe", engine=engine)
    assert report.ok, report.errors
    assert report.warnings == [w for w in report.warnings if "mutation" in w]  # only the missing record
    assert "aufgabe.ipynb: blank release 0/8" in report.facts
    # a trial submission made by hand, as docs/authoring.md says: the release notebook as submitted
    shutil.copytree(course.release("17-probe"), course.submitted("leer", "17-probe"))
    with warnings.catch_warnings(record=True) as caught:  # the first autograde creates gradebook.db
        warnings.simplefilter("always")
        autograde(course, "17-probe", engine=engine)
    assert not [w for w in caught if "SAWarning" in type(w.message).__name__], [str(w.message) for w in caught]
    grades = json.loads((course.autograded("leer", "17-probe") / "grades.json").read_text())
    by_id = cells(grades)
    assert grades["score"] == 0
    # test_modell fails on the missing `modell`: the cell that defines it is to blame, not the first failed one
    assert "Lösungszelle 'modell'" in by_id["test_modell"]["message"], by_id["test_modell"]["message"]
    assert "noch nicht bearbeitet" in by_id["test_standardisiere"]["message"]
    assert all("  " not in c["message"] and ".." not in c["message"] for c in by_id.values())


def test_a_solution_that_does_not_run_is_one_german_line_naming_the_grade_id(tmp_path, engine, capsys):
    from graders._references import ReferenceError, load_references

    course = _empty_course(tmp_path)
    notebook, _ = new(course, "17-probe")
    text = notebook.read_text(encoding="utf-8")
    notebook.write_text(text.replace("from graders import assert_close, ", "from graders import "), encoding="utf-8")
    with pytest.raises(ReferenceError) as caught:
        load_references(course, "17-probe", notebook, engine=engine)
    message = str(caught.value)
    assert "\n" not in message and "cell " not in message, message
    assert "Zelle 'test_standardisiere': Fehler NameError: name 'assert_close' is not defined" in message
