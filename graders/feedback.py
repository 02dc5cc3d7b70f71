"""``graders feedback``: one HTML page per graded notebook, for the student, and a personal drill.

Built from the graded notebook, which never holds hidden test code, and from grades.json, whose
messages never hold reference values. Each test cell is followed by its result in plain German.
The page names the topics where points were lost and links the personal drill written beside it
(``bank.takeaway``: an Anki deck and a notebook of bank questions on those topics). Formulas are
MathML (``_math``): the page needs nothing from the network.
"""

from __future__ import annotations

import copy
import html
from datetime import datetime, timezone, tzinfo
from pathlib import Path

import nbformat

from . import _markup as markup, grades as records, late
from ._math import restore_math, stash_math
from ._topics import course_topics
from .bank import load_bank, takeaway
from .bank.takeaway import TakeAway
from .course import Course, CourseError
from .grades import CellGrade, Grades, NotebookGrade, Status

__all__ = ["feedback", "feedback_notebook", "render_html"]

def _result_cell(result: CellGrade) -> nbformat.NotebookNode:
    colour = {Status.PASSED: "#1b7f3b", Status.GRADED: "#1f5fa8", Status.PENDING: "#6b6b6b"}.get(
        result.status, "#b3261e")
    message = f"<br>{html.escape(result.message)}" if result.message else ""
    return nbformat.v4.new_markdown_cell(
        f'<div class="graders-result" style="border-left:4px solid {colour};padding:4px 10px">'
        f"<b>{html.escape(result.grade_id)}: {result.score:g} / {result.max_score:g} Punkte – "
        f"{result.status.word}</b>{message}</div>")


def _summary_cell(grades: Grades, entry: NotebookGrade, zone: tzinfo, drill: TakeAway | None,
                  titles: dict[str, str]) -> nbformat.NotebookNode:
    rows = "".join(
        f"<tr><td>{html.escape(c.grade_id)}</td><td>{c.score:g} / {c.max_score:g}</td>"
        f"<td>{c.status.word}</td><td>{html.escape(c.message)}</td></tr>"
        for c in entry.cells)
    return nbformat.v4.new_markdown_cell(
        f"<h2>Rückmeldung zu {html.escape(grades.assignment)} / {html.escape(entry.name)}</h2>"
        f"<p><b>Punkte: {entry.score:g} von {entry.max_score:g}</b> "
        f"({entry.status.word})</p>{_lateness(grades, entry, zone)}"
        f"<table><tr><th>Aufgabe</th><th>Punkte</th><th>Status</th><th>Hinweis</th></tr>{rows}</table>"
        f"{_practice(grades, drill, titles)}")


def _practice(grades: Grades, drill: TakeAway | None, titles: dict[str, str]) -> str:
    """The topics where this submission lost points, and the links to the personal drill."""
    losses = takeaway.weak_topics([grades])
    if not losses:
        return "<h3>Was du üben kannst</h3><p>Du hast in dieser Abgabe keine Punkte verloren.</p>"
    rows = "".join(f"<tr><td>{html.escape(titles.get(loss.topic, loss.topic))}</td>"
                   f"<td>{loss.lost:g} von {loss.max_score:g}</td></tr>" for loss in losses)
    text = (f"<h3>Was du üben kannst</h3><p>Bei diesen Themen hast du Punkte verloren (ganze Abgabe):</p>"
            f"<table class='graders-topics'><tr><th>Thema</th><th>Punkte verloren</th></tr>{rows}</table>")
    if drill is None or drill.notebook is None:
        return text + "<p>Zu diesen Themen gibt es noch keine Übungsfragen in der Fragenbank des Kurses.</p>"
    count = len(drill.variants)
    return text + (
        f"<p>Deine persönliche Übung: {count} Fragen aus der Fragenbank des Kurses zu diesen Themen.</p><ul>"
        f"<li><a href='{html.escape(drill.notebook.name, quote=True)}' download>Übungs-Notebook</a> "
        "(öffne es in Jupyter: Es prüft deine Antworten selbst, die Lösungen stehen eingeklappt "
        "unter den Fragen; es braucht nur Python)</li>"
        f"<li><a href='{html.escape(drill.deck.name, quote=True)}' download>Anki-Stapel</a> "
        "(in Anki über Datei → Importieren; dieselben Karten wie im Stapel der ganzen Fragenbank, "
        "ein zweiter Import legt keine doppelt an)</li></ul>")


def _lateness(grades: Grades, entry: NotebookGrade, zone: tzinfo) -> str:
    """When it was handed in; if late, by how much, the penalty and the score after it."""
    record = grades.submission
    if record is None or not record.timestamp:
        return ""
    when = datetime.fromisoformat(record.timestamp).astimezone(zone)
    text = f"Abgegeben am {when:%d.%m.%Y um %H:%M} Uhr"
    allowance = late.allowance(record, zone)
    if allowance:
        text = f"{html.escape(allowance)} {text}"
    if not record.late:
        return f"<p>{text}.</p>"
    due = datetime.fromisoformat(record.duedate).astimezone(zone)
    penalty = entry.late_penalty or 0.0
    return (f"<p><b>{text}, {late.describe_delay(record.seconds_late)} nach der Frist "
            f"({due:%d.%m.%Y %H:%M} Uhr).</b> Abzug für verspätete Abgabe: {penalty:g} Punkte; "
            f"Punkte nach Abzug: {entry.score - penalty:g} von {entry.max_score:g} "
            f"(gesamt {grades.score:g} von {grades.max_score:g}).</p>")


def feedback_notebook(grades: Grades, entry: NotebookGrade, graded: nbformat.NotebookNode | None,
                      zone: tzinfo = timezone.utc, drill: TakeAway | None = None,
                      titles: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The page as a notebook; ``titles``: German topic titles by key (the key where one is missing)."""
    results = {c.grade_id: c for c in entry.cells}
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(graded.metadata) if graded else {})
    nb.cells.append(_summary_cell(grades, entry, zone, drill, titles or {}))
    for cell in graded.cells if graded else []:
        nb.cells.append(cell)
        # a manual cell's box carries the grader's comment from formgrader
        if markup.role(cell) in ("test", "manual") and markup.grade_id(cell) in results:
            nb.cells.append(_result_cell(results[markup.grade_id(cell)]))
    return nb


def render_html(nb: nbformat.NotebookNode) -> str:
    from nbconvert import HTMLExporter

    # formulas leave the Markdown before nbconvert renders it and come back as MathML
    nb, formulas = copy.deepcopy(nb), {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, found = stash_math(cell.source)
            formulas.update(found)
    # self-contained: no MathJax, require.js or mermaid from a CDN (feedback is read offline too)
    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="", mermaid_js_url="")
    body, _ = exporter.from_notebook_node(nb)
    return restore_math(body, formulas)


def feedback(course: Course, aid: str, students: list[str] | None = None) -> list[Path]:
    from ._progress import progress

    course.check_assignment(aid)
    graded_students = course.graded_students(aid)
    chosen = students or graded_students
    unknown = sorted(set(chosen) - set(graded_students))
    if unknown:
        raise CourseError(f"Noch nicht bewertet ({aid}): {', '.join(unknown)} – zuerst graders autograde {aid}.")
    written, zone = [], late.local_zone(late.config(course))
    titles = {t.key: t.title for t in course_topics(course)}
    # a course without bank/topics.yaml has no bank: pages without a drill
    bank = load_bank(course.bank) if course.topics_file.is_file() else None
    with progress(len(chosen), f"feedback {aid}") as step:
        for student in chosen:
            folder = course.autograded(student, aid)
            grades = records.load(course, aid, student)
            out = course.feedback(student, aid)
            out.mkdir(parents=True, exist_ok=True)
            drill = None if bank is None else takeaway.write(
                bank, takeaway.weak_topics([grades]), student, out, f"uebung-{aid}", aid)
            for entry in grades.notebooks:
                graded_path = folder / entry.name
                graded = markup.read_notebook(graded_path) if graded_path.is_file() else None
                page = out / (entry.stem + ".html")
                page.write_text(render_html(feedback_notebook(grades, entry, graded, zone, drill, titles)),
                                encoding="utf-8")
                written.append(page)
            step(student)
    return written
