"""The grades record: typed round trip of real grades.json files, the status vocabulary, currency,
topic totals, history."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from importlib import resources

import pytest

from graders import grades as records
from graders.course import Course
from graders.grades import CellGrade, Currency, Grades, NotebookGrade, Status, topic_points

from .conftest import SAMPLE_AID, SAMPLES


def test_real_grades_files_round_trip_unchanged(course, graded):
    for student in graded:
        data = json.loads(records.path(course, SAMPLE_AID, student).read_text(encoding="utf-8"))
        assert records.load(course, SAMPLE_AID, student).to_json() == data


def test_every_status_of_the_schema_has_a_german_word():
    schema = json.loads(resources.files("graders").joinpath("grades.schema.json").read_text())
    cell_statuses = schema["properties"]["notebooks"]["items"]["properties"]["cells"]["items"]["properties"]["status"]
    for value in cell_statuses["enum"]:
        assert Status(value).word  # every status a cell can have is worded
    assert {s.value for s in Status} >= set(cell_statuses["enum"])
    assert Status.TIMEOUT.word == "Zeitlimit überschritten"


def test_a_record_that_is_not_grades_is_refused(tmp_path):
    bad = tmp_path / "grades.json"
    bad.write_text(json.dumps({"schema": 1, "student": "x"}))
    with pytest.raises(ValueError):
        records.read(bad)
    bad.write_text(json.dumps({"schema": 2}))
    with pytest.raises(ValueError, match="schema"):
        records.read(bad)


def _grades(student: str, cells: list[tuple[float, float, tuple[str, ...]]]) -> Grades:
    graded = [CellGrade(f"c{i}", s, m, Status.PASSED if s == m else Status.FAILED, t) for i, (s, m, t) in enumerate(cells)]
    notebook = NotebookGrade.of("nb.ipynb", graded, Status.GRADED)
    return Grades("a1", student, notebook.score, notebook.max_score, Status.GRADED, (notebook,), {})


def test_topic_points_count_a_cell_for_each_of_its_topics():
    points = topic_points([_grades("s", [(1, 2, ("a", "b")), (0, 3, ("b",))]), _grades("s", [(4, 4, ("a",))])])
    assert {t: (p.reached, p.max_score, p.lost) for t, p in points.items()} == {
        "a": (5, 6, 1), "b": (1, 5, 4)}


def test_currency_follows_the_collected_timestamp(tmp_path):
    course = Course(tmp_path)
    folder = course.submitted("s1", SAMPLE_AID)
    shutil.copytree(SAMPLES / "s01-korrekt" / SAMPLE_AID, folder)
    assert records.currency(course, SAMPLE_AID, "s1") is Currency.UNGRADED
    (folder / "timestamp.txt").write_text("2025-11-10 10:00:00.000000 UTC")
    grades = replace(_grades("s1", [(1, 1, ())]),
        assignment=SAMPLE_AID, submission=records.Lateness("2025-11-10T10:00:00+00:00", None, 0.0, 0.0, 1.0))
    records.write(course, grades, {"perzeptron.ipynb": "{}"})
    assert records.currency(course, SAMPLE_AID, "s1") is Currency.CURRENT
    (folder / "timestamp.txt").write_text("2025-11-11 10:00:00.000000 UTC")  # collected again
    assert records.currency(course, SAMPLE_AID, "s1") is Currency.STALE
    assert (course.autograded("s1", SAMPLE_AID) / "perzeptron.ipynb").read_text() == "{}"


def test_history_keeps_every_run_and_skips_a_cut_off_line(tmp_path):
    course = Course(tmp_path)
    for score in (0.0, 1.0):
        records.write(course, _grades("s1", [(score, 1, ())]), {})
    with course.history("a1").open("a") as out:
        out.write('{"student": "s')  # a killed writer
    records.write(course, _grades("s2", [(1, 1, ())]), {})
    assert [(r.student, r.score) for r in records.history(course, "a1")] == [("s1", 0.0), ("s1", 1.0), ("s2", 1.0)]
    assert records.load(course, "a1", "s1").score == 1.0  # grades.json holds the latest run only
