"""Content rules for the real bank: "du" address, no near-duplicates across topics, enough questions per topic
and seed topic, a complete bank/CORRECTIONS.md."""

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


# Near-duplicates across topics: token sets of the question stem (text, plus the items or pairs that make up
# an ordering or matching question) without filler words. The known duplicate (the same multiple-choice
# stem on training/test/inference in two topics) scores 1.0; the most similar distinct pair, e.g.
# "Regression vs. Klassifikation" and "Clustering vs. Klassifikation", scores 0.6.
NEAR_DUPLICATE = 0.75
_FILLER = set("""der die das den dem des ein eine einer eines einem einen und oder in im ist sind wird werden mit
von zu zum zur für auf bei als an aus nicht nur auch so wie was welche welcher welches sich es er sie man dass da bzw
über mehrere antworten möglich richtig falsch korrekt aussagen aussage hier diese dieser dieses kein keine ohne nach
vor durch ordne jedem jeder passende beschreibung bringe reihenfolge""".split())


def stem_tokens(text: str, *parts: str) -> frozenset[str]:
    flat = re.sub(r"\{[^{}]*\}", " ", " ".join((text, *parts)).lower().replace("-", ""))
    return frozenset(w for w in re.findall(r"[a-zäöüß0-9]+", flat) if len(w) > 1 and w not in _FILLER)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _stem(q) -> frozenset[str]:
    return stem_tokens(q.text, *q.items, *(" ".join(pair) for pair in q.pairs))


def test_similarity_catches_a_reworded_stem_but_not_a_sibling():
    same = similarity(stem_tokens("Welche Aussagen über die Phasen Training, Test und Inferenz sind richtig?"),
                      stem_tokens("Welche Aussagen über die Phasen Training, Test und Inferenz sind richtig? "
                                  "(Mehrere Antworten möglich.)"))
    sibling = similarity(stem_tokens("Welche Aussagen über Dropout sind richtig?"),
                         stem_tokens("Welche Aussagen über Batch Normalization sind richtig?"))
    assert same >= NEAR_DUPLICATE > sibling


def test_no_near_duplicates_across_topics():
    stems = [(q, _stem(q)) for q in BANK.questions]
    close = [f"{a.topic}/{a.qid} ~ {b.topic}/{b.qid}: {s:.2f}"
             for i, (a, sa) in enumerate(stems) for b, sb in stems[i + 1:]
             if a.topic != b.topic and (s := similarity(sa, sb)) >= NEAR_DUPLICATE]
    assert close == [], "Fast gleiche Fragen in verschiedenen Themen:\n" + "\n".join(close)


def test_every_topic_has_enough_questions():
    sizes = {t.key: len(BANK.in_topic(t.key)) for t in BANK.topics}
    assert len(sizes) == 52 and min(sizes.values()) >= 6, sorted(sizes.items(), key=lambda kv: kv[1])[:5]


# Seed topics of the course that the bank once lacked (issue 16): each needs at least 6 questions about it,
# found by what the question asks (text, options, items, pairs, model answer), not by its explanation.
SEED_TOPICS = {
    "biologisches vs. künstliches Neuron": r"biologisch|dendrit|synapse|nervenzelle",
    "Hugging Face": r"hugging.?face",
    "Multi-Task Learning": r"multi.?task|auxiliary|hilfsaufgabe",
    "POS-Tagging und Dependency Parsing (spaCy, NLTK, Stanza)": r"pos.?tag|dependency|\b(spacy|nltk|stanza)\b",
    "Bagging": r"bagging|bootstrap",
    "Faustregeln für die Zahl der Hidden-Neuronen": r"faustregel|(anzahl|breite)[^.?!]{0,40}hidden",
    "Checkpoints": r"checkpoint",
    "Retrieval Augmented Generation": r"\brag\b|retrieval.?augmented",
}


def _asked(q) -> str:
    return " ".join((q.text, q.sample_answer, *(c.text for c in q.choices), *q.items, *(" ".join(p) for p in q.pairs)))


@pytest.mark.parametrize("name", SEED_TOPICS)
def test_seed_topic_is_covered(name):
    about = [q.qid for q in BANK.questions if re.search(SEED_TOPICS[name], _asked(q), re.IGNORECASE)]
    assert len(about) >= 6, f"{name}: nur {len(about)} Fragen ({', '.join(about)})"


# bank/CORRECTIONS.md names, for every wrong answer of the course's exam-question file, the questions that
# correct it; it must stay complete as questions are added, renamed or removed.
CORRECTIONS = (ROOT / "bank" / "CORRECTIONS.md").read_text(encoding="utf-8")
_QID = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")


def test_corrections_name_existing_questions():
    named = set(_QID.findall(CORRECTIONS))
    assert named and sorted(qid for qid in named if not BANK.has(qid)) == []


def test_corrections_list_every_exam_question():
    named = set(_QID.findall(CORRECTIONS))
    exam = {q.qid for q in BANK.questions if q.qid.startswith("pf-") or "Mögliche Prüfungsfragen" in q.source}
    assert len([q for q in exam if q.startswith("pf-")]) == 18
    assert sorted(exam - named) == []
