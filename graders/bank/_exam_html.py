"""HTML pages of an exam: the paper a student gets, their answer key, and all keys in one file.

Self-contained pages (inline CSS); formulas are MathML (``graders._math``), so they render offline, in the
exam room too. Nothing time-dependent is written, so the same exam gives the same bytes.
"""

from __future__ import annotations

import html

from .._math import math_in_html
from ._grade import letter
from ._html import inline_html, to_html
from ._variant import Variant

_CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; max-width: 52em; margin: 2em auto; line-height: 1.45; color: #111; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.meta { color: #555; font-size: .9em; } .student { border: 1px solid #999; padding: .6em 1em; margin: 1em 0; }
.question { page-break-inside: avoid; border-top: 1px solid #ccc; padding-top: .4em; }
.hint { color: #555; font-style: italic; }
.blank { display: inline-block; min-width: 12em; border-bottom: 1px solid #000; }
.lines { border: 1px solid #999; height: 7em; margin: .5em 0; }
.key { background: #f3f7f0; border-left: 4px solid #5a5; padding: .4em .8em; }
table.match td { vertical-align: top; padding-right: 2em; } ul.options { list-style: none; padding-left: .5em; }
.pagebreak { page-break-after: always; } code, pre { background: #f4f4f4; }
@media print { .noprint { display: none; } body { margin: 0; } }
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n{math_in_html(body)}\n</body>\n</html>\n")


def _who(student_id: str, name: str) -> str:
    label = f"{html.escape(name)} ({html.escape(student_id)})" if name else html.escape(student_id)
    return f"<p class='student'><b>Teilnehmer/in:</b> {label}<br><b>Unterschrift:</b> ____________________</p>"


def _heading(number: int, v: Variant, topic_title: str) -> str:
    return (f"<h2>Aufgabe {number} <span class='meta'>· {html.escape(topic_title)} · 1 Punkt</span></h2>")


def _question_body(v: Variant) -> str:
    q = v.question
    parts = [to_html(v.text)]
    if q.is_choice:
        hint = "Genau eine Antwort ist richtig." if q.type == "single" else "Mehrere Antworten können richtig sein; " \
            "falsch angekreuzte Antworten geben Abzug (nicht unter 0 Punkte)."
        parts.append(f"<p class='hint'>{hint}</p><ul class='options'>" + "".join(
            f"<li>☐ {letter(i).upper()}) {inline_html(c.text)}</li>" for i, c in enumerate(v.options)) + "</ul>")
    elif q.is_numeric:
        unit = f" {html.escape(q.unit)}" if q.unit else ""
        parts.append(f"<p>Antwort: <span class='blank'>&nbsp;</span>{unit}</p>")
    elif q.type == "text":
        parts.append("<p class='hint'>Antworte kurz (ein Begriff oder ein bis zwei Sätze).</p>"
                     "<div class='lines'></div>")
    elif q.type == "ordering":
        parts.append("<p class='hint'>Bring die Schritte in die richtige Reihenfolge.</p><ol>" + "".join(
            f"<li>{inline_html(s)}</li>" for s in v.shown_items) + "</ol>"
            "<p>Reihenfolge (Nummern): " + " → ".join(["____"] * len(v.shown_items)) + "</p>")
    else:
        lefts = "".join(f"<li>{inline_html(s)} → ____</li>" for s in v.lefts)
        rights = "".join(f"<li>{letter(i).upper()}) {inline_html(s)}</li>" for i, s in enumerate(v.rights))
        parts.append("<p class='hint'>Trag zu jedem Begriff den passenden Buchstaben ein.</p>"
                     f"<table class='match'><tr><td><ol>{lefts}</ol></td><td><ul class='options'>{rights}</ul></td>"
                     "</tr></table>")
    return "\n".join(parts)


def solution_text(v: Variant) -> str:
    """The answer in the terms this student's paper uses (letters, shown numbers), as HTML."""
    q = v.question
    if q.type == "single":
        i = next(k for k, c in enumerate(v.options) if c.correct)
        return f"{letter(i).upper()}) {inline_html(v.options[i].text)}"
    if q.type == "multiple":
        return ", ".join(f"{letter(i).upper()}" for i, c in enumerate(v.options) if c.correct)
    if q.is_numeric:
        unit = f" {html.escape(q.unit)}" if q.unit else ""
        return f"{q.precision.format(v.answer)}{unit} ({html.escape(q.tolerance.describe())})"
    if q.type == "text":
        patterns = ", ".join(f"<code>{html.escape(p)}</code>" for p in q.accepted)
        return f"{inline_html(q.sample_answer)}<br><small>akzeptierte Muster: {patterns}</small>"
    if q.type == "ordering":
        return " → ".join(str(v.order.index(k) + 1) for k in range(len(q.items)))
    return ", ".join(f"{i + 1} → {letter(v.rights.index(right)).upper()}"
                     for i, (_, right) in enumerate(q.pairs))


def _key_entry(number: int, v: Variant, topic_title: str) -> str:
    q = v.question
    mapping = ""
    if q.is_choice:
        # the responses CSV names choices by their position in question.yaml
        mapping = "<br><small>Position in der Bank: " + ", ".join(
            f"{letter(i).upper()}={v.order[i] + 1}" for i in range(len(v.order))) + "</small>"
    return (f"<div class='question'>{_heading(number, v, topic_title)}{to_html(v.text)}"
            f"<div class='key'><b>Lösung:</b> {solution_text(v)}{mapping}"
            f"<br><small>Frage <code>{html.escape(q.qid)}</code>, Variante {v.seed}</small>"
            f"{to_html(v.feedback)}</div></div>")


def exam_page(title: str, student_id: str, name: str, variants: list[Variant], topic_titles: dict[str, str]) -> str:
    body = [f"<h1>{html.escape(title)}</h1>", _who(student_id, name),
            f"<p class='meta'>{len(variants)} Aufgaben, je 1 Punkt. Zahlen mit Dezimalkomma oder -punkt.</p>"]
    for number, v in enumerate(variants, 1):
        body.append(f"<div class='question'>{_heading(number, v, topic_titles[v.question.topic])}"
                    f"{_question_body(v)}</div>")
    return _page(f"{title} – {student_id}", "\n".join(body))


def key_section(title: str, student_id: str, name: str, variants: list[Variant], topic_titles: dict[str, str]) -> str:
    who = f"{html.escape(name)} ({html.escape(student_id)})" if name else html.escape(student_id)
    entries = "\n".join(_key_entry(n, v, topic_titles[v.question.topic]) for n, v in enumerate(variants, 1))
    return f"<section id='{html.escape(student_id, quote=True)}'><h1>Lösung: {html.escape(title)}</h1>" \
           f"<p class='student'><b>Teilnehmer/in:</b> {who}</p>{entries}</section>"


def key_page(title: str, student_id: str, name: str, variants: list[Variant], topic_titles: dict[str, str]) -> str:
    return _page(f"Lösung {title} – {student_id}", key_section(title, student_id, name, variants, topic_titles))


def combined_key(title: str, sections: list[tuple[str, str, str]]) -> str:
    """``sections``: (student id, name, section HTML) in roster order."""
    toc = "<ul class='noprint'>" + "".join(
        f"<li><a href='#{html.escape(sid, quote=True)}'>{html.escape(name or sid)}</a></li>"
        for sid, name, _ in sections) + "</ul>"
    body = [f"<h1>Alle Lösungen: {html.escape(title)}</h1>", toc]
    body += [f"{section}<div class='pagebreak'></div>" for _, _, section in sections]
    return _page(f"Alle Lösungen {title}", "\n".join(body))
