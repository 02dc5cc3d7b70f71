"""Write an Anki package (.apkg) with genanki: one subdeck per topic, ``Deep Learning::<title>``.

Ids never change between exports, so a re-import updates cards instead of duplicating them: the
note guid comes from the question uuid (and the variant seed), the model and deck ids from a hash
of fixed strings.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import genanki

from ._html import inline_html, to_html
from ._items import VARIANTS
from ._model import Bank, Question, Topic
from ._variant import Variant, variant

ROOT_DECK = "Deep Learning"
FIELDS = ("Frage", "Antwort", "Erklaerung", "Thema", "Quelle", "ID")


def stable_id(name: str) -> int:
    """An id in genanki's recommended range [2^30, 2^31), the same for the same name forever."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


MODEL_ID = stable_id("graders.bank.anki.model/v1")
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; color: #222; background: #fff; }
.erklaerung { margin-top: 1em; color: #444; font-size: 16px; }
.meta { margin-top: 1em; color: #888; font-size: 12px; }
table { border-collapse: collapse; } td, th { border: 1px solid #bbb; padding: 2px 6px; }"""
MODEL = genanki.Model(
    MODEL_ID, "Deep Learning Fragenbank (graders)",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Karte",
                "qfmt": "{{Frage}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Antwort}}<div class=erklaerung>{{Erklaerung}}</div>"
                        "<div class=meta>{{Thema}} · {{ID}}</div>"}],
    css=_CSS)


def deck_id(topic: Topic) -> int:
    return stable_id(f"graders.bank.anki.deck/{topic.key}")


def note_guid(question: Question, seed: int | None = None) -> str:
    return genanki.guid_for(question.uuid) if seed is None else genanki.guid_for(question.uuid, seed)


def write(bank: Bank, path: Path, variants: int = VARIANTS) -> int:
    """Write the package; returns the number of notes."""
    decks, count = [], 0
    for topic in bank.topics:
        deck = genanki.Deck(deck_id(topic), f"{ROOT_DECK}::{topic.title}")
        for q in bank.in_topic(topic.key):
            seeds = range(variants) if q.type == "parameterized" else [None]
            for seed in seeds:
                deck.add_note(_note(q, topic, seed))
                count += 1
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(path))
    return count


def write_subset(bank: Bank, path: Path, notes: list[tuple[Question, int | None]]) -> int:
    """A package of only these notes (question, variant seed; None for an unparameterized question):
    the same notes, guids and decks as in ``write``, so importing both never duplicates a card."""
    decks = []
    for topic in bank.topics:
        chosen = [(q, seed) for q, seed in notes if q.topic == topic.key]
        if chosen:
            deck = genanki.Deck(deck_id(topic), f"{ROOT_DECK}::{topic.title}")
            for q, seed in chosen:
                deck.add_note(_note(q, topic, seed))
            decks.append(deck)
    genanki.Package(decks).write_to_file(str(path))
    return sum(len(deck.notes) for deck in decks)


def _note(q: Question, topic: Topic, seed: int | None) -> genanki.Note:
    v = variant(q, seed or 0)
    front, back = _card(v)
    ident = q.qid if seed is None else f"{q.qid} (Variante {seed + 1})"
    fields = [front, back, to_html(v.feedback), html.escape(topic.title), html.escape(q.source), html.escape(ident)]
    return genanki.Note(model=MODEL, fields=fields, guid=note_guid(q, seed), tags=[topic.key, q.type])


def _list(entries: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{e}</li>" for e in entries) + f"</{tag}>"


def _card(v: Variant) -> tuple[str, str]:
    """Front and back HTML of one card; choices in the variant's shuffled order.

    The order comes from the question's uuid and the variant seed only, so every export (the whole
    bank or a personal subset) shows a card's options the same way and the correct one is not
    always first.
    """
    q = v.question
    front = to_html(v.text)
    if q.is_choice:
        hint = "Eine Antwort ist richtig." if q.type == "single" else "Mehrere Antworten können richtig sein."
        front += f"<p><i>{hint}</i></p>" + _list([inline_html(c.text) for c in v.options])
        back = _list([f"{'✔' if c.correct else '✘'} {inline_html(c.text)}: {inline_html(c.feedback)}"
                      for c in v.options])
    elif q.is_numeric:
        unit = f" {html.escape(q.unit)}" if q.unit else ""
        back = f"<p><b>{q.precision.format(v.answer)}{unit}</b> ({html.escape(q.tolerance.describe())})</p>"
    elif q.type == "text":
        back = f"<p><b>Musterlösung:</b> {inline_html(q.sample_answer)}</p>"
    elif q.type == "ordering":
        front += "<p><i>Bring die Schritte in die richtige Reihenfolge:</i></p>"
        front += _list([inline_html(s) for s in v.shown_items])
        back = _list([inline_html(s) for s in q.items], ordered=True)
    else:
        front += ("<p><i>Ordne zu:</i></p><table><tr><td>" + _list([inline_html(x) for x in v.lefts], True)
                  + "</td><td>" + _list([inline_html(x) for x in v.rights]) + "</td></tr></table>")
        back = "<table>" + "".join(f"<tr><td>{inline_html(left)}</td><td>→ {inline_html(right)}</td></tr>"
                                   for left, right in q.pairs) + "</table>"
    return front, back
