"""Feedback pages help students without handing them the hidden tests: their weak topics, a personal
drill beside the page, formulas as MathML."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile

import nbformat
import numpy as np
import pytest
import yaml

from graders import _markup as markup
from graders._assemble import assemble
from graders._references import load_references
from graders.bank import load_bank
from graders.course import Course
from graders.feedback import feedback
from graders.grades import CellGrade, Grades, NotebookGrade, Status

from .browser import render, skip_reason
from .conftest import ROOT, SAMPLE_AID

WEAK, STRONG = "s-schwach", "s-voll"
INSTRUCTOR_COMMAND = re.compile(r"\bgraders (?!import\b)[a-z]")  # the notebook's own import is fine


@pytest.fixture(scope="module")
def pages(course, graded):
    # other tests add students to the shared course; these pages are the samples'
    return {page: page.read_text(encoding="utf-8") for page in feedback(course, SAMPLE_AID, sorted(graded))}


@pytest.mark.slow
def test_one_page_per_sample_with_scores_and_messages(pages, graded):
    assert len(pages) == len(graded)
    page = next(text for path, text in pages.items() if "s03-knapp-daneben" in str(path))
    assert "12 von 14" in page and "außerhalb der Toleranz" in page
    assert "<tr><td>Aktivierungsfunktionen</td><td>2 von 4</td></tr></table>" in page  # the one lost cell
    for text in pages.values():
        assert not INSTRUCTOR_COMMAND.search(re.sub(r"<[^>]+>", "", text))


def _hidden_lines(course) -> list[str]:
    source = markup.read_notebook(course.notebooks(SAMPLE_AID)[0])
    return [line.strip() for cell in source.cells if markup.role(cell) == "test"
            for line in markup.split_hidden(cell.source)[1].splitlines() if line.strip()]


@pytest.mark.slow
def test_no_hidden_test_code_in_any_page(course, pages):
    hidden = _hidden_lines(course)
    assert hidden
    for text in pages.values():
        plain = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#34;", '"')
        assert "HIDDEN TESTS" not in plain
        for line in hidden:
            assert line not in plain
            assert re.sub(r"\s+", "", line) not in re.sub(r"\s+", "", plain)


@pytest.mark.slow
def test_no_reference_value_of_a_hidden_input_in_any_page(course, pages, engine):
    notebook = course.notebooks(SAMPLE_AID)[0]
    source = markup.read_notebook(notebook)
    refs = load_references(course, SAMPLE_AID, notebook, engine=engine)
    keys = {spec.key for test in assemble(source, source).tests for spec in test.specs if spec.kind == "call"}
    values = [float(v) for key in keys for leaf in _leaves(refs.get(key)) for v in np.ravel(leaf)
              if np.isfinite(v) and abs(v) > 1e-3 and float(v) != round(float(v), 2)]
    assert len(values) > 20
    for text in pages.values():
        for value in values:
            for written in (repr(value), f"{value:.6g}", f"{value:.5f}"):
                if len(re.sub(r"[^0-9]", "", written).lstrip("0")) >= 5:  # specific enough to be a leak
                    assert written not in text, written


def _leaves(plain):
    from graders._convert import Array

    if isinstance(plain, Array):
        return [plain.value]
    if isinstance(plain, list):
        return [leaf for item in plain for leaf in _leaves(item)]
    if isinstance(plain, dict):
        return [leaf for item in plain.values() for leaf in _leaves(item)]
    return []


# -- the personal drill: graded by hand-written grades.json, no notebook runs -----------------------------

@pytest.fixture(scope="module")
def drill_course(tmp_path_factory) -> Course:
    """01-perzeptron with the whole bank (one question made exam-only) and two graded students: one lost
    points on perzeptron and aktivierungsfunktionen, one has full marks. The graded notebook is the release."""
    root = tmp_path_factory.mktemp("drill-course")
    for part in ("source", "release", "bank"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copyfile(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    course = Course(root)
    exam_only = course.bank / "perzeptron" / sorted(p.name for p in (course.bank / "perzeptron").iterdir())[0]
    data = yaml.safe_load((exam_only / "question.yaml").read_text(encoding="utf-8"))
    data.update(exam_only=True, text=data["text"] + " NUR-IN-DER-KLAUSUR")
    (exam_only / "question.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    source = markup.read_notebook(course.notebooks(SAMPLE_AID)[0])
    tests = [c for c in source.cells if markup.role(c) == "test"]
    for student in (WEAK, STRONG):
        cells = []
        for c in tests:
            points, topics = c.metadata.nbgrader.points, tuple(c.metadata.graders.topics)
            lost = student == WEAK and set(topics) & {"perzeptron", "aktivierungsfunktionen"}
            cells.append(CellGrade(markup.grade_id(c), 0.0 if lost else points, points,
                                   Status.FAILED if lost else Status.PASSED, topics,
                                   "Falsches Ergebnis." if lost else ""))
        entry = NotebookGrade.of("perzeptron.ipynb", cells, Status.GRADED)
        grades = Grades(SAMPLE_AID, student, entry.score, entry.max_score, Status.GRADED, (entry,), {})
        folder = course.autograded(student, SAMPLE_AID)
        folder.mkdir(parents=True)
        (folder / "grades.json").write_text(json.dumps(grades.to_json()), encoding="utf-8")
        shutil.copyfile(course.release(SAMPLE_AID) / "perzeptron.ipynb", folder / "perzeptron.ipynb")
    feedback(course, SAMPLE_AID)
    return course


def _page(course, student) -> str:
    return (course.feedback(student, SAMPLE_AID) / "perzeptron.html").read_text(encoding="utf-8")


def _plain(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def _notes(path) -> dict[str, str]:
    """guid -> fields of the notes in an Anki package."""
    con = sqlite3.connect(":memory:")
    with zipfile.ZipFile(path) as archive:
        con.deserialize(archive.read("collection.anki2"))
    return dict(con.execute("select guid, flds from notes"))


def test_page_names_weak_topics_with_lost_points_and_links_the_drill(drill_course):
    page = _page(drill_course, WEAK)
    folder = drill_course.feedback(WEAK, SAMPLE_AID)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", page.split("Was du üben kannst")[1])
    # weakest first; forward propagation also has a passed cell (test_frameworks), Keras only that one
    assert rows == [("Perzeptron und Perzeptron-Lernregel", "9 von 9"), ("Aktivierungsfunktionen", "4 von 4"),
                    ("Epochen, Batches und Iterationen", "3 von 3"), ("Gradientenabstieg", "2 von 2"),
                    ("Forward Propagation", "3 von 5")]
    links = re.findall(r'<a download="" href="([^"]+)">', page)
    assert links == [f"uebung-{SAMPLE_AID}.ipynb", f"uebung-{SAMPLE_AID}.apkg"]
    assert all((folder / link).is_file() for link in links)
    assert not INSTRUCTOR_COMMAND.search(_plain(page)) and "--student" not in page


def test_full_marks_get_no_drill_and_a_regrade_removes_an_old_one(drill_course, tmp_path):
    folder = drill_course.feedback(STRONG, SAMPLE_AID)
    assert "keine Punkte verloren" in _page(drill_course, STRONG)
    assert sorted(p.name for p in folder.iterdir()) == ["perzeptron.html"]
    stale = folder / f"uebung-{SAMPLE_AID}.apkg"
    stale.write_bytes(b"alt")
    feedback(drill_course, SAMPLE_AID, [STRONG])
    assert not stale.exists()


def test_drill_holds_weak_topic_questions_only_and_nothing_hidden_or_exam_only(drill_course):
    folder = drill_course.feedback(WEAK, SAMPLE_AID)
    notebook = nbformat.read(folder / f"uebung-{SAMPLE_AID}.ipynb", as_version=4)
    text = "\n".join(c.source for c in notebook.cells)
    deck = list(_notes(folder / f"uebung-{SAMPLE_AID}.apkg").values())
    bank = load_bank(drill_course.bank)
    titles = re.findall(r"^## Frage \d+ von \d+ · (.+)$", text, re.MULTILINE)
    weak = {bank.topic(k).title for k in ("perzeptron", "aktivierungsfunktionen", "forward-propagation",
                                           "gradientenabstieg", "epochen-und-batches")}
    assert titles and set(titles) <= weak and len(deck) == len(titles)
    assert "NUR-IN-DER-KLAUSUR" not in text and not any("NUR-IN-DER-KLAUSUR" in d for d in deck)
    hidden = _hidden_lines(drill_course)
    assert hidden
    for line in hidden:
        assert line not in text and not any(line in d for d in deck)


def test_drill_is_the_same_on_a_rerun(drill_course):
    folder = drill_course.feedback(WEAK, SAMPLE_AID)
    before = (folder / f"uebung-{SAMPLE_AID}.ipynb").read_bytes()
    notes = _notes(folder / f"uebung-{SAMPLE_AID}.apkg")
    feedback(drill_course, SAMPLE_AID, [WEAK])
    assert (folder / f"uebung-{SAMPLE_AID}.ipynb").read_bytes() == before
    assert _notes(folder / f"uebung-{SAMPLE_AID}.apkg") == notes


def test_formulas_are_mathml_and_no_tex_is_left_in_the_text(drill_course):
    page = _page(drill_course, WEAK)
    assert page.count("<math") >= 8 and "GRADERSMATH" not in page
    text = _plain(re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL))
    assert "\\dfrac" not in text and "$z" not in text


@pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))
def test_page_in_chromium_shows_rendered_formulas_and_the_drill_links(drill_course):
    page = drill_course.feedback(WEAK, SAMPLE_AID) / "perzeptron.html"
    shot = drill_course.root / "reports" / "feedback-drill.png"
    seen = render(page, ["math", "table.graders-topics", "a[download]"], screenshot=shot)
    assert seen.errors == [] and seen.requests == [] and seen.invisible() == []
    assert len(seen.sizes["math"]) >= 8 and len(seen.sizes["a[download]"]) == 2
    assert "\\dfrac" not in seen.text and "$" not in seen.text and "Deine persönliche Übung" in seen.text
    assert shot.stat().st_size > 10_000


def test_a_broken_bank_is_a_clear_german_error_before_any_page(tmp_path):
    from graders.course import CourseError

    from .bank.conftest import make_bank, write_grades

    make_bank(tmp_path)
    write_grades(tmp_path, "s1", "01-x", [(0, 2, ["alpha"])])
    (tmp_path / "source" / "01-x").mkdir(parents=True)
    (tmp_path / "bank" / "alpha" / "alpha-single" / "question.yaml").write_text("type: [kaputt", encoding="utf-8")
    with pytest.raises(CourseError, match="(?s)Die Fragenbank .* hat Fehler .*alpha/alpha-single"):
        feedback(Course(tmp_path), "01-x")
    assert not (tmp_path / "feedback").exists()
