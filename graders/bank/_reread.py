"""Re-read a written export and compare it with what the bank says it must contain.

GIFT goes through our Moodle-like parser, Moodle XML through xml.etree (structure, weights from the
allowed list, a correct answer in every question), the Anki package through its SQLite collection
(guids, decks, model), JSON through json. Returns a list of German problems; empty means fine.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from . import _anki
from ._gift_parser import GiftError, parse
from ._items import VARIANTS, Item, category, items
from ._model import Bank
from ._weights import ALLOWED


def check_export(fmt: str, path: Path, bank: Bank, variants: int = VARIANTS) -> list[str]:
    checker = {"gift": _check_gift, "moodle-xml": _check_moodle, "anki": _check_anki, "json": _check_json}[fmt]
    try:
        return [f"{fmt}: {p}" for p in checker(Path(path), bank, variants)]
    except Exception as exc:  # a reader that crashes is a finding, not a reason to stop validating
        return [f"{fmt}: {path.name} nicht lesbar ({type(exc).__name__}: {exc})"]


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _expected(bank: Bank, variants: int) -> dict[str, Item]:
    return {item.idnumber: item for item in items(bank, variants)}


def _coverage(found: list[str], expected: dict[str, Item]) -> list[str]:
    problems = []
    seen = set()
    for ident in found:
        if ident in seen:
            problems.append(f"{ident}: doppelt")
        seen.add(ident)
    missing = sorted(set(expected) - seen)
    extra = sorted(seen - set(expected))
    if missing:
        problems.append(f"{len(missing)} Fragen fehlen, z. B. {', '.join(expected[m].name for m in missing[:3])}")
    if extra:
        problems.append(f"{len(extra)} unbekannte Fragen, z. B. {', '.join(extra[:3])}")
    return problems


# --- GIFT ---------------------------------------------------------------------------------------

def _check_gift(path: Path, bank: Bank, variants: int) -> list[str]:
    try:
        parsed = parse(path.read_text(encoding="utf-8"))
    except GiftError as exc:
        return [str(exc)]
    expected = _expected(bank, variants)
    problems = _coverage([q.idnumber for q in parsed], expected)
    for q in parsed:
        item = expected.get(q.idnumber)
        if item is None:
            continue
        where = item.name
        general = item.feedback
        if item.kind == "essay":
            general = "\n".join(part for part in (item.grader_info, item.feedback) if part)
        checks = [("Kategorie", q.category, category(item.topic)), ("Titel", q.name, item.name),
                  ("Typ", q.kind, item.kind), ("Textformat", q.text_format, "html"), ("Fragetext", q.text, item.text),
                  ("allgemeines Feedback", q.feedback, general.strip())]
        problems += [f"{where}: {label} weicht ab ({got!r} statt {want!r})"[:300]
                     for label, got, want in checks if got != want]
        if q.kind != item.kind:
            continue
        if q.kind == "multichoice":
            problems += _gift_choices(q, item)
        elif q.kind == "numerical":
            if not (_same_number(float(q.number), item.number) and _same_number(float(q.tolerance), item.tolerance)):
                problems.append(f"{where}: Zahl/Toleranz {q.number}:{q.tolerance} statt {item.number}:{item.tolerance}")
        elif q.kind == "shortanswer":
            if [a.text for a in q.answers] != [a.text for a in item.answers]:
                problems.append(f"{where}: Kurzantworten weichen ab")
        elif q.kind == "matching":
            if q.pairs != list(item.pairs):
                problems.append(f"{where}: Zuordnungspaare weichen ab")
    return problems


def _gift_choices(q, item: Item) -> list[str]:
    where = item.name
    problems = []
    if q.single != item.single:
        problems.append(f"{where}: Einfach-/Mehrfachauswahl vertauscht")
    if len(q.answers) != len(item.answers):
        return problems + [f"{where}: {len(q.answers)} statt {len(item.answers)} Antworten"]
    for got, want in zip(q.answers, item.answers):
        weight = "100" if got.correct_mark else (got.weight if got.weight is not None else "0")
        if weight not in ALLOWED:
            problems.append(f"{where}: Gewicht {weight} ist in Moodle nicht erlaubt")
        if weight != want.fraction or got.text != want.text or got.feedback != want.feedback.strip():
            problems.append(f"{where}: Antwort {want.text[:40]!r} weicht ab")
    problems += _has_correct(where, item.single, [("100" if a.correct_mark else a.weight or "0") for a in q.answers])
    return problems


def _has_correct(where: str, single: bool, fractions: list[str]) -> list[str]:
    values = [float(f) for f in fractions if f in ALLOWED]
    if single and values.count(100.0) != 1:
        return [f"{where}: Einfachauswahl ohne genau eine Antwort mit 100 %"]
    if not single and abs(sum(v for v in values if v > 0) - 100) > 0.01:
        return [f"{where}: positive Gewichte ergeben nicht 100 %"]
    return []


# --- Moodle XML ---------------------------------------------------------------------------------

def _child_text(element, *path: str) -> str | None:
    node = element
    for tag in path:
        node = node.find(tag) if node is not None else None
    return None if node is None else (node.text or "")


def _check_moodle(path: Path, bank: Bank, variants: int) -> list[str]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return [f"kein wohlgeformtes XML ({exc})"]
    if root.tag != "quiz":
        return [f"Wurzelelement <{root.tag}> statt <quiz>"]
    expected = _expected(bank, variants)
    problems, found, current = [], [], None
    for question in root.findall("question"):
        kind = question.get("type")
        if kind == "category":
            current = _child_text(question, "category", "text")
            if not current:
                problems.append("Kategorie ohne Pfad")
            continue
        name = _child_text(question, "name", "text") or "(ohne Namen)"
        ident = _child_text(question, "idnumber") or ""
        found.append(ident)
        problems += [f"{name}: {p}" for p in _moodle_question(question, kind) + raw_math(question)]
        item = expected.get(ident)
        if item is None:
            continue
        checks = [("Typ", kind, item.kind), ("Titel", name, item.name), ("Kategorie", current, category(item.topic)),
                  ("Fragetext", _child_text(question, "questiontext", "text"), item.text),
                  ("allgemeines Feedback", _child_text(question, "generalfeedback", "text"), item.feedback)]
        problems += [f"{item.name}: {label} weicht ab" for label, got, want in checks if got != want]
        if kind == item.kind:
            problems += [f"{item.name}: {p}" for p in _moodle_content(question, item)]
    return problems + _coverage(found, expected)


_CODE_HTML = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)
_DOLLARS = re.compile(r"\$[^$]+\$")


def raw_math(question) -> list[str]:
    """``$…$`` that survived into Moodle: its filters render only ``\\(…\\)`` and ``$$…$$`` in HTML."""
    texts = [node.text or "" for node in question.iter("text")]
    if any(_DOLLARS.search(_CODE_HTML.sub("", t.replace("$$", ""))) for t in texts):
        return ["rohe $…$-Formel, die Moodle nicht darstellt"]
    return []


def _moodle_question(question, kind: str) -> list[str]:
    """Structure Moodle needs to import the question, and a correct answer."""
    if not _child_text(question, "questiontext", "text"):
        return ["Fragetext fehlt"]
    if question.find("questiontext").get("format") not in ("html", "moodle_auto_format", "plain_text", "markdown"):
        return ["unbekanntes Textformat"]
    answers = question.findall("answer")
    fractions = [a.get("fraction", "") for a in answers]
    bad = [f for f in fractions if f not in ALLOWED]
    if bad:
        return [f"Gewichte nicht aus Moodles Liste: {', '.join(bad)}"]
    if kind == "multichoice":
        single = _child_text(question, "single")
        if single not in ("true", "false") or len(answers) < 2:
            return ["Multiple Choice braucht <single> und mind. 2 Antworten"]
        if any(not _child_text(a, "text") for a in answers):
            return ["Antwort ohne Text"]
        return _has_correct("Antworten", single == "true", fractions)
    if kind == "numerical":
        if fractions != ["100"]:
            return ["numerisch: genau eine Antwort mit 100 % erwartet"]
        try:
            float(_child_text(answers[0], "text"))
            if float(_child_text(answers[0], "tolerance")) < 0:
                return ["negative Toleranz"]
        except (TypeError, ValueError):
            return ["numerisch: Antwort oder Toleranz ist keine Zahl"]
        return []
    if kind == "shortanswer":
        if "100" not in fractions or any(not _child_text(a, "text") for a in answers):
            return ["Kurzantwort ohne richtige Antwort"]
        return []
    if kind == "essay":
        return [] if _child_text(question, "graderinfo", "text") else ["Freitext ohne Bewertungshinweis"]
    if kind == "matching":
        subs = question.findall("subquestion")
        if len(subs) < 2 or any(not _child_text(s, "text") or not _child_text(s, "answer", "text") for s in subs):
            return ["Zuordnung braucht mind. 2 vollständige Paare"]
        return []
    return [f"Fragetyp {kind!r} schreibt der Export nicht"]


def _moodle_content(question, item: Item) -> list[str]:
    if item.kind in ("multichoice", "shortanswer"):
        got = [(_child_text(a, "text"), a.get("fraction"), _child_text(a, "feedback", "text") or "")
               for a in question.findall("answer")]
        want = [(a.text, a.fraction, a.feedback) for a in item.answers]
        return [] if got == want else ["Antworten weichen ab"]
    if item.kind == "numerical":
        answer = question.find("answer")
        ok = (_same_number(float(_child_text(answer, "text")), item.number)
              and _same_number(float(_child_text(answer, "tolerance")), item.tolerance))
        return [] if ok else ["Zahl oder Toleranz weicht ab"]
    if item.kind == "matching":
        got = [(_child_text(s, "text"), _child_text(s, "answer", "text")) for s in question.findall("subquestion")]
        return [] if got == list(item.pairs) else ["Zuordnungspaare weichen ab"]
    if item.kind == "essay":
        same = _child_text(question, "graderinfo", "text") == item.grader_info
        return [] if same else ["Bewertungshinweis weicht ab"]
    return []


# --- Anki ---------------------------------------------------------------------------------------

def _check_anki(path: Path, bank: Bank, variants: int) -> list[str]:
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        if "collection.anki2" not in archive.namelist():
            return ["collection.anki2 fehlt im Paket"]
        archive.extract("collection.anki2", tmp)
        db = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            notes = db.execute("SELECT guid, mid, flds FROM notes").fetchall()
            decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
            cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
        finally:
            db.close()
    want = {_anki.note_guid(q, seed) for q in bank.questions
            for seed in (range(variants) if q.type == "parameterized" else [None])}
    problems = []
    guids = [guid for guid, _, _ in notes]
    if len(set(guids)) != len(guids):
        problems.append("doppelte guids")
    if set(guids) != want:
        problems.append(f"{len(want - set(guids))} Notizen fehlen, {len(set(guids) - want)} unbekannt")
    if {mid for _, mid, _ in notes} - {_anki.MODEL_ID}:
        problems.append("Notiz mit fremdem Notiztyp")
    if cards != len(notes):
        problems.append(f"{cards} Karten für {len(notes)} Notizen")
    if any(not flds.split("\x1f")[0].strip() or not flds.split("\x1f")[1].strip() for _, _, flds in notes):
        problems.append("Karte ohne Vorder- oder Rückseite")
    names = {d["name"] for d in decks.values()}
    wanted_decks = {f"{_anki.ROOT_DECK}::{t.title}" for t in bank.topics}
    if not wanted_decks <= names:
        problems.append(f"Stapel fehlen: {', '.join(sorted(wanted_decks - names))[:200]}")
    return problems


# --- JSON ---------------------------------------------------------------------------------------

def _check_json(path: Path, bank: Bank, variants: int) -> list[str]:
    document = json.loads(path.read_text(encoding="utf-8"))
    qids = [q.get("qid") for q in document.get("questions", [])]
    problems = []
    if qids != [q.qid for q in bank.questions]:
        problems.append("Fragenliste weicht von der Bank ab")
    if [t.get("key") for t in document.get("topics", [])] != [t.key for t in bank.topics]:
        problems.append("Themenliste weicht von der Bank ab")
    for entry in document.get("questions", []):
        if entry.get("type") == "parameterized" and len(entry.get("variants", [])) != variants:
            problems.append(f"{entry.get('qid')}: {variants} Varianten erwartet")
    return problems
