"""Exports: each format re-reads to the same content; GIFT escaping; Moodle weights; stable Anki ids."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile

import pytest

from graders.bank import BankError
from graders.bank._anki import MODEL_ID, deck_id, note_guid
from graders.bank._gift import escape
from graders.bank._gift_parser import GiftError, parse
from graders.bank._items import items
from graders.bank._reread import check_export
from graders.bank._weights import ALLOWED, MOODLE_WEIGHTS, choice_weights, weight
from graders.bank.export import FORMATS, SUFFIX, export

from .conftest import TRICKY


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_rereads(bank, tmp_path, fmt):
    path = tmp_path / f"bank{SUFFIX[fmt]}"
    count = export(bank, fmt, path)
    assert count == (21 if fmt == "json" else 18 + 3 * 5)   # parameterized: 5 variants each
    assert check_export(fmt, path, bank) == []


def test_topic_filter(bank, tmp_path):
    path = tmp_path / "beta.gift"
    assert export(bank, "gift", path, topics=["beta"]) == 6 + 5
    assert {q.category for q in parse(path.read_text(encoding="utf-8"))} == {"$course$/Deep Learning/Thema Beta"}
    with pytest.raises(BankError):
        export(bank, "gift", path, topics=["nope"])


@pytest.mark.parametrize("text", ["~", "=", "#", "{", "}", ":", "\\", "\\n", "a\nb", "::x::", "{#1:2}", "####",
                                  "->", "%50%", "\\{", "\\\\:", TRICKY])
def test_gift_escaping_round_trips(text):
    gift = f"::{escape('n:' + text)}::[html]{escape(text)}{{\n\t=[html]{escape(text)}#[html]{escape(text)}\n" \
           f"\t~[html]b\n\t####[html]{escape(text)}\n}}\n"
    (q,) = parse(gift)
    assert q.name == ("n:" + text).strip()
    assert q.text == text.strip() and q.feedback == text.strip()
    assert q.kind == "multichoice" and q.single
    assert q.answers[0].text == text.strip() and q.answers[0].feedback == text.strip() and q.answers[0].correct_mark


def test_gift_escaping_edge_cases_in_the_bank_export(bank, tmp_path):
    path = tmp_path / "bank.gift"
    export(bank, "gift", path)
    source = path.read_text(encoding="utf-8")
    parsed = {q.name: q for q in parse(source)}
    single = parsed["alpha-single"]
    assert TRICKY.replace("<", "&lt;").replace("&", "&amp;", 1) not in single.text   # HTML-escaped ...
    assert "a ~ b = c # d { e } f : g \\ h &lt; i &amp; j ]]&gt; k" in single.text   # ... and all specials kept
    assert single.answers[0].text == "richtig a ~ b = c # d { e } f : g \\ h &lt; i &amp; j ]]&gt; k"
    assert parsed["alpha-matching"].pairs[2] == ("ReLU", f"[0, ∞) {TRICKY}")
    # no raw special character survives outside the structure: each question is one block
    assert all(line.strip() for block in source.split("\n\n") for line in block.splitlines())


def test_gift_parser_rejects_unescaped_braces():
    with pytest.raises(GiftError):
        parse("::x::[html]a } b{=c ~d}\n")


def test_moodle_weights_only_from_the_allowed_list(bank, tmp_path):
    path = tmp_path / "bank.xml"
    export(bank, "moodle-xml", path)
    root = ET.parse(path).getroot()
    fractions = [a.get("fraction") for q in root.findall("question") for a in q.findall("answer")]
    assert fractions and set(fractions) <= ALLOWED
    multiple = next(q for q in root.findall("question") if q.findtext("name/text") == "alpha-multiple")
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["33.33333"] * 3 + ["-50"] * 2
    assert multiple.findtext("single") == "false"
    numeric = next(q for q in root.findall("question") if q.findtext("name/text") == "alpha-numeric")
    assert numeric.findtext("answer/text") == "0.25" and numeric.findtext("answer/tolerance") == "0.01"
    # the relative tolerance of the parameterized question became absolute for each concrete answer
    variant = next(q for q in root.findall("question") if q.findtext("name/text") == "alpha-param (Variante 1)")
    assert float(variant.findtext("answer/tolerance")) == pytest.approx(float(variant.findtext("answer/text")) * 0.001)
    categories = [q.findtext("category/text") for q in root.findall("question") if q.get("type") == "category"]
    assert categories == ["$course$/Deep Learning/Thema Alpha", "$course$/Deep Learning/Thema Beta",
                          "$course$/Deep Learning/Thema Gamma: mit // Schrägstrich"]
    kinds = {q.findtext("name/text"): q.get("type") for q in root.findall("question")}
    assert kinds["alpha-ordering"] == "matching" and kinds["alpha-text"] == "shortanswer"


def test_weights_are_snapped_to_moodle_values_or_refused():
    assert choice_weights([True, True, True, False, False, False], single=False) == ["33.33333"] * 3 + ["-33.33333"] * 3
    assert weight(100 / 7) == "14.28571" and weight(-100 / 6) == "-16.66667"
    assert all(w in ALLOWED for w in MOODLE_WEIGHTS)
    with pytest.raises(BankError):
        weight(100 / 13)


def test_text_with_real_regex_becomes_essay_with_grader_info(bank):
    from dataclasses import replace

    from graders.bank import Bank

    q = replace(bank.question("alpha-text"), accepted=("ellen\\s*bogen",))
    (item,) = items(Bank(bank.root, bank.topics, (q,)))
    assert item.kind == "essay" and "Ellenbogenkriterium" in item.grader_info


def _anki_notes(path):
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", path.parent / path.stem)
    db = sqlite3.connect(path.parent / path.stem / "collection.anki2")
    try:
        notes = db.execute("SELECT guid, mid FROM notes ORDER BY guid").fetchall()
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        db.close()
    return notes, decks


def test_anki_ids_are_stable_across_exports(bank, tmp_path):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export(bank, "anki", first)
    export(bank, "anki", second)
    notes_a, decks_a = _anki_notes(first)
    notes_b, decks_b = _anki_notes(second)
    assert notes_a == notes_b and len(notes_a) == 33
    assert {mid for _, mid in notes_a} == {MODEL_ID}
    expected = {note_guid(q, s) for q in bank.questions for s in (range(5) if q.type == "parameterized" else [None])}
    assert {g for g, _ in notes_a} == expected
    names = {d["name"]: int(i) for i, d in decks_a.items()}
    assert names["Deep Learning::Thema Alpha"] == deck_id(bank.topic("alpha"))
    assert {k: v for k, v in names.items() if k.startswith("Deep")} == \
        {d["name"]: int(i) for i, d in decks_b.items() if d["name"].startswith("Deep")}


def test_json_is_a_plain_dump(bank, tmp_path):
    path = tmp_path / "bank.json"
    export(bank, "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    entry = next(q for q in document["questions"] if q["qid"] == "alpha-param")
    assert entry["uuid"] == bank.question("alpha-param").uuid and "def generate" in entry["generator"]
    assert [v["seed"] for v in entry["variants"]] == [0, 1, 2, 3, 4]


def test_anki_correct_option_position_is_uniform_over_the_whole_export(tmp_path):
    """Chi-square over the real bank's export: where the ✔ stands on the back of each choice card."""
    import re

    from scipy.stats import chisquare

    from graders.bank import load_bank

    from .conftest import ROOT

    path = tmp_path / "bank.apkg"
    export(load_bank(ROOT / "bank"), "anki", path)
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = db.execute("SELECT flds, tags FROM notes").fetchall()
    finally:
        db.close()
    observed, expected, all_first, multiple = [0.0] * 6, [0.0] * 6, 0, 0
    for fields, tags in notes:
        if " single " not in f" {tags} " and " multiple " not in f" {tags} ":
            continue
        marks = re.findall(r"<li>([✔✘])", fields.split("\x1f")[1])
        right = [i for i, mark in enumerate(marks) if mark == "✔"]
        for i in right:
            observed[i] += 1
        for i in range(len(marks)):
            expected[i] += len(right) / len(marks)   # a uniform shuffle puts each correct one anywhere
        if " multiple " in f" {tags} ":
            multiple += 1
            all_first += right == list(range(len(right)))
    assert sum(observed) > 200
    used = [i for i, e in enumerate(expected) if e > 0]
    result = chisquare([observed[i] for i in used], [expected[i] for i in used])
    assert result.pvalue > 0.01, (observed, expected)
    assert observed[0] < 1.3 * expected[0]
    assert all_first < 0.25 * multiple      # before: the correct ones came first in 49 of 60


def test_anki_cards_keep_their_option_order_across_exports(bank, tmp_path):
    """A topic subset (a personal deck) shows each card exactly as the whole export does."""
    def fields(path):
        with zipfile.ZipFile(path) as archive:
            archive.extract("collection.anki2", path.parent / path.stem)
        db = sqlite3.connect(path.parent / path.stem / "collection.anki2")
        try:
            return dict(db.execute("SELECT guid, flds FROM notes").fetchall())
        finally:
            db.close()

    export(bank, "anki", tmp_path / "all.apkg")
    export(bank, "anki", tmp_path / "alpha.apkg", topics=["alpha"])
    whole, subset = fields(tmp_path / "all.apkg"), fields(tmp_path / "alpha.apkg")
    assert subset and all(whole[guid] == flds for guid, flds in subset.items())
    single = subset[note_guid(bank.question("alpha-single"))]
    assert single.split("\x1f")[1].count("<li>") == 4


def test_no_raw_dollar_formula_reaches_moodle(bank, tmp_path):
    """Matching answers are plain text in Moodle: formulas become Unicode; a formula may span a line break."""
    from dataclasses import replace

    from graders.bank import Bank
    from graders.bank._reread import raw_math

    q = replace(bank.question("alpha-matching"), text="Ordne zu, mit $a =\nb$ über eine Zeile.",
                pairs=(("Glorot", "$\\mathrm{Var}(w) = \\frac{2}{n_{in} + n_{out}}$"), ("Ausgabe", "als $h_t$"),
                       ("Code", "`x = $y`")))
    path = tmp_path / "m.xml"
    path.write_text(__import__("graders.bank._moodle", fromlist=["write"]).write(
        items(Bank(bank.root, bank.topics, (q,)))), encoding="utf-8")
    (question,) = [x for x in ET.parse(path).getroot().findall("question") if x.get("type") == "matching"]
    answers = [s.findtext("answer/text") for s in question.findall("subquestion")]
    assert answers == ["Var(w) = 2/(n_in + n_out)", "als h_t", "x = $y"]
    assert "\\(a =\nb\\)" in question.findtext("questiontext/text")
    assert raw_math(question) == []
    question.find("questiontext/text").text = "noch $x$ roh"
    assert raw_math(question) != []
