"""The class report and a feedback page in headless Chromium: no script error, nothing loaded from
elsewhere, every plot drawn with an area; screenshots under reports/."""

from __future__ import annotations

import pytest

from graders.feedback import feedback
from graders.report import course_report

from .browser import render, skip_reason
from .conftest import ROOT, SAMPLE_AID
from .test_report import COURSE_PLOTS, PLOTS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))]

STUDENT = "s04-teilweise-falsch"  # passed and failed cells: both kinds of result box


@pytest.fixture(scope="module")
def pages(report_course):
    """One feedback page, then the reports (which link to it)."""
    page = feedback(report_course, SAMPLE_AID, [STUDENT])[0]
    assignment, course = course_report(report_course)
    return {"report": assignment.html, "course": course.html, "feedback": page}


def _keep(shot):
    """A copy under the repository's reports/ (not committed), to look at after the test run."""
    kept = ROOT / "reports" / SAMPLE_AID / f"test-{shot.parent.name}-{shot.name}"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(shot.read_bytes())


def _plot_selectors(plots) -> list[str]:
    return [f"#plot-{p}" for p in plots] + [f"#plot-{p} svg" for p in plots]


def test_class_report_renders_every_plot_without_errors(pages):
    shot = pages["report"].parent / "screenshot.png"
    seen = render(pages["report"], _plot_selectors(PLOTS) + ["#students", "#summary"], screenshot=shot)
    assert seen.errors == [] and seen.requests == []
    assert seen.invisible() == []
    assert all(len(seen.sizes[f"#plot-{p} svg"]) == 1 for p in PLOTS)
    assert shot.stat().st_size > 10_000
    _keep(shot)
    link = f'href="../../feedback/{STUDENT}/{SAMPLE_AID}/perzeptron.html"'
    assert link in pages["report"].read_text(encoding="utf-8")  # the report links the feedback page


def test_course_report_renders_every_plot_without_errors(pages):
    shot = pages["course"].parent / "screenshot.png"
    seen = render(pages["course"], _plot_selectors(COURSE_PLOTS) + ["#assignments"], screenshot=shot)
    assert seen.errors == [] and seen.requests == []
    assert seen.invisible() == []
    _keep(shot)


def test_feedback_page_renders_without_errors(pages, report_course):
    shot = report_course.reports(SAMPLE_AID) / f"feedback-{STUDENT}.png"
    seen = render(pages["feedback"], [".graders-result", "table", ".jp-Notebook", "math"], screenshot=shot)
    assert seen.errors == [] and seen.requests == []
    assert seen.invisible() == []
    assert len(seen.sizes[".graders-result"]) == 8  # one result box per graded cell of 01-perzeptron
    assert len(seen.sizes["math"]) > 10 and "\\dfrac" not in seen.text  # formulas as MathML, offline
    assert shot.is_file()
    _keep(shot)


def test_helper_catches_script_errors_outside_requests_and_hidden_plots(pages, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(pages["report"].read_text(encoding="utf-8").replace(
        "</body>", "<script>console.error('kaputt'); nichtDefiniert();</script>"
                   '<img src="https://cdn.example.org/x.png"></body>').replace(
        "</style>", "#plot-grading-time{display:none}</style>"), encoding="utf-8")
    seen = render(broken, _plot_selectors(PLOTS) + ["#plot-gibt-es-nicht"])
    assert any("kaputt" in e for e in seen.errors) and any("nichtDefiniert" in e for e in seen.errors)
    assert seen.requests == ["https://cdn.example.org/x.png"]
    assert seen.invisible() == ["#plot-grading-time", "#plot-grading-time svg", "#plot-gibt-es-nicht"]
