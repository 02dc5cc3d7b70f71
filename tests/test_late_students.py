"""Deadlines per student: extensions (config or CSV) and the late-day budget over the course.

A small course of empty assignments with synthetic grades: the penalty is computed from the
collected submission times and the config alone, so nothing is graded here.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from importlib import resources

import jsonschema
import pytest

from graders import grades as records, late
from graders.autograde import repenalize
from graders.course import Course, CourseError
from graders.feedback import feedback_notebook
from graders.grades import CellGrade, Grades, Lateness, NotebookGrade, Status
from graders.status import status, table

DUE = {"a1": datetime(2025, 11, 14, 22, 59, tzinfo=timezone.utc),  # 23:59 Europe/Berlin
       "a2": datetime(2025, 11, 21, 22, 59, tzinfo=timezone.utc)}
REASON = "Attest vom Hausarzt"
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
EXTENSION = "c.Deadlines.extensions = " + repr({"a1": {"s03": {"bis": "2025-11-21 23:59", "grund": REASON}}}) + "\n"


def make_course(tmp_path, extra: str = "", due=None) -> Course:
    for aid in ("a1", "a2"):
        (tmp_path / "source" / aid).mkdir(parents=True)
    dues = due or {"a1": "2025-11-14 23:59:00 Europe/Berlin", "a2": "2025-11-21 23:59:00 Europe/Berlin"}
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.Deadlines.duedates = {dues!r}\n"
        "c.AssignLatePenalties.plugin_class = 'graders.late.SubMarks'\n"
        "c.SubMarks.points_per_hour = 1.0\n" + extra, encoding="utf-8")
    return Course(tmp_path)


def submit(course: Course, student: str, aid: str, when: datetime) -> datetime:
    folder = course.submitted(student, aid)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text(f"{when.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S.%f} UTC")
    return when


def graded(aid: str, student: str, score: float = 200.0) -> Grades:
    cell = CellGrade("aufgabe", score, 200.0, Status.PASSED)
    return Grades(aid, student, score, 200.0, Status.GRADED, (NotebookGrade.of("nb.ipynb", [cell], Status.GRADED),),
                  environment={})


def penalize(course: Course, aid: str, student: str, when: datetime) -> Grades:
    return late.policy(course, aid).penalize(graded(aid, student), submit(course, student, aid, when))


# -- extensions ------------------------------------------------------------------------------------

def test_boundaries_without_extension(tmp_path):
    course = make_course(tmp_path)
    on_time = penalize(course, "a1", "s01", DUE["a1"])
    late_by_a_second = penalize(course, "a1", "s02", DUE["a1"] + timedelta(seconds=1))
    assert (on_time.score, on_time.submission.late) == (200, False)
    assert (late_by_a_second.score, late_by_a_second.submission.seconds_late) == (199, 1)
    # nothing of the new record where neither applies: older readers see the same file
    assert set(late_by_a_second.submission.to_json()) == {"timestamp", "duedate", "seconds_late", "late", "penalty",
                                                          "score_before_penalty"}


def test_extension_from_config_moves_the_due_date_of_one_student(tmp_path):
    course = make_course(tmp_path, EXTENSION)
    extended = DUE["a1"] + 7 * DAY
    exactly = penalize(course, "a1", "s03", extended)
    assert (exactly.score, exactly.submission.late, exactly.submission.extension) == (200, False, True)
    assert exactly.submission.duedate == extended.isoformat()
    assert exactly.submission.regular_duedate == DUE["a1"].isoformat()
    assert penalize(course, "a1", "s03", extended + timedelta(seconds=1)).score == 199
    # someone else keeps the regular due date, and s03 keeps it for a2
    assert penalize(course, "a1", "s04", DUE["a1"] + 2 * HOUR).score == 198
    assert penalize(course, "a2", "s03", DUE["a2"] + HOUR).score == 199


def test_extension_from_csv_file(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.extensions_file = 'fristen.csv'\n")
    (tmp_path / "fristen.csv").write_text(f"student;assignment;due;reason\ns05;a2;2025-11-24 12:00;{REASON}\n",
                                          encoding="utf-8")
    due = datetime(2025, 11, 24, 11, 0, tzinfo=timezone.utc)
    assert penalize(course, "a2", "s05", due).score == 200
    assert penalize(course, "a2", "s05", due + 3 * HOUR).score == 197


def test_the_reason_never_reaches_the_student(tmp_path):
    from graders.report import report

    course = make_course(tmp_path, EXTENSION + "c.Deadlines.late_days = 3\n")
    grades = penalize(course, "a1", "s03", DUE["a1"] + 7 * DAY + 5 * HOUR)
    records.write(course, grades, {})
    written = records.path(course, "a1", "s03").read_text(encoding="utf-8")
    page = feedback_notebook(grades, grades.notebooks[0], None, late.local_zone(late.config(course))).cells[0].source
    moodle = report(course, "a1").csv[0].read_text(encoding="utf-8")
    assert "verlängerte Frist bis 21.11.2025 23:59 Uhr" in page  # the student sees the date …
    assert "1 Verspätungstag eingesetzt; danach bleiben dir 2 von 3" in page
    assert moodle.splitlines()[1] == "s03,200"
    for text in (written, page, moodle):
        assert "Attest" not in text and "Hausarzt" not in text  # … never why
    # the instructor does (graders status)
    row, = status(course, "a1")
    assert row.extension_reason == REASON


@pytest.mark.parametrize("extra, place", [
    ("c.Deadlines.extensions = {'a9': {'s01': '2025-11-21 23:59'}}", "unbekannte Aufgabe 'a9'"),
    ("c.Deadlines.extensions = {'a1': {'s01': 'nächsten Freitag'}}", "c.Deadlines.extensions['a1']['s01']: kein Zeitpunkt"),
    ("c.Deadlines.extensions = {'a1': {'s01': '2025-11-10 12:00'}}", "liegt nicht nach der Frist von a1"),
    ("c.Deadlines.extensions = {'a1': {'s01': {'grund': 'x'}}}", "erwartet {'bis'"),
    ("c.Deadlines.extensions = {'a1': {'fremd': '2025-11-21 23:59'}}", "unbekannte Kennung 'fremd'"),
    ("c.Deadlines.late_days = -1", "c.Deadlines.late_days: -1 ist negativ"),
    ("c.Deadlines.extensions_file = 'fehlt.csv'", "fehlt.csv fehlt"),
])
def test_bad_deadline_config_is_a_german_error_naming_the_place(tmp_path, extra, place):
    course = make_course(tmp_path, extra + "\n")
    (tmp_path / "submitted").mkdir()
    course.roster_copy.write_text("student,name\ns01,Erika Mustermann\n", encoding="utf-8")
    with pytest.raises(CourseError, match=None) as error:
        late.schedule(course)
    assert place in str(error.value)


def test_bad_csv_names_file_and_line(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.extensions_file = 'fristen.csv'\n")
    (tmp_path / "fristen.csv").write_text("student,assignment,due\ns01,a1,2025-11-21\ns02,,2025-11-21\n")
    with pytest.raises(CourseError, match=r"fristen.csv, Zeile 3: student, assignment und due"):
        late.schedule(course)
    (tmp_path / "fristen.csv").write_text("student,due\ns01,2025-11-21\n")
    with pytest.raises(CourseError, match=r"Spalte\(n\) assignment fehlen"):
        late.schedule(course)


def test_an_extension_for_an_assignment_without_due_date_is_refused(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.extensions = {'a2': {'s01': '2025-11-21 23:59'}}\n",
                         due={"a1": "2025-11-14 23:59:00 Europe/Berlin"})
    with pytest.raises(CourseError, match="a2 hat keine Frist"):
        late.schedule(course)


# -- late-day budget -------------------------------------------------------------------------------

def test_late_days_make_a_late_submission_on_time_in_whole_days(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.late_days = 5\n")
    grades = penalize(course, "a1", "s01", DUE["a1"] + DAY + timedelta(seconds=1))  # needs 2 days
    record = grades.submission
    assert (grades.score, record.late, record.late_days, record.late_days_left, record.late_days_budget) == \
        (200, False, 2, 3, 5)
    assert record.duedate == (DUE["a1"] + 2 * DAY).isoformat() and record.regular_duedate == DUE["a1"].isoformat()
    on_time = penalize(course, "a1", "s02", DUE["a1"])
    assert (on_time.submission.late_days, on_time.submission.late_days_left) == (0, 5)
    schema = json.loads(resources.files("graders").joinpath("grades.schema.json").read_text())
    jsonschema.validate(grades.to_json()["submission"], schema["properties"]["submission"])


def test_budget_is_spent_earliest_due_first_and_exhausted(tmp_path):
    # a2 is due a week before a1 here: it spends first, whatever the names or the grading order
    course = make_course(tmp_path, "c.Deadlines.late_days = 2\n",
                         due={"a1": "2025-11-21 23:59:00 Europe/Berlin", "a2": "2025-11-14 23:59:00 Europe/Berlin"})
    early, later = DUE["a1"], DUE["a2"]
    submit(course, "s01", "a2", early + 36 * HOUR)
    second = penalize(course, "a1", "s01", later + HOUR)
    assert (second.score, second.submission.late_days, second.submission.late_days_left) == (199, 0, 0)
    first = penalize(course, "a2", "s01", early + 36 * HOUR)
    assert (first.score, first.submission.late_days, first.submission.late_days_left) == (200, 2, 0)
    # regrading spends nothing twice: the same submissions give the same days
    assert penalize(course, "a2", "s01", early + 36 * HOUR) == first
    assert penalize(course, "a1", "s01", later + HOUR) == second


def test_what_is_left_still_helps_partly(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.late_days = 1\n")
    grades = penalize(course, "a1", "s01", DUE["a1"] + 30 * HOUR)
    assert (grades.score, grades.submission.late_days, grades.submission.seconds_late) == (194, 1, 6 * 3600)


def test_days_are_not_spent_where_they_save_no_points(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.late_days = 3\nc.SubMarks.points_per_hour = 0.0\n")
    submit(course, "s01", "a1", DUE["a1"] + HOUR)
    grades = penalize(course, "a2", "s01", DUE["a2"] + HOUR)
    assert (grades.submission.late_days, grades.submission.late_days_left) == (0, 3)


def test_extension_and_late_days_together(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.late_days = 2\n"
                                   "c.Deadlines.extensions = {'a1': {'s01': '2025-11-17 23:59'}}\n")
    grades = penalize(course, "a1", "s01", DUE["a1"] + 3 * DAY + HOUR)  # one hour after the extension
    assert (grades.score, grades.submission.late_days, grades.submission.extension) == (200, 1, True)
    assert grades.submission.duedate == (DUE["a1"] + 4 * DAY).isoformat()


def test_status_shows_days_used_and_left(tmp_path):
    course = make_course(tmp_path, "c.Deadlines.late_days = 4\n")
    submit(course, "s01", "a1", DUE["a1"] + 2 * HOUR)
    submit(course, "s01", "a2", DUE["a2"] + DAY + HOUR)
    submit(course, "s02", "a1", DUE["a1"])
    rows = {r.student: r for r in status(course, "a1")}
    assert (rows["s01"].late_days, rows["s01"].late_days_used, rows["s01"].seconds_late) == (1, 3, 0)
    assert (rows["s02"].late_days, rows["s02"].late_days_used) == (0, 0)
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(table(list(rows.values()), "a1", late.local_zone(late.config(course)), DUE["a1"], 4))
    text = console.export_text()
    assert "1 hier; 3 von 4 genutzt, 1 übrig" in text and "0 hier; 0 von 4 genutzt, 4 übrig" in text


# -- recomputing without regrading -----------------------------------------------------------------

def test_a_new_extension_recomputes_the_penalty_and_the_history_says_so(tmp_path):
    course = make_course(tmp_path)
    grades = penalize(course, "a1", "s03", DUE["a1"] + 5 * HOUR)
    records.write(course, grades, {"nb.ipynb": "{}"})
    assert records.load(course, "a1", "s03").score == 195
    config = tmp_path / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Deadlines.extensions = {'a1': {'s03': '2025-11-15 23:59'}}\n")
    (before, after), = repenalize(course)
    assert (before.score, after.score) == (195, 200)
    stored = records.load(course, "a1", "s03")
    assert stored.score == 200 and stored.notebooks[0].cells == grades.notebooks[0].cells
    assert (course.autograded("s03", "a1") / "nb.ipynb").read_text() == "{}"
    lines = [json.loads(x) for x in course.history("a1").read_text().splitlines()]
    assert [(x["score"], x.get("cause")) for x in lines] == [(195, None), (200, "deadlines")]
    assert repenalize(course) == []  # nothing changed since: nothing written
    assert len(course.history("a1").read_text().splitlines()) == 2


def test_old_submission_records_stay_readable():
    old = {"timestamp": "2025-11-15T01:00:00+00:00", "duedate": "2025-11-14T22:59:00+00:00", "seconds_late": 7260.0,
           "late": True, "penalty": 3.0, "score_before_penalty": 14.0}
    record = Lateness.from_json(old)
    assert (record.extension, record.late_days, record.regular_duedate) == (False, None, None)
    assert record.to_json() == old


def test_the_gradebook_gets_the_students_extension(tmp_path):
    """nbgrader's own column, so formgrader shows the same lateness as grades.json."""
    from graders import _nbgrader

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with _nbgrader.gradebook(url) as gb:
        gb.add_assignment("a1", duedate=DUE["a1"].replace(tzinfo=None))
    submitted = DUE["a1"] + 2 * DAY + HOUR
    _nbgrader.record_submission(url, "a1", "s01", {}, timestamp=submitted, extension=2 * DAY)
    with _nbgrader.gradebook(url) as gb:
        submission = gb.find_submission("a1", "s01")
        assert (submission.extension, submission.total_seconds_late) == (2 * DAY, 3600)
