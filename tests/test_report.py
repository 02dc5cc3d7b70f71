"""The class report: its CSV files hold the grades.json scores, its heat map covers every student and
topic, its plots are all there, and bad input gives a German message instead of a traceback."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from graders.cli import main
from graders.course import Course, CourseError
from graders.grades import CellGrade, Grades, NotebookGrade, Status
from graders.report import course_report, failure_groups, columns, report

from .conftest import SAMPLE_AID, cells, copy_course

pytestmark = pytest.mark.slow  # the samples are graded once per session (conftest.graded)

PLOTS = ("score-distribution", "cell-pass-rate", "failure-messages", "topic-heatmap", "grading-time",
         "regrade-history")
COURSE_PLOTS = ("assignment-scores", "student-assignment-heatmap", "topic-heatmap")


@pytest.fixture(scope="module")
def written(report_course):
    return report(report_course, SAMPLE_AID)


def _rows(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_moodle_csv_holds_the_scores_of_grades_json(written, graded):
    header, *rows = _rows(written.csv[0])
    assert written.csv[0].name == "moodle.csv" and header == ["student", SAMPLE_AID]
    assert {student: float(score) for student, score in rows} == {s: g["score"] for s, g in graded.items()}
    assert [student for student, _ in rows] == sorted(graded)


def test_cell_csv_holds_every_cell_score(written, graded):
    header, *rows = _rows(written.csv[1])
    sample = next(iter(graded.values()))
    assert header == ["student", *cells(sample), "gesamt"]
    for student, *values in rows:
        expected = cells(graded[student])
        assert {grade_id: float(v) for grade_id, v in zip(header[1:-1], values)} == \
            {grade_id: c["score"] for grade_id, c in expected.items()}
        assert float(values[-1]) == graded[student]["score"]


def test_every_plot_is_an_inline_svg_and_nothing_is_loaded_from_elsewhere(written):
    page = written.html.read_text(encoding="utf-8")
    for plot in PLOTS:
        assert re.search(rf'<figure class="plot" id="plot-{plot}"><svg[^>]*>', page), plot
    assert page.count("<svg") == len(PLOTS)
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<script" not in page


def test_heat_map_covers_every_student_and_topic(written, graded):
    page = written.html.read_text(encoding="utf-8")
    shown = {(s, t): v for s, t, v in re.findall(r'data-student="([^"]+)" data-topic="([^"]+)">([^<]+)<', page)}
    topics = {t for g in graded.values() for c in cells(g).values() for t in c["topics"]}
    assert set(shown) == {(s, t) for s in graded for t in topics}
    for student, grades in graded.items():
        for topic in topics:
            tagged = [c for c in cells(grades).values() if topic in c["topics"]]
            share = sum(c["score"] for c in tagged) / sum(c["max_score"] for c in tagged)
            assert shown[student, topic] == f"{100 * share:.0f}", (student, topic)
    assert {shown["s05-leer", t] for t in topics} == {"0"}  # the empty submission reached nothing


def test_failure_messages_that_differ_only_in_numbers_are_one_group():
    def grades(student, *cells_):
        cells = [CellGrade(g, 0.0, 1.0, Status(status), (), m) for g, status, m in cells_]
        return Grades("a1", student, 0.0, len(cells), Status.GRADED,
                      (NotebookGrade.of("nb.ipynb", cells, Status.GRADED),), {})
    all_grades = [
        grades("a", ("t1", "failed", "x: 3 von 9 Elementen außerhalb, Abweichung ≈ 0.049 bei Index (2,)."),
               ("t2", "timeout", "")),
        grades("b", ("t1", "failed", "x: 1 von 9 Elementen außerhalb, Abweichung ≈ 2.3e-05 bei Index (0,)."),
               ("t2", "passed", "")),
        grades("c", ("t1", "error", "float32 bleibt float32")),
    ]
    groups = failure_groups(all_grades, columns(all_grades))
    assert [(g.count, g.cells, g.students) for g in groups] == [
        (2, ("t1",), ("a", "b")), (1, ("t2",), ("a",)), (1, ("t1",), ("c",))]
    assert groups[0].pattern == "x: … von … Elementen außerhalb, Abweichung ≈ … bei Index (…,)."
    assert groups[1].pattern == "Zeitlimit überschritten"  # no message: the status in words
    assert groups[2].pattern == "float32 bleibt float32"  # digits inside a word are no number


def test_history_has_a_line_per_grading_run(course, graded):
    lines = [json.loads(line) for line in course.history(SAMPLE_AID).read_text(encoding="utf-8").splitlines()]
    latest = {line["student"]: line for line in lines}
    for student, grades in graded.items():
        current = json.loads((course.autograded(student, SAMPLE_AID) / "grades.json").read_text(encoding="utf-8"))
        assert latest[student]["score"] == current["score"]
        assert latest[student]["cells"] == {f"perzeptron/{g}": c["score"] for g, c in cells(current).items()}


def test_history_line_after_a_cut_off_line_stays_readable(tmp_path, graded):
    from graders import grades as records

    course = Course(tmp_path)
    course.history(SAMPLE_AID).parent.mkdir(parents=True)
    course.history(SAMPLE_AID).write_text('{"student": "s0', encoding="utf-8")  # writer killed mid-line
    for student in ("s03-knapp-daneben", "s05-leer"):
        records.write(course, records.Grades.from_json(graded[student]), {})
    lines = course.history(SAMPLE_AID).read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"student": "s0'
    assert [(json.loads(line)["student"], json.loads(line)["score"]) for line in lines[1:]] == [
        ("s03-knapp-daneben", 12.0), ("s05-leer", 0.0)]


def test_a_regrade_that_changed_points_is_listed(report_course, tmp_path):
    copy = Course(tmp_path / "kurs")
    shutil.copytree(report_course.root, copy.root)
    earlier = {"student": "s03-knapp-daneben", "graded_at": "2020-01-01T10:00:00+00:00", "score": 9.5,
               "max_score": 14.0, "status": "graded", "wall_s": 1.0, "cells": {}}
    history = copy.history(SAMPLE_AID)
    history.write_text(json.dumps(earlier) + "\n" + history.read_text(encoding="utf-8") + '{"student": "s0',
                       encoding="utf-8")  # the cut-off last line of a killed writer is skipped
    page = report(copy, SAMPLE_AID).html.read_text(encoding="utf-8")
    table = page[page.index('id="regrade-table"'):]
    table = table[:table.index("</table>")]
    assert re.search(r"<td>s03-knapp-daneben</td><td[^>]*>\d+</td><td>9.5 → 12", table)
    assert table.count("<tr>") == 2  # the header and s03: the other students' points never changed


def test_course_report_has_a_column_per_assignment_and_blanks_for_ungraded(report_course, tmp_path, graded):
    copy = Course(tmp_path / "kurs")
    shutil.copytree(report_course.root, copy.root)
    other = "00-numpy-tensoren"
    for student, score in (("s01-korrekt", 17.0), ("s05-leer", 4.5)):
        target = copy.autograded(student, other) / "grades.json"
        target.parent.mkdir(parents=True)
        grades = dict(graded[student], assignment=other, score=score, max_score=17.0)
        target.write_text(json.dumps(grades), encoding="utf-8")
    written = course_report(copy)
    assert [w.html.parent.name for w in written] == [other, SAMPLE_AID, "course"]
    header, *rows = _rows(written[-1].csv[0])
    assert header == ["student", other, SAMPLE_AID]
    table = {student: values for student, *values in rows}
    assert table["s01-korrekt"] == ["17", "14"] and table["s05-leer"] == ["4.5", "0"]
    assert table["s03-knapp-daneben"] == ["", "12"]
    page = written[-1].html.read_text(encoding="utf-8")
    for plot in COURSE_PLOTS:
        assert f'<figure class="plot" id="plot-{plot}"><svg' in page, plot


def test_cli_reports_progress_and_paths(report_course, monkeypatch, capsys):
    monkeypatch.setenv("GRADERS_COURSE_ROOT", str(report_course.root))
    monkeypatch.delenv("CI", raising=False)
    assert main(["report", SAMPLE_AID]) == 0
    out, err = capsys.readouterr()
    assert out.split() == [f"reports/{SAMPLE_AID}/{name}" for name in ("report.html", "moodle.csv", "cells.csv")]
    assert f"report {SAMPLE_AID} 7/7" in err  # plain progress lines: stderr is no terminal here


def test_no_grades_yet_is_a_german_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    empty = copy_course(tmp_path, ("source", "nbgrader_config.py"))
    monkeypatch.setenv("GRADERS_COURSE_ROOT", str(empty.root))
    assert main(["report", SAMPLE_AID]) == 2
    assert f"Für {SAMPLE_AID} gibt es noch keine bewerteten Abgaben" in capsys.readouterr().err
    assert main(["report"]) == 2
    assert "Noch keine bewerteten Abgaben im Kurs" in capsys.readouterr().err
    with pytest.raises(CourseError, match="Unbekannte Aufgabe"):
        report(empty, "99-gibt-es-nicht")
