"""``graders similar``: planted copies are found, independent solutions are not flagged, starter and
task-forced code count for nothing, archives, bad input, the page in headless Chromium."""

from __future__ import annotations

import csv
import random
import shutil

import pytest

from graders import cli
from graders._fingerprint import Fingerprinter
from graders._markup import read_notebook, write_notebook
from graders.course import Course, CourseError
from graders.similar import Settings, similar

from . import similarity_corpus as corpus
from .browser import render, skip_reason

AID, NOTEBOOK = corpus.AID, corpus.NOTEBOOK
STARTER_TEXT = "*Schreibe hier deine Antwort in zwei bis drei Sätzen auf, mit eigenen Worten.*"
MODEL_ANSWER = ("Mit Softmax und Kreuzentropie ist der Gradient nach den Logits einfach p minus y: groß, "
                "wenn das Netz sich sicher irrt, deshalb lernt es schneller als mit dem quadratischen Fehler.")


@pytest.fixture(scope="module")
def cohort():
    return corpus.cohort(60, 12, seed=11, triples=3)


@pytest.fixture(scope="module")
def compared(cohort, tmp_path_factory):
    course = corpus.write_course(tmp_path_factory.mktemp("similar"), cohort)
    return course, similar(course, AID)


def _flagged(result) -> set[frozenset[str]]:
    return {frozenset((p.a.name, p.b.name)) for p in result.pairs}


# code the assignment hands out in a solution cell, above the function to write
GIVEN = """def batch_statistik(batches):
    groessen = np.array([len(yb) for _, yb in batches])
    anteile = groessen / groessen.sum()
    leer = [nummer for nummer, (_, yb) in enumerate(batches) if len(yb) == 0]
    return {"anzahl": len(batches), "groesste": int(groessen.max()), "anteile": anteile.round(3), "leer": leer}


"""


def _course(root, submissions: dict[str, dict[str, str]], markdown: dict[str, str] | None = None,
            given: bool = False) -> Course:
    made = corpus.Cohort(submissions=submissions)
    course = corpus.write_course(root, made)
    source = corpus.source_cells()
    if given:
        source["batches"] = GIVEN + source["batches"]
    # with a written answer: a markdown solution cell, in source/ the model answer, in release/ its stub
    write_notebook(corpus.notebook(source, answer=MODEL_ANSWER if markdown is not None else None),
                   course.source(AID) / f"{NOTEBOOK}.ipynb")
    if markdown is not None:
        write_notebook(corpus.notebook(_starter(given), answer=STARTER_TEXT), course.release(AID) / f"{NOTEBOOK}.ipynb")
    for student, text in (markdown or {}).items():
        write_notebook(corpus.notebook(submissions[student], answer=text),
                       course.submitted(student, AID) / f"{NOTEBOOK}.ipynb")
    return course


def _starter(given: bool = False) -> dict[str, str]:
    """Every cell as handed out: nothing written."""
    cells = {cell: "\n\n\n".join(f"def {name}({params}):\n    # DEIN CODE HIER\n    raise NotImplementedError()"
                                 for name, params in functions.items())
             for cell, functions in corpus.CELLS.items()}
    if given:
        cells["batches"] = GIVEN + cells["batches"]
    return cells


# -- the corpus itself -----------------------------------------------------------------------------

def test_every_written_solution_and_every_submission_is_correct(cohort):
    assert corpus.check_solutions() > 1000  # ways of writing the six functions, each run against a reference
    for cells in cohort.submissions.values():  # the planted copies too: disguised, still working code
        corpus.check_submission(cells)
    copy = next(iter(cohort.copied_from))
    original = cohort.submissions[cohort.copied_from[copy]]
    assert all(cohort.submissions[copy][cell] != original[cell] for cell in original)


# -- recall and precision on the corpus -------------------------------------------------------------

def test_planted_copies_are_found_and_independent_solutions_are_not(compared, cohort):
    course, result = compared
    truth = cohort.copy_pairs()
    flagged = _flagged(result)
    recall = len(truth & flagged) / len(truth)
    false_positive_rate = len(flagged - truth) / cohort.independent_pairs()
    assert len(truth) == 12 + 3 * 2  # twelve copies, three originals copied twice (three pairs each)
    assert recall >= 0.95, sorted(map(sorted, truth - flagged))
    assert false_positive_rate <= 0.02, sorted(map(sorted, flagged - truth))
    # each original copied twice forms a group of three with its copies
    triples = {frozenset([o] + [c for c, of in cohort.copied_from.items() if of == o])
               for o in cohort.copied_from.values() if list(cohort.copied_from.values()).count(o) == 2}
    assert triples <= {frozenset(g) for g in result.groups}


def test_csv_lists_the_flagged_pairs_best_first(compared):
    course, result = compared
    with result.csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student_a", "student_b", "score", "shared_lines", "cluster"]
    assert [(r["student_a"], r["student_b"]) for r in rows] == [(p.a.name, p.b.name) for p in result.pairs]
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and all(s >= Settings.threshold for s in scores)
    assert all(int(r["shared_lines"]) >= Settings.min_lines for r in rows)
    grouped = {r["student_a"] for r in rows if r["cluster"]} | {r["student_b"] for r in rows if r["cluster"]}
    assert grouped == {name for group in result.groups for name in group}


def test_the_page_shows_each_pair_side_by_side_with_the_shared_lines_marked(compared, cohort):
    course, result = compared
    page = result.html.read_text(encoding="utf-8")
    assert page.count('<article class="pair"') == len(result.pairs)
    assert "http" not in page.replace('name="viewport"', "")  # nothing loaded from elsewhere
    for number, pair in enumerate(result.pairs, 1):  # each pair links to its regions, both sides marked
        assert f'href="#paar-{number}"' in page and f'id="paar-{number}"' in page
        assert pair.marks_a and pair.marks_b
        assert set(pair.marks_b.values()) <= set(pair.marks_a.values())  # B's regions take A's numbers
    assert len(result.groups) >= 3 and '<table id="groups">' in page


# -- what is compared ------------------------------------------------------------------------------

def test_renaming_reordering_and_comments_change_no_fingerprint(cohort):
    rng = random.Random(3)
    original = cohort.submissions["s000"]
    disguised = corpus.disguise(original, rng, dead_per_function=0)
    printer = Fingerprinter(Settings.k, Settings.w, Settings.k_text)
    fingerprints = [set(printer.document([("code", code) for code in cells.values()]).hashes)
                    for cells in (original, disguised)]
    assert disguised != original
    assert fingerprints[0] == fingerprints[1]
    another = corpus.independent(random.Random(99))
    assert len(fingerprints[0] & set(printer.document([("code", c) for c in another.values()]).hashes)) \
        < 0.5 * len(fingerprints[0])


def test_starter_code_and_code_everyone_writes_flag_nobody(tmp_path):
    untouched = {f"leer{i}": _starter(given=True) for i in range(4)}  # handed in as handed out
    assert similar(_course(tmp_path, untouched, given=True), AID).pairs == []
    assert len(similar(_course(tmp_path / "ohne", untouched), AID).pairs) == 6  # were it not the starter code
    solution = {cell: code.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION", "")
                for cell, code in corpus.source_cells().items()}
    students = {f"muster{i}": solution for i in range(8)}  # all write the same (here: the model solution)
    assert similar(_course(tmp_path / "muster", students), AID).pairs == []
    # the same eight among many different submissions are no longer "what everyone writes"
    rng = random.Random(5)
    students |= {f"s{i}": corpus.independent(rng) for i in range(40)}
    assert {frozenset(("muster0", "muster1"))} <= _flagged(similar(_course(tmp_path / "mehr", students), AID))


def test_a_short_identical_answer_alone_is_not_enough(tmp_path):
    short = dict(_starter(), auswertung=_starter()["auswertung"].replace(
        "def genauigkeit_pro_klasse(matrix):\n    # DEIN CODE HIER\n    raise NotImplementedError()",
        "def genauigkeit_pro_klasse(matrix):\n    return np.diag(matrix) / matrix.sum(axis=1)"))
    rng = random.Random(8)
    students = {"a": short, "b": dict(short), **{f"s{i}": corpus.independent(rng) for i in range(6)}}
    assert similar(_course(tmp_path, students), AID).pairs == []
    # the same two with a longer answer in common are flagged
    students["a"] = students["b"] = dict(short, nachbarn=corpus.independent(rng)["nachbarn"])
    pairs = similar(_course(tmp_path / "lang", students), AID).pairs
    assert [(p.a.name, p.b.name) for p in pairs] == [("a", "b")]


def test_markdown_answers_are_compared_and_their_starter_text_is_not(tmp_path):
    text = ("Die Kreuzentropie bestraft sichere falsche Vorhersagen besonders stark, weil der Logarithmus "
            "einer kleinen Wahrscheinlichkeit sehr negativ wird. Deshalb lernt das Netz schneller als mit "
            "dem quadratischen Fehler, solange die Ausgabe eine Softmax ist.")
    answers = {"s0": text, "s1": text.replace("besonders stark", "sehr stark").upper(),  # copied, lightly edited
               "s2": "Softmax macht aus Logits Wahrscheinlichkeiten, und die Kreuzentropie misst, wie viel "
                     "Wahrscheinlichkeit die richtige Klasse bekommt; falsche sichere Antworten kosten viel.",
               "s3": "Der quadratische Fehler hat bei einer Softmax-Ausgabe kleine Gradienten, wenn das Netz "
                     "sich sicher irrt, deshalb lernt es damit langsamer als mit der Kreuzentropie.",
               "s4": STARTER_TEXT, "s5": STARTER_TEXT,  # left as handed out
               "s6": MODEL_ANSWER, "s7": MODEL_ANSWER}  # the model answer is not starter text: both flagged
    course = _course(tmp_path, {student: _starter() for student in answers}, markdown=answers)
    result = similar(course, AID, settings=Settings(min_shared=1, min_lines=1))
    assert _flagged(result) == {frozenset(("s0", "s1")), frozenset(("s6", "s7"))}
    copied = next(p for p in result.pairs if p.a.name == "s0")
    assert [(p.cell, p.kind) for p in copied.a.parts if p.kind == "markdown"] == [("antwort", "markdown")]
    assert copied.marks_a and copied.marks_b


def test_a_notebook_that_lost_its_metadata_or_does_not_parse_is_still_compared(tmp_path, cohort):
    rng = random.Random(13)
    students = {f"s{i}": corpus.independent(rng) for i in range(10)}
    original = students["s0"]
    students["kaputt"] = dict(corpus.disguise(original, rng), batches="def mini_batches(X, y, groesse, rng:\n"
                              + original["batches"].split("\n", 1)[1])  # a syntax error in one cell
    students["ohne_metadaten"] = corpus.disguise(students["s1"], rng)
    course = _course(tmp_path, students)
    path = course.submitted("ohne_metadaten", AID) / f"{NOTEBOOK}.ipynb"
    nb = read_notebook(path)
    for cell in nb.cells:  # copied into a fresh notebook: no nbgrader metadata
        cell.metadata.pop("nbgrader", None)
    write_notebook(nb, path)
    flagged = _flagged(similar(course, AID))
    assert {frozenset(("kaputt", "s0")), frozenset(("ohne_metadaten", "s1"))} <= flagged


# -- archives --------------------------------------------------------------------------------------

def test_an_archive_is_compared_with_the_cohort_not_with_itself(tmp_path):
    rng = random.Random(17)
    current = {f"s{i}": corpus.independent(rng) for i in range(12)}
    old = {f"alt{i}": corpus.independent(rng) for i in range(6)}
    old["alt-kopie"] = corpus.disguise(old["alt0"], rng)  # copied within the old cohort: not our business
    current["s-neu"] = corpus.disguise(old["alt1"], rng)  # copied from last year
    course = _course(tmp_path / "kurs", current)
    archive = tmp_path / "jahrgang-2024"
    for student, cells in old.items():
        write_notebook(corpus.notebook(cells), archive / student / AID / f"{NOTEBOOK}.ipynb")
    result = similar(course, AID, archives=[archive])
    assert result.archived == 7
    assert _flagged(result) == {frozenset(("s-neu", "jahrgang-2024/alt1"))}
    assert [(p.a.name, p.a.archived, p.b.archived) for p in result.pairs] == [("s-neu", False, True)]
    assert "(Archiv)" in result.html.read_text(encoding="utf-8")
    # or just a folder of notebooks
    loose = tmp_path / "lose"
    loose.mkdir()
    shutil.copy(archive / "alt1" / AID / f"{NOTEBOOK}.ipynb", loose / "abgabe-17.ipynb")
    result = similar(course, AID, archives=[loose])
    assert _flagged(result) == {frozenset(("s-neu", "lose/abgabe-17"))}
    with pytest.raises(CourseError, match="kein Ordner"):
        similar(course, AID, archives=[tmp_path / "gibt-es-nicht"])
    (tmp_path / "anderswo" / "lose").mkdir(parents=True)
    with pytest.raises(CourseError, match="heißen gleich"):
        similar(course, AID, archives=[loose, tmp_path / "anderswo" / "lose"])


# -- bad input -------------------------------------------------------------------------------------

def test_unreadable_notebooks_are_listed_not_fatal(tmp_path, capsys, monkeypatch):
    rng = random.Random(19)
    students = {f"s{i}": corpus.independent(rng) for i in range(5)}
    students["kopie"] = corpus.disguise(students["s0"], rng)
    course = _course(tmp_path, students)
    broken = {"json": b'{"cells": [', "liste": b"[1, 2]", "binaer": b"\xff\xfe\x00kaputt",
              "metadaten": b'{"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {"nbgrader": [1]}}]}'}
    for student, content in broken.items():
        path = course.submitted(student, AID) / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    course.submitted("leer", AID).mkdir(parents=True)
    result = similar(course, AID)
    reasons = {u.who: u.reason for u in result.unreadable}
    assert set(reasons) == {"json", "liste", "binaer", "metadaten", "leer"}
    assert "JSON" in reasons["json"] and "cells" in reasons["liste"] and "UTF-8" in reasons["binaer"]
    assert "Zelle 1" in reasons["metadaten"]
    assert "kein Notebook" in reasons["leer"]
    assert _flagged(result) == {frozenset(("kopie", "s0"))}
    page = result.html.read_text(encoding="utf-8")
    assert 'id="unreadable"' in page and all(student in page for student in reasons)
    monkeypatch.setenv("GRADERS_COURSE_ROOT", str(course.root))
    assert cli.main(["similar", AID]) == 0
    out = capsys.readouterr().out
    assert all(f"nicht lesbar: {student}" in out for student in reasons)
    assert "6 Abgaben verglichen, 1 auffällige(s) Paar(e)" in out and "reports/03-aehnlich/similarity.html" in out


def test_fewer_than_two_submissions_is_a_clear_message(tmp_path, capsys, monkeypatch):
    rng = random.Random(23)
    course = _course(tmp_path, {"allein": corpus.independent(rng)})
    bad = course.submitted("kaputt", AID) / f"{NOTEBOOK}.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text("kein json", encoding="utf-8")
    with pytest.raises(CourseError, match="mindestens zwei"):
        similar(course, AID)
    monkeypatch.setenv("GRADERS_COURSE_ROOT", str(course.root))
    assert cli.main(["similar", AID]) == 2
    err = capsys.readouterr().err
    assert "1 lesbare Abgabe(n)" in err and "kaputt" in err and "Traceback" not in err
    assert cli.main(["similar", AID, "--threshold", "1.5"]) == 2
    assert "--threshold" in capsys.readouterr().err
    assert cli.main(["similar", "gibt-es-nicht"]) == 2
    assert "Unbekannte Aufgabe" in capsys.readouterr().err
    # one submission and an archive: something to compare
    archive = tmp_path / "archiv"
    write_notebook(corpus.notebook(corpus.independent(rng)), archive / "alt" / AID / f"{NOTEBOOK}.ipynb")
    assert similar(course, AID, archives=[archive]).submissions == 1


# -- the page in a browser -------------------------------------------------------------------------

@pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))
def test_page_renders_in_headless_chromium(compared):
    course, result = compared
    shot = result.html.parent / "similarity.png"
    seen = render(result.html, ["#pairs", "#groups", "article.pair", "pre.code .m1", ".sides"], screenshot=shot)
    assert seen.errors == [] and seen.requests == []
    assert seen.invisible() == []
    assert len(seen.sizes["article.pair"]) == len(result.pairs)
    # the two sides of a pair stand next to each other, not below
    widths = [w for w, _ in seen.sizes[".sides"]]
    assert min(widths) > 800
    assert shot.stat().st_size > 10_000
