"""The personal drill of a feedback page: weak topics only, never exam-only questions, the full Anki
export's notes, and a notebook whose checker agrees with the bank's grader."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import zipfile

import nbformat
import pytest
import yaml

from graders import grades as records
from graders.bank import grade, load_bank, parse_answer
from graders.bank.export import export
from graders.bank.takeaway import PER_TOPIC, choose, drill_notebook, weak_topics, write

from .conftest import typed, wrong, write_grades

EXAM_ONLY = ("beta-single", "beta-text")


@pytest.fixture
def bank(course):
    for qid in EXAM_ONLY:
        path = course.bank / "beta" / qid / "question.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["text"] += " GEHEIM-PRÜFUNG"
        data["exam_only"] = True
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_bank(course.bank)


@pytest.fixture
def losses(course):
    # beta: 3 of 4 points lost, alpha: 1 of 4, gamma: nothing lost, "fremd" is in no bank
    write_grades(course.root, "s01", "01-x", [(1, 4, ["beta"]), (3, 4, ["alpha"]), (2, 2, ["gamma"]),
                                              (0, 1, ["fremd"])])
    return weak_topics([records.load(course, "01-x", "s01")])


def _notes(apkg) -> dict[str, list[str]]:
    """guid -> fields of every note in an Anki package."""
    with zipfile.ZipFile(apkg) as archive, archive.open("collection.anki2") as db:
        path = apkg.parent / f"{apkg.stem}.sqlite"
        path.write_bytes(db.read())
    with contextlib.closing(sqlite3.connect(path)) as con:
        return {guid: flds.split("\x1f") for guid, flds in con.execute("select guid, flds from notes")}


def test_weak_topics_are_the_drills_order_and_gamma_is_not_weak(losses):
    assert [(x.topic, x.lost, x.max_score) for x in losses] == [("fremd", 1, 1), ("beta", 3, 4), ("alpha", 1, 4)]


def test_choose_takes_weak_topics_weakest_first_and_never_exam_only(bank, losses):
    chosen = choose(bank, losses, "s01")
    topics = [v.question.topic for v in chosen]
    assert topics == sorted(topics, key=["beta", "alpha"].index) and set(topics) == {"beta", "alpha"}
    assert topics.count("beta") == len(bank.in_topic("beta")) - len(EXAM_ONLY) and topics.count("alpha") == PER_TOPIC
    assert not {v.qid for v in chosen} & set(EXAM_ONLY)
    assert choose(bank, losses, "s01") == chosen  # fixed per student
    others = [choose(bank, losses, f"s{i:02d}") for i in range(2, 12)]
    assert any([v.qid for v in other] != [v.qid for v in chosen] for other in others)
    assert any([v.seed for v in other] != [v.seed for v in chosen] for other in others)
    assert choose(bank, losses, "s01", per_topic=1) == [chosen[0], chosen[topics.index("alpha")]]


def test_files_hold_no_exam_only_question(bank, losses, tmp_path):
    drill = write(bank, losses, "s01", tmp_path, "uebung-01-x", "01-x")
    notebook = drill.notebook.read_text(encoding="utf-8")
    assert drill.variants and "GEHEIM" not in notebook
    assert not any("GEHEIM" in field for fields in _notes(drill.deck).values() for field in fields)
    # the marker is visible where it may be: the full export
    export(bank, "anki", tmp_path / "alle.apkg")
    assert any("GEHEIM" in field for fields in _notes(tmp_path / "alle.apkg").values() for field in fields)


def test_anki_notes_are_the_full_exports_notes(bank, losses, tmp_path):
    drill = write(bank, losses, "s01", tmp_path, "uebung-01-x", "01-x")
    export(bank, "anki", tmp_path / "alle.apkg")
    mine, full = _notes(drill.deck), _notes(tmp_path / "alle.apkg")
    assert len(mine) == len(drill.variants)
    assert set(mine) <= set(full)
    assert all(mine[guid] == full[guid] for guid in mine)  # same text, same variant
    assert any(v.type == "parameterized" for v in drill.variants)


def test_notebook_checker_agrees_with_the_banks_grader(bank, tmp_path):
    """Every question of the bank, right and wrong answers, as the student would type them."""
    variants = [v for student in ("s01", "s02") for v in choose(bank, _all(bank), student, per_topic=99)]
    nb = drill_notebook(bank, _all(bank), variants, "Test")
    namespace = {}
    exec(nb.cells[1].source, namespace)  # the checker cell, as Jupyter would run it
    check = namespace["bewerte"]
    for n, v in enumerate(variants, 1):
        right = typed(v)
        assert grade(v, parse_answer(v, right))[0] == 1.0
        assert check(n, right)[0] is True, (v.qid, right)
        bad = _typed_wrong(v)
        assert grade(v, parse_answer(v, bad))[0] < 1.0
        assert check(n, bad)[0] is False, (v.qid, bad)
        assert check(n, "")[0] is None
    assert check(len(variants) + 1, "a")[0] is None


def test_numbers_in_german_and_the_ambiguous_thousands_point(bank, losses):
    nb = drill_notebook(bank, losses, choose(bank, losses, "s01"), "Test")
    namespace = {}
    exec(nb.cells[1].source, namespace)
    check, key = namespace["bewerte"], namespace["_SCHLUESSEL"]
    n, entry = next((n, e) for n, e in key.items() if e["typ"] == "zahl")
    german = f"{entry['wert']:.6f}".replace(".", ",")
    assert check(n, german)[0] is True and check(n, float(entry["wert"]))[0] is True
    ok, message = check(n, "5.400")
    assert ok is False and "mehrdeutig" in message and "5400 oder 5,400" in message
    ok, message = check(n, "zwölf")
    assert ok is False and "keine Zahl" in message


def test_notebook_runs_in_a_real_kernel_and_says_what_is_right(bank, losses, tmp_path):
    from nbclient import NotebookClient

    drill = write(bank, losses, "s01", tmp_path, "uebung-01-x", "01-x")
    nb = nbformat.read(drill.notebook, as_version=4)
    answers = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# Deine Antwort")]
    assert len(answers) == len(drill.variants)
    answers[0].source = answers[0].source.replace("antwort = ", f"antwort = {typed(drill.variants[0])!r} #", 1)
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    said = ["".join(o.get("text", "") for o in c.outputs) for c in answers]
    assert said[0].startswith("Frage 1: Richtig!")
    assert all(text.startswith(f"Frage {n}: Trag zuerst") for n, text in enumerate(said[1:], 2))


def test_notebook_is_german_with_collapsed_solutions_and_a_hidden_key(bank, losses):
    variants = choose(bank, losses, "s01")
    nb = drill_notebook(bank, losses, variants, "01-x")
    text = "\n".join(c.source for c in nb.cells)
    assert "Deine persönliche Übung: 01-x" in text and "Thema Beta" in text and "| 3 von 4 |" in text
    assert text.count("<details>") == len(variants) and "Lösung und Erklärung" in text
    assert nb.cells[1].metadata["jupyter"]["source_hidden"] is True
    # the key is not readable at a glance: no accepted pattern of the text question in the code
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "ellenbogen" not in code.lower() and "import graders" not in code and "from graders" not in code
    assert nbformat.validate(nb) is None


def test_no_questions_means_no_files_and_old_ones_go(bank, losses, tmp_path):
    out = tmp_path / "feedback"
    drill = write(bank, losses, "s01", out, "uebung-01-x", "01-x")
    assert drill.deck.is_file() and drill.notebook.is_file()
    none = write(bank, weak_topics([]), "s01", out, "uebung-01-x", "01-x")
    assert none.deck is None and none.notebook is None and list(out.iterdir()) == []


def _all(bank):
    from graders.bank._weakness import TopicLoss

    return [TopicLoss(t.key, 1, 1) for t in bank.topics]


def _typed_wrong(v) -> str:
    """``wrong`` (canonical) as typed text in this variant's labels."""
    from graders.bank._grade import letter

    q, answer = v.question, wrong(v)
    if q.type == "single":
        return letter(v.order.index(answer))
    if q.type == "multiple":
        return " ".join(letter(v.order.index(i)) for i in answer)
    if q.is_numeric:
        return str(answer).replace(".", ",")
    if q.type == "text":
        return answer
    if q.type == "ordering":
        return " ".join(str(v.order.index(k) + 1) for k in answer)
    return " ".join(letter(v.rights.index(right)) for right in answer)
