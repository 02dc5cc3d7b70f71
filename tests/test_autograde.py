"""The foundation end to end: the sample submissions of 01-perzeptron graded by `graders autograde`."""

from __future__ import annotations

import json
import shutil
from importlib import resources

import jsonschema
import pytest

from graders import _nbgrader
from graders.autograde import autograde

from .conftest import SAMPLE_AID, cells

pytestmark = pytest.mark.slow

EXPECTED = {  # student -> (score, {grade_id: status} of the cells that do not pass)
    "s01-korrekt": (14, {}),
    "s02-float32": (14, {}),
    "s03-knapp-daneben": (12, {"test_sigmoid": "failed"}),
    "s04-teilweise-falsch": (8, {"test_relu": "failed", "test_perzeptron_schritt": "failed",
                                 "test_training": "failed"}),
    "s05-leer": (0, {g: "error" for g in ("test_gewichtete_summe", "test_sprung", "test_sigmoid", "test_relu",
                                          "test_vorhersage", "test_perzeptron_schritt", "test_training",
                                          "test_frameworks")}),
    "s06-fehler": (6, {g: "error" for g in ("test_gewichtete_summe", "test_vorhersage",
                                            "test_perzeptron_schritt", "test_training")}),
    "s07-warnungen": (14, {}),
}


def test_sample_scores_and_statuses(graded):
    assert set(graded) == set(EXPECTED)
    for student, (score, failing) in EXPECTED.items():
        grades = graded[student]
        assert grades["score"] == score, student
        assert grades["max_score"] == 14
        assert {g: c["status"] for g, c in cells(grades).items() if c["status"] != "passed"} == failing, student


def test_grades_json_matches_the_schema_and_no_score_is_null(graded):
    schema = json.loads(resources.files("graders").joinpath("grades.schema.json").read_text())
    for grades in graded.values():
        jsonschema.validate(grades, schema)
        assert grades["environment"]["device"] == "cpu" and grades["environment"]["tf32"] is False
        for cell in cells(grades).values():
            assert cell["score"] is not None and cell["topics"]
            assert (cell["status"] == "passed") == (cell["score"] == cell["max_score"])
            assert cell["status"] == "passed" or cell["message"], cell


def test_messages_help_without_leaking(graded):
    message = cells(graded["s03-knapp-daneben"])["test_sigmoid"]["message"]
    assert "sigmoid(...)" in message and "außerhalb der Toleranz" in message and "bei Index" in message
    blank = cells(graded["s05-leer"])["test_sigmoid"]["message"]
    assert "NotImplementedError" in blank and "noch nicht bearbeitet" in blank
    broken = cells(graded["s06-fehler"])["test_training"]["message"]
    assert "Lösungszelle 'training'" in broken and "bias" in broken
    for grades in graded.values():
        for cell in cells(grades).values():
            assert "check_function" not in cell["message"] and "seed=" not in cell["message"]


def test_stderr_warnings_cost_nothing(graded):
    assert graded["s07-warnungen"]["score"] == graded["s01-korrekt"]["score"] == 14


def test_gradebook_holds_the_same_scores(course, graded):
    for student, grades in graded.items():
        stored = _nbgrader.auto_scores(course.gradebook_url, SAMPLE_AID, student)
        expected = {("perzeptron", gid): c["score"] for gid, c in cells(grades).items()}
        assert stored == expected, student


def test_timing_is_recorded(graded):
    for grades in graded.values():
        nb = grades["notebooks"][0]
        assert nb["timing"]["wall_s"] > 0 and nb["timing"]["cpu_s"] > 0 and nb["timing"]["peak_rss_mib"] > 50


def test_rerun_skips_graded_and_force_regrades(course, graded, engine):
    assert autograde(course, SAMPLE_AID, engine=engine) == []
    again = autograde(course, SAMPLE_AID, students=["s03-knapp-daneben"], engine=engine)
    assert [g.score for g in again] == [12]


@pytest.mark.parametrize("content, status, words", [
    (None, "missing", "fehlt"),
    ("{ this is not json", "invalid", "JSON"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": "nope"}', "invalid", "Notebook-Struktur"),
])
def test_broken_submissions_get_explicit_zeros(course, graded, engine, content, status, words):
    student = f"x-{status}-{abs(hash(words)) % 1000}"
    folder = course.submitted(student, SAMPLE_AID)
    folder.mkdir(parents=True)
    if content is not None:
        (folder / "perzeptron.ipynb").write_text(content)
    else:
        (folder / "falscher-name.ipynb").write_text("{}")
    grades, = [g.to_json() for g in autograde(course, SAMPLE_AID, students=[student], engine=engine)]
    assert grades["score"] == 0 and grades["notebooks"][0]["status"] == status
    for cell in cells(grades).values():
        assert cell["status"] == status and words in cell["message"] and cell["score"] == 0
    if content is None:
        assert "falscher-name.ipynb" in cells(grades)["test_sprung"]["message"]
    shutil.rmtree(course.root / "submitted" / student)


def test_old_nbformat_v3_is_upgraded(course, graded, engine):
    import nbformat

    nb = nbformat.read(course.sample_submissions / "s01-korrekt" / SAMPLE_AID / "perzeptron.ipynb", 4)
    v3 = nbformat.convert(nb, 3)
    folder = course.submitted("x-v3", SAMPLE_AID)
    folder.mkdir(parents=True)
    (folder / "perzeptron.ipynb").write_text(nbformat.writes(v3, version=3))
    grades, = autograde(course, SAMPLE_AID, students=["x-v3"], engine=engine)
    assert grades.score == 14
