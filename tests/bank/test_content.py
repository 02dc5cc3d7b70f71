"""Content rules for the real bank: one form of address, coverage of every topic, no near-duplicates."""

from __future__ import annotations

import re

import pytest

from graders.bank import load_bank

from .conftest import ROOT

BANK = load_bank(ROOT / "bank")

# "Sie" as address. Mid-sentence a capital "Sie"/"Ihr…" is always the polite form ("sie" = they/it is
# lower case there); at the start of a sentence "Sie" is ambiguous, so there only verbs a student does count.
_PRONOUN = re.compile(r"\b(?:Sie|Ihnen|Ihre?[mnrs]?)\b")
_STUDENT_VERB = re.compile(r"Sie\s+(?:möchten|wollen|verwenden|nutzen|frieren|tauen|beobachten|planen|"
                           r"haben\s+(?:ein|eine|einen)\b)")
_SENTENCE_END = re.compile(r"(?:[.!?:;][“”\"')]?|[„\"'(*\-])$")


def _starts_sentence(flat: str, pos: int) -> bool:
    before = flat[:pos].rstrip()
    return not before or bool(_SENTENCE_END.search(before))


def _texts(q):
    """Every piece of text a student can see for this question."""
    yield "text", q.text
    yield "feedback", q.feedback
    yield "sample_answer", q.sample_answer
    for i, c in enumerate(q.choices):
        yield f"answers[{i}].text", c.text
        yield f"answers[{i}].feedback", c.feedback
    for i, item in enumerate(q.items):
        yield f"items[{i}]", item
    for i, pair in enumerate(q.pairs):
        yield f"pairs[{i}]", " / ".join(pair)


def polite_address(text: str) -> list[str]:
    """The places in this text that address the reader with "Sie"."""
    flat = " ".join(text.split())
    hits = []
    for m in _PRONOUN.finditer(flat):
        if (m.group(0) == "Ihnen" or not _starts_sentence(flat, m.start())
                or _STUDENT_VERB.match(flat, m.start())):
            hits.append(flat[max(0, m.start() - 20):m.end() + 30])
    return hits


@pytest.mark.parametrize("text, hits", [
    ("Berechnen Sie die Summe.", 1), ("Ordne zu. Wählen Sie alle aus.", 1), ("Was erhalten Sie?", 1),
    ("Die Ausgabe Ihres Modells", 1), ("Sie möchten ein CNN nutzen.", 1), ("Es hilft Ihnen.", 1),
    ("Sie normalisiert die Aktivierungen. Sie ist 0.", 0), ("Richtig: Sie hängt von k ab.", 0),
    ("Ihre Summe ergibt 5.", 0), ("Berechne die Summe; sie ist klein.", 0), ("- Sie lernen lokale Muster", 0),
])
def test_polite_address_detector(text, hits):
    assert len(polite_address(text)) == hits


def test_the_bank_says_du():
    found = [f"{q.topic}/{q.qid} {where}: {hit}" for q in BANK.questions for where, text in _texts(q)
             for hit in polite_address(text)]
    assert found == [], "Sie-Anrede (bitte duzen):\n" + "\n".join(found)
