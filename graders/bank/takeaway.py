"""A student's personal drill to take away from their feedback page: the bank's questions on the topics
where they lost points, as an Anki package and as a German notebook that checks answers offline.

- Weak topics are the drill's (``_weakness.topic_losses``: lost / max points per topic, weakest first).
- Per weak topic at most ``PER_TOPIC`` questions, in an order fixed per student; exam-only questions never.
- One variant per question, fixed per student and among the full export's variants: the Anki notes are
  the full export's notes (same guids, decks and text), so importing both never duplicates a card.
- The notebook needs only Python: its first cell is ``_selfcheck`` with the answer key (base64), each
  question has an answer cell calling ``pruefe`` and a collapsed solution with the explanation.

Nothing of an assignment goes in: the questions are the bank's own.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import _anki, _selfcheck
from ._grade import letter
from ._items import VARIANTS
from ._model import Bank, Question
from ._numbers import format_de
from ._variant import Variant, variant
from ._weakness import TopicLoss, topic_losses
from ..grades import Grades

PER_TOPIC = 5
_CHECKER_HEADER = ("# Die Prüffunktion pruefe(nummer, antwort) für dieses Notebook: Führe diese Zelle zuerst aus.\n"
                   "# Die Lösungen stehen unten kodiert, damit du sie nicht aus Versehen liest.\n\n")
_KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
           "language_info": {"name": "python"}}


@dataclass(frozen=True)
class TakeAway:
    losses: tuple[TopicLoss, ...]   # weakest first
    variants: tuple[Variant, ...]
    deck: Path | None               # None: no question on these topics (old files are removed)
    notebook: Path | None


def weak_topics(grades: list[Grades]) -> list[TopicLoss]:
    """Topics with lost points in these grades, weakest first (the drill's order)."""
    return topic_losses(grades)


def _stable(student: str, qid: str) -> int:
    return int.from_bytes(hashlib.sha256(f"takeaway/{student}/{qid}".encode("utf-8")).digest()[:6], "big")


def choose(bank: Bank, losses: list[TopicLoss], student: str, per_topic: int = PER_TOPIC) -> list[Variant]:
    """The questions of the drill, weakest topic first, each in the variant this student gets."""
    practice = bank.for_practice()
    known = {t.key for t in practice.topics}
    chosen = []
    for loss in losses:
        if loss.topic in known:
            questions = sorted(practice.in_topic(loss.topic), key=lambda q: _stable(student, q.qid))[:per_topic]
            chosen += [variant(q, _stable(student, q.qid) % VARIANTS) for q in questions]
    return chosen


def write(bank: Bank, losses: list[TopicLoss], student: str, folder: Path, name: str, title: str) -> TakeAway:
    """``folder/<name>.apkg`` and ``folder/<name>.ipynb``; none (and old ones removed) without questions."""
    variants = choose(bank, losses, student)
    deck, notebook = Path(folder) / f"{name}.apkg", Path(folder) / f"{name}.ipynb"
    if not variants:
        deck.unlink(missing_ok=True)
        notebook.unlink(missing_ok=True)
        return TakeAway(tuple(losses), (), None, None)
    deck.parent.mkdir(parents=True, exist_ok=True)
    _anki.write_subset(bank, deck, [(v.question, v.seed if v.type == "parameterized" else None)
                                    for v in variants])
    nbformat.write(drill_notebook(bank, losses, variants, title), notebook)
    return TakeAway(tuple(losses), tuple(variants), deck, notebook)


def drill_notebook(bank: Bank, losses: list[TopicLoss], variants: list[Variant],
                   title: str) -> nbformat.NotebookNode:
    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(metadata=_KERNEL)
    titles = {t.key: t.title for t in bank.topics}
    rows = "".join(f"| {titles.get(loss.topic, loss.topic)} | {format_de(loss.lost)} von "
                   f"{format_de(loss.max_score)} |\n" for loss in losses)
    nb.cells.append(new_md(
        f"# Deine persönliche Übung: {title}\n\n"
        f"Bei diesen Themen hast du Punkte verloren:\n\n| Thema | Punkte verloren |\n| --- | --- |\n{rows}\n"
        f"Hier sind {len(variants)} Fragen aus der Fragenbank des Kurses zu diesen Themen. So übst du:\n\n"
        "1. Führe zuerst die Code-Zelle direkt unter diesem Text aus: Sie enthält die Prüffunktion.\n"
        "2. Trag deine Antwort in die Code-Zelle unter jeder Frage ein und führe die Zelle aus: "
        "Sie sagt dir, ob deine Antwort stimmt.\n"
        "3. Die Lösung mit Erklärung steht eingeklappt unter jeder Frage – versuch es erst selbst.\n\n"
        "Das Notebook braucht nur Python: kein Internet, keine weiteren Pakete."))
    key = {n: _key(v) for n, v in enumerate(variants, 1)}
    encoded = base64.b64encode(json.dumps(key, ensure_ascii=False).encode("utf-8")).decode("ascii")
    checker = new_code(f"{_CHECKER_HEADER}{_checker_code()}\n_SCHLUESSEL = _lies(\"{encoded}\")\n")
    checker.metadata["jupyter"] = {"source_hidden": True}  # JupyterLab shows it collapsed
    nb.cells.append(checker)
    for n, v in enumerate(variants, 1):
        heading = f"## Frage {n} von {len(variants)} · {titles[v.question.topic]}"
        nb.cells.append(new_md(f"---\n{heading}\n\n{v.text.strip()}\n\n{_shown(v)}"))
        hint, empty = _answer_hint(v)
        nb.cells.append(new_code(f"# Deine Antwort: {hint}\nantwort = {empty}\npruefe({n}, antwort)"))
        nb.cells.append(new_md(f"<details>\n<summary>Lösung und Erklärung</summary>\n\n{_solution(v)}\n\n"
                               f"**Erklärung:** {v.feedback.strip()}\n\n</details>"))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"uebung-{i}"  # stable ids: the same drill gives the same file
    return nb


def _checker_code() -> str:
    """``_selfcheck`` without its docstring (which speaks to developers, in English)."""
    source = Path(_selfcheck.__file__).read_text(encoding="utf-8")
    first = ast.parse(source).body[1].lineno  # body[0] is the docstring
    return "".join(source.splitlines(keepends=True)[first - 1:])


def _shown(v: Variant) -> str:
    """What the student chooses from, labelled as the answer cell expects."""
    q = v.question
    if q.is_choice:
        hint = "Genau eine Antwort ist richtig." if q.type == "single" else "Mehrere Antworten können richtig sein."
        return f"*{hint}*\n\n" + "\n".join(f"- **{letter(i).upper()})** {c.text.strip()}"
                                             for i, c in enumerate(v.options))
    if q.type == "ordering":
        return "*Die Schritte, gemischt:*\n\n" + "\n".join(
            f"{i}. {step.strip()}" for i, step in enumerate(v.shown_items, 1))
    if q.type == "matching":
        lefts = "\n".join(f"{i}. {left.strip()}" for i, left in enumerate(v.lefts, 1))
        rights = "\n".join(f"- **{letter(i).upper()})** {right.strip()}" for i, right in enumerate(v.rights))
        return f"*Die Begriffe:*\n\n{lefts}\n\n*Die Zuordnungen:*\n\n{rights}"
    return ""


def _answer_hint(v: Variant) -> tuple[str, str]:
    """The comment above the answer and the empty answer to replace."""
    q = v.question
    if q.type == "single":
        return 'der Buchstabe der richtigen Antwort, z. B. "b"', '""'
    if q.type == "multiple":
        return 'die Buchstaben aller richtigen Antworten, z. B. "a, c"', '""'
    if q.is_numeric:
        unit = f" (in {q.unit})" if q.unit else ""
        return f'eine Zahl{unit}, z. B. 0.25 oder "0,25"', "None"
    if q.type == "text":
        return "ein Begriff oder ein kurzer Satz in Anführungszeichen", '""'
    if q.type == "ordering":
        example = ", ".join(map(str, range(len(q.items), 0, -1)))
        return f'die Nummern der Schritte in der richtigen Reihenfolge, z. B. "{example}"', '""'
    return f'zu den Begriffen 1 bis {len(q.pairs)} je ein Buchstabe, z. B. ' \
           f'"{", ".join(letter(i) for i in range(len(q.pairs)))}"', '""'


def _key(v: Variant) -> dict:
    """What ``_selfcheck`` compares with, in the labels the student sees."""
    q = v.question
    if q.is_choice:
        right = [letter(i) for i, c in enumerate(v.options) if c.correct]
        return {"typ": "einfach" if q.type == "single" else "mehrfach", "richtig": right}
    if q.is_numeric:
        # Tolerance.accepts, as one bound: the relative slack absorbs binary rounding
        bound = q.tolerance.absolute(v.answer) * (1 + 1e-9) + 1e-12 * max(1.0, abs(v.answer))
        return {"typ": "zahl", "wert": float(v.answer), "toleranz": bound}
    if q.type == "text":
        return {"typ": "text", "muster": list(q.accepted)}
    if q.type == "ordering":
        return {"typ": "reihenfolge", "richtig": [str(v.order.index(k) + 1) for k in range(len(q.items))]}
    return {"typ": "zuordnung", "richtig": [letter(v.rights.index(right)) for _, right in q.pairs]}


def _solution(v: Variant) -> str:
    q = v.question
    if q.is_choice:
        return "\n".join(f"- {'✔' if c.correct else '✘'} **{letter(i).upper()})** {c.text.strip()} – "
                         f"{c.feedback.strip()}" for i, c in enumerate(v.options))
    if q.is_numeric:
        unit = f" {q.unit}" if q.unit else ""
        return f"**Lösung:** {format_de(v.answer)}{unit} ({q.tolerance.describe()})"
    if q.type == "text":
        return f"**Musterlösung:** {q.sample_answer.strip()}"
    if q.type == "ordering":
        numbers = [v.order.index(k) + 1 for k in range(len(q.items))]
        return f"**Lösung:** {', '.join(map(str, numbers))}\n\n" + "\n".join(
            f"- ({number}) {item.strip()}" for number, item in zip(numbers, q.items))
    return "**Richtige Zuordnung:**\n\n" + "\n".join(
        f"- {i}. {left.strip()} → **{letter(v.rights.index(right)).upper()})** {right.strip()}"
        for i, (left, right) in enumerate(q.pairs, 1))
