"""Questions as Moodle sees them, shared by the GIFT and Moodle XML writers and their re-readers.

One ``Item`` per Moodle question: parameterized questions become ``VARIANTS`` concrete numeric
questions (seeds 0..VARIANTS-1), relative and significant-figure tolerances become absolute ones for
the concrete answer, ordering becomes matching (step ↔ position; Moodle's ordering type is a
plugin), text becomes shortanswer when every accepted pattern is a plain word (matched anywhere,
like ``re.search``, through ``*`` wildcards) and essay with the sample answer as grader info otherwise.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from ._html import inline_html, plain, to_html
from ._model import Bank, Question, Topic
from ._variant import variant
from ._weights import choice_weights

VARIANTS = 5
ROOT_CATEGORY = "$course$/Deep Learning"
_PLAIN_WORDS = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")


@dataclass(frozen=True)
class Answer:
    text: str       # HTML (multichoice) or a Moodle shortanswer pattern
    fraction: str   # one of _weights.ALLOWED
    feedback: str   # HTML


@dataclass(frozen=True)
class Item:
    question: Question
    topic: Topic
    seed: int | None
    name: str
    idnumber: str
    kind: str                    # multichoice | numerical | shortanswer | essay | matching
    text: str                    # HTML
    feedback: str                # general feedback, HTML
    single: bool = True
    answers: tuple[Answer, ...] = ()
    number: float | None = None
    tolerance: float | None = None
    grader_info: str = ""
    pairs: tuple[tuple[str, str], ...] = ()   # (left HTML, right plain text)


def category(topic: Topic, root: str = ROOT_CATEGORY) -> str:
    # a slash inside a category name is written doubled in Moodle paths
    return f"{root}/{topic.title.replace('/', '//')}"


def shortanswer_patterns(question: Question) -> list[str] | None:
    """Moodle patterns for a text question, or None when a regex has no Moodle equivalent."""
    if not all(_PLAIN_WORDS.match(p) for p in question.accepted):
        return None
    return [f"*{p}*" for p in question.accepted]


def items(bank: Bank, variants: int = VARIANTS) -> list[Item]:
    out: list[Item] = []
    for q in bank.questions:
        topic = bank.topic(q.topic)
        if q.type == "parameterized":
            out += [_numerical(q, topic, seed) for seed in range(variants)]
        else:
            out.append(_ITEM[q.type](q, topic))
    return out


def _base(q: Question, topic: Topic, kind: str, text: str | None = None, **fields) -> Item:
    return Item(question=q, topic=topic, seed=None, name=q.qid, idnumber=q.uuid, kind=kind,
                text=to_html(text if text is not None else q.text), feedback=to_html(q.feedback), **fields)


def _choice(q: Question, topic: Topic) -> Item:
    single = q.type == "single"
    weights = choice_weights([c.correct for c in q.choices], single)
    answers = tuple(Answer(inline_html(c.text), w, to_html(c.feedback)) for c, w in zip(q.choices, weights))
    return _base(q, topic, "multichoice", single=single, answers=answers)


def _with_unit(text: str, unit: str | None) -> str:
    return f"{text.rstrip()}\n\n(Antwort in {unit})" if unit else text


def _numerical(q: Question, topic: Topic, seed: int | None = None) -> Item:
    v = variant(q, seed or 0)
    item = _base(q, topic, "numerical", text=_with_unit(v.text, q.unit), number=v.answer,
                 tolerance=q.tolerance.absolute(v.answer))
    if seed is None:
        return item
    return replace(item, seed=seed, name=f"{q.qid} (Variante {seed + 1})", idnumber=f"{q.uuid}-v{seed}",
                   feedback=to_html(v.feedback))


def _text(q: Question, topic: Topic) -> Item:
    patterns = shortanswer_patterns(q)
    if patterns is not None:
        return _base(q, topic, "shortanswer", answers=tuple(Answer(p, "100", "") for p in patterns))
    patterns = ", ".join(f"<code>{html.escape(p, quote=False)}</code>" for p in q.accepted)
    info = (to_html(f"Musterlösung: {q.sample_answer}")
            + f"\n<p>Automatisch akzeptiert, wenn einer dieser regulären Ausdrücke passt: {patterns}</p>")
    return _base(q, topic, "essay", grader_info=info)


def _ordering(q: Question, topic: Topic) -> Item:
    text = f"{q.text.rstrip()}\n\nOrdne jedem Schritt seine Position zu (Position 1 = zuerst)."
    pairs = tuple((inline_html(step), f"Position {i}") for i, step in enumerate(q.items, 1))
    return _base(q, topic, "matching", text=text, pairs=pairs)


def _matching(q: Question, topic: Topic) -> Item:
    return _base(q, topic, "matching", pairs=tuple((inline_html(left), plain(right)) for left, right in q.pairs))


_ITEM = {"single": _choice, "multiple": _choice, "numeric": _numerical, "text": _text, "ordering": _ordering,
         "matching": _matching}
