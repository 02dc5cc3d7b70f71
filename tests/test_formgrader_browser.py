"""The real formgrader (``graders formgrader``) in headless Chromium: a grader opens a submission,
sees the rubric in the manual cell's comment box, enters a score and a comment; ``sync-manual``
brings them into grades.json, the feedback page and moodle.csv. One small notebook, no kernel: the
autograded part is recorded the way autograde records it."""

from __future__ import annotations

import csv
import shutil
import socket

import nbformat
import pytest

from graders import _manual, _nbgrader, grades as records, late
from graders.autograde import _record_gradebook
from graders.course import Course
from graders.feedback import feedback
from graders.formgrader import start
from graders.grades import CellGrade, Grades, NotebookGrade, Status
from graders.manual import sync_manual
from graders.report import report

from .browser import CHROMIUM, skip_reason
from .conftest import ROOT, nbgrader_cell
from .test_manual import manual_cell

pytestmark = [pytest.mark.slow, pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))]

AID, NB, STUDENT = "a1", "deutung", "s01"
RUBRIC = [{"text": "Überanpassung erkannt", "points": 2}, {"text": "Gegenmaßnahme genannt", "points": 2}]
COMMENT = "Überanpassung erkannt, Gegenmaßnahme fehlt."


@pytest.fixture
def course(tmp_path) -> Course:
    """One graded submission: the test cell passed, the manual cell answered and pending."""
    source = nbformat.v4.new_notebook(cells=[nbgrader_cell("solution", "x = 1", "loesung"),
                                             nbgrader_cell("test", "assert x == 1", "test_x", points=2),
                                             manual_cell(rubric=RUBRIC)])
    (tmp_path / "source" / AID).mkdir(parents=True)
    nbformat.write(source, tmp_path / "source" / AID / f"{NB}.ipynb")
    shutil.copyfile(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    course = Course(tmp_path)
    _nbgrader.ensure_assignment(course.gradebook_url, AID, {NB: source}, late.config(course))
    submitted = nbformat.from_dict(source)
    submitted.cells[2].source = "Der Validierungsverlust steigt, weil das Netz die Trainingsdaten auswendig lernt."
    cells = [CellGrade("test_x", 2.0, 2.0, Status.PASSED), *_manual.pending(source)]
    grades = Grades(AID, STUDENT, 2.0, 6.0, Status.GRADED,
                    (NotebookGrade.of(f"{NB}.ipynb", cells, Status.GRADED),), environment={})
    grades = late.policy(course, AID).penalize(grades, None)
    _record_gradebook(course, grades)
    records.write(course, grades, {f"{NB}.ipynb": nbformat.writes(submitted)})
    return course


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_score_and_comment_entered_in_formgrader_reach_grades_feedback_and_moodle(course):
    from playwright.sync_api import sync_playwright

    with _nbgrader.gradebook(course.gradebook_url) as gb:
        submission_id = gb.find_submission_notebook(NB, AID, STUDENT).id
    server = start(course, _free_port())
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                tab = browser.new_page()
                errors = []
                tab.on("pageerror", lambda exc: errors.append(str(exc)))
                # the printed URL logs in (nbgrader's pages below /formgrader set the login cookie
                # for their own path only); then Manual Grading -> a1 -> deutung -> the submission
                tab.goto(server.url)
                tab.goto(f"{server.base}/formgrader/gradebook/{AID}/{NB}")
                tab.locator(f"a[href*='/formgrader/submissions/{submission_id}']").first.click()
                tab.wait_for_url(f"**/formgrader/submissions/{submission_id}/**", timeout=20_000)
                score, comment = tab.locator("#deutung"), tab.locator("#deutung-comment")
                # formgrader's script fills the boxes once it has loaded the grades and comments (until the
                # submission page has replaced the list, the box is not there: ?. keeps polling)
                tab.wait_for_function("document.querySelector('#deutung-comment')?.hasAttribute('placeholder')",
                                      timeout=20_000)
                assert "auswendig lernt" in tab.inner_text("#notebook")  # the student's answer
                placeholder = comment.get_attribute("placeholder")
                assert "Überanpassung erkannt: 2 P." in placeholder and "Gegenmaßnahme genannt: 2 P." in placeholder
                with tab.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"):
                    score.fill("3")
                    score.press("Tab")  # formgrader saves on change
                with tab.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT"):
                    comment.fill(COMMENT)
                    comment.press("Tab")
                assert [e for e in errors if "MathJax" not in e] == []  # MathJax comes from a CDN: offline here
            finally:
                browser.close()
    finally:
        server.stop()

    changed, problems = sync_manual(course, AID)
    assert problems == [] and [g.student for g in changed] == [STUDENT]
    cell = records.load(course, AID, STUDENT).cells()[f"{NB}/deutung"]
    assert (cell.score, cell.status, cell.message) == (3, Status.GRADED, COMMENT)
    page = feedback(course, AID, [STUDENT])[0].read_text(encoding="utf-8")
    assert "deutung: 3 / 4 Punkte – bewertet" in page and COMMENT in page
    with (report(course, AID).csv[0]).open(encoding="utf-8") as moodle:
        assert list(csv.reader(moodle)) == [["student", AID], [STUDENT, "5"]]
