"""``graders report``: the class report of an assignment, and the report across the course.

Everything comes from grades.json and autograde's history (``Course.history``). Each report is one
self-contained HTML page (plots as inline SVG, no script, nothing loaded from elsewhere) beside CSV
files for Moodle's grade import:

- ``reports/<aid>/report.html``, ``moodle.csv`` (student, points), ``cells.csv`` (student, points per cell)
- ``reports/course/report.html``, ``moodle.csv`` (student, points per assignment)
"""

from __future__ import annotations

import csv
import html
import math
import os
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import _report_plots as plots, grades as records
from ._topics import course_topics
from .course import Course, CourseError
from .grades import Grades, Status, topic_points

__all__ = ["course_report", "report"]

_STEPS_PER_ASSIGNMENT = 7  # six plots, then the files
_STEPS_COURSE = 4  # three plots, then the files
_TOP_FAILURES = 12
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?!\w)")


@dataclass(frozen=True)
class Written:
    html: Path
    csv: tuple[Path, ...]


@dataclass(frozen=True)
class Column:
    """One graded cell: ``key`` is ``<notebook stem>/<grade_id>``, unique across notebooks."""
    key: str
    label: str
    max_score: float


@dataclass(frozen=True)
class FailureGroup:
    pattern: str  # the message with every number replaced by "…"
    count: int
    cells: tuple[str, ...]
    students: tuple[str, ...]
    example: str


# -- data ------------------------------------------------------------------------------------------

def load_grades(course: Course, aid: str) -> list[Grades]:
    """Every grades.json of ``aid``, sorted by student; a German error when there is none."""
    course.check_assignment(aid)
    if not course.graded_students(aid):
        raise CourseError(f"Für {aid} gibt es noch keine bewerteten Abgaben – zuerst graders autograde {aid}.")
    return records.load_all(course, aid)


def columns(all_grades: list[Grades]) -> list[Column]:
    """The graded cells in notebook order (union over submissions: source/ may change between runs)."""
    found: dict[str, float] = {}
    for grades in all_grades:
        for key, cell in grades.cells().items():
            found.setdefault(key, cell.max_score)
    single = len({key.split("/")[0] for key in found}) <= 1
    return [Column(key, key.split("/", 1)[1] if single else key, max_score) for key, max_score in found.items()]


def topic_order(course: Course) -> dict[str, str]:
    """Topic key -> German title, in course order (bank/topics.yaml)."""
    return {t.key: t.title for t in course_topics(course)}


def topic_mastery(all_grades: list[Grades], order: dict[str, str]) -> tuple[list[str], list[str], list[list[float]]]:
    """(students, topics, share of the points reached): every topic of every graded cell, a cell with
    two topics counting for both; NaN where a student has no cell of that topic."""
    students = sorted({g.student for g in all_grades})
    per_student = {s: topic_points([g for g in all_grades if g.student == s]) for s in students}
    rank = {key: i for i, key in enumerate(order)}
    topics = sorted({t for points in per_student.values() for t in points}, key=lambda t: (rank.get(t, len(rank)), t))
    values = [[_share(per_student[s][t].reached, per_student[s][t].max_score) if t in per_student[s] else math.nan
               for t in topics] for s in students]
    return students, topics, values


def _share(score: float, max_score: float) -> float:
    return score / max_score if max_score > 0 else math.nan


def failure_groups(all_grades: list[Grades], cols: list[Column]) -> list[FailureGroup]:
    """Messages of cells that were not passed, grouped by their text with the numbers left out
    (the same mistake gives the same sentence with other differences), most frequent first."""
    label = {c.key: c.label for c in cols}
    groups: dict[str, dict] = {}
    for grades in all_grades:
        for key, cell in grades.cells().items():
            if cell.status is Status.PASSED:
                continue
            text = cell.message or cell.status.word
            group = groups.setdefault(_NUMBER.sub("…", text), {"count": 0, "cells": [], "students": [], "example": text})
            group["count"] += 1
            for field, value in (("cells", label[key]), ("students", grades.student)):
                if value not in group[field]:
                    group[field].append(value)
    ranked = sorted(groups.items(), key=lambda item: (-item[1]["count"], item[0]))
    return [FailureGroup(pattern, g["count"], tuple(g["cells"]), tuple(g["students"]), g["example"])
            for pattern, g in ranked]


def history(course: Course, aid: str, all_grades: list[Grades]) -> dict[str, list[tuple[datetime, float]]]:
    """Student -> (time, score) of each grading run, oldest first, for the students graded now.
    Submissions graded before the history existed count once, at their grades.json's time."""
    runs: dict[str, list[tuple[datetime, float]]] = {g.student: [] for g in all_grades}
    for run in records.history(course, aid):
        if run.student in runs:
            runs[run.student].append((run.graded_at, run.score))
    for grades in all_grades:
        if not runs[grades.student]:
            mtime = records.path(course, aid, grades.student).stat().st_mtime
            runs[grades.student].append((datetime.fromtimestamp(mtime, timezone.utc), grades.score))
    return {student: sorted(r) for student, r in runs.items()}


# -- files -----------------------------------------------------------------------------------------

def _number(value: float) -> str:
    return f"{value:.10g}"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    # UTF-8 without BOM, comma, a header row: what Moodle's "CSV-Datei importieren" reads as it is
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- HTML ------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
     padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
figure.plot{margin:1rem 0;overflow-x:auto}figure.plot svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f6}
.meta{color:#555}.bad{color:#b3261e}.good{color:#1b7f3b}
"""


def _figure(plot_id: str, svg: str, caption: str) -> str:
    return (f'<figure class="plot" id="plot-{plot_id}">{svg}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(header: list[str], rows: list[list[str]], *, table_id: str = "", numeric: set[int] = frozenset()) -> str:
    """Header and cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _heatmap_table(table_id: str, rows: list[str], columns_: list[str], titles: dict[str, str],
                   values: list[list[float]], row_kind: str, column_kind: str) -> str:
    """The heat map's numbers as a table (readable without the picture, and checkable by tests)."""
    head = "".join(f'<th title="{html.escape(titles.get(c, c))}">{html.escape(c)}</th>' for c in columns_)
    body = "".join(
        f"<tr><th>{html.escape(r)}</th>" + "".join(
            f'<td class="num" data-{row_kind}="{html.escape(r)}" data-{column_kind}="{html.escape(c)}">'
            f'{"–" if math.isnan(v) else f"{100 * v:.0f}"}</td>' for c, v in zip(columns_, row)) + "</tr>"
        for r, row in zip(rows, values))
    return (f'<details><summary>Werte als Tabelle (% der erreichbaren Punkte)</summary><table id="{table_id}">'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></details>")


def _page(title: str, meta: str, sections: list[tuple[str, str]]) -> str:
    body = "".join(f"<section><h2>{html.escape(heading)}</h2>{content}</section>" for heading, content in sections)
    return (f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f'<body><h1>{html.escape(title)}</h1><p class="meta">{meta}</p>{body}</body></html>\n')


def _created() -> str:
    return datetime.now().astimezone().strftime("%d.%m.%Y %H:%M")


# -- the assignment report -------------------------------------------------------------------------

def _assignment_report(course: Course, aid: str, all_grades: list[Grades], step) -> Written:
    out = course.reports(aid)
    out.mkdir(parents=True, exist_ok=True)
    cols = columns(all_grades)
    students = [g.student for g in all_grades]
    scores = [g.score for g in all_grades]
    max_score = max(g.max_score for g in all_grades)
    cell_maps = [g.cells() for g in all_grades]
    order = topic_order(course)
    sections = []

    ungraded = sorted(set(course.students(aid)) - set(students))
    summary = _table(["Kennzahl", "Wert"], [
        ["Bewertete Abgaben", str(len(all_grades))],
        ["Noch nicht bewertet", html.escape(", ".join(ungraded)) or "–"],
        ["Mittelwert", f"{statistics.fmean(scores):.2f} von {max_score:g} Punkten"],
        ["Median", f"{statistics.median(scores):g}"],
        ["Minimum / Maximum", f"{min(scores):g} / {max(scores):g}"],
        ["Volle Punktzahl", str(sum(s >= max_score for s in scores))],
    ], table_id="summary")
    sections.append(("Überblick", summary))

    sections.append(("Punkteverteilung", _figure("score-distribution", plots.score_distribution(scores, max_score),
                                                 "Gesamtpunkte pro Abgabe; gestrichelt: Mittelwert.")))
    step("Punkteverteilung")

    rates = [sum(c.key in m and m[c.key].status is Status.PASSED for m in cell_maps) / len(cell_maps) for c in cols]
    rate_rows = [[html.escape(c.label), f"{c.max_score:g}", f"{100 * r:.0f}\u00a0%"] for c, r in zip(cols, rates)]
    sections.append(("Bestehensquote pro bewerteter Zelle", _figure(
        "cell-pass-rate", plots.pass_rates([c.label for c in cols], rates),
        "Anteil der Abgaben, die die Zelle bestanden haben (grün ab 80 %, rot unter 50 %).")
        + _table(["Zelle", "Punkte", "bestanden"], rate_rows, table_id="cell-pass-rate-table", numeric={1, 2})))
    step("Bestehensquote")

    groups = failure_groups(all_grades, cols)
    top = groups[:_TOP_FAILURES]
    failure_rows = [[str(g.count), html.escape(", ".join(g.cells)), html.escape(g.pattern), html.escape(g.example)]
                    for g in top]
    sections.append(("Häufigste Fehlermeldungen", _figure(
        "failure-messages", plots.failure_groups([g.pattern for g in top], [g.count for g in top]),
        f"Meldungen nicht bestandener Zellen, gruppiert nach dem Text ohne Zahlen (die {len(top)} häufigsten "
        f"von {len(groups)} Gruppen).")
        + _table(["Anzahl", "Zellen", "Meldung (Zahlen durch … ersetzt)", "Beispiel"], failure_rows,
                 table_id="failure-table", numeric={0})))
    step("Fehlermeldungen")

    heat_students, topics, values = topic_mastery(all_grades, order)
    sections.append(("Themenbeherrschung", _figure(
        "topic-heatmap", plots.heatmap(heat_students, topics, values, colorbar="% der Punkte im Thema"),
        "Anteil der erreichbaren Punkte pro Student und Thema (aus den Themen der bewerteten Zellen).")
        + _heatmap_table("topic-heatmap-table", heat_students, topics, order, values, "student", "topic")))
    step("Themen")

    wall = [float(g.timing.get("wall_s", 0.0)) for g in all_grades]
    code = [float(g.timing.get("code_s", 0.0)) for g in all_grades]
    sections.append(("Bewertungszeit pro Abgabe", _figure(
        "grading-time", plots.grading_time(students, wall, code),
        f"Wanduhrzeit der Bewertung pro Abgabe (Summe {sum(wall):.1f} s, Median {statistics.median(wall):.2f} s); "
        "blau: Laufzeit des Codes der Abgabe.")))
    step("Bewertungszeit")

    runs = history(course, aid, all_grades)
    changed = {s: r for s, r in runs.items() if len({score for _, score in r}) > 1}
    history_rows = [[html.escape(s), str(len(r)), " → ".join(f"{score:g}" for _, score in r),
                     r[-1][0].strftime("%d.%m.%Y %H:%M")] for s, r in sorted(changed.items())]
    history_table = (_table(["Student", "Läufe", "Punkte je Lauf", "Letzter Lauf (UTC)"], history_rows,
                            table_id="regrade-table", numeric={1})
                     if history_rows else "<p>Keine Abgabe hat beim erneuten Bewerten andere Punkte bekommen.</p>")
    regraded = sum(len(r) > 1 for r in runs.values())
    sections.append(("Verlauf der Bewertungen", _figure(
        "regrade-history", plots.regrade_history({s: [score for _, score in r] for s, r in runs.items()}, max_score),
        f"Punkte pro Bewertungslauf ({sum(map(len, runs.values()))} Läufe, {regraded} Abgaben mehrfach bewertet); "
        "farbig und in der Tabelle: Abgaben, deren Punkte sich dabei geändert haben.") + history_table))
    step("Verlauf")

    moodle = _write_csv(out / "moodle.csv", ["student", aid], [[g.student, _number(g.score)] for g in all_grades])
    per_cell = _write_csv(out / "cells.csv", ["student", *[c.label for c in cols], "gesamt"],
                          [[g.student, *[_number(m[c.key].score) if c.key in m else "" for c in cols],
                            _number(g.score)] for g, m in zip(all_grades, cell_maps)])
    page = out / "report.html"
    student_rows = []
    for grades, cells in zip(all_grades, cell_maps):
        lost = ", ".join(html.escape(c.label) + ("" if cells[c.key].status is Status.FAILED else
                                                 f" ({cells[c.key].status.word})")
                         for c in cols if c.key in cells and cells[c.key].status is not Status.PASSED)
        links = " ".join(f'<a href="{html.escape(_relative(p, out))}">{html.escape(p.stem)}</a>'
                         for p in sorted(course.feedback(grades.student, aid).glob("*.html")))
        student_rows.append([html.escape(grades.student), f"{grades.score:g}",
                             f"{100 * _share(grades.score, grades.max_score):.0f}\u00a0%",
                             grades.status_word, lost or "–", f"{grades.timing.get('wall_s', 0.0):.2f} s",
                             links or "–"])
    sections.append(("Ergebnisse pro Student", _table(
        ["Student", "Punkte", "%", "Status", "Nicht bestanden", "Bewertungszeit", "Feedback"], student_rows,
        table_id="students", numeric={1, 2, 5})))
    sections.append(("Dateien", '<ul><li><a href="moodle.csv">moodle.csv</a>: Punkte pro Student für den '
                     "Notenimport in Moodle</li><li><a href=\"cells.csv\">cells.csv</a>: Punkte pro Student und "
                     "bewerteter Zelle</li></ul>"))
    meta = (f"{len(all_grades)} bewertete Abgaben, {len(cols)} bewertete Zellen, "
            f"maximal {max_score:g} Punkte. Erstellt am {_created()}.")
    page.write_text(_page(f"Klassenbericht {aid}", html.escape(meta), sections), encoding="utf-8")
    step("Dateien")
    return Written(page, (moodle, per_cell))


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def report(course: Course, aid: str) -> Written:
    """The class report of one assignment, under ``reports/<aid>/``."""
    from ._progress import progress

    all_grades = load_grades(course, aid)
    with progress(_STEPS_PER_ASSIGNMENT, f"report {aid}") as step:
        return _assignment_report(course, aid, all_grades, step)


# -- the course report -----------------------------------------------------------------------------

def course_report(course: Course) -> list[Written]:
    """The report of every graded assignment, then the report across them under ``reports/course/``."""
    from ._progress import progress

    by_aid = {aid: load_grades(course, aid) for aid in course.assignments() if course.graded_students(aid)}
    if not by_aid:
        raise CourseError("Noch keine bewerteten Abgaben im Kurs – zuerst graders autograde <aufgabe>.")
    with progress(_STEPS_PER_ASSIGNMENT * len(by_aid) + _STEPS_COURSE, "report") as step:
        written = [_assignment_report(course, aid, grades, lambda item, aid=aid: step(f"{aid}: {item}"))
                   for aid, grades in by_aid.items()]
        written.append(_course_page(course, by_aid, lambda item: step(f"Kurs: {item}")))
    return written


def _course_page(course: Course, by_aid: dict[str, list[Grades]], step) -> Written:
    out = course.course_report
    out.mkdir(parents=True, exist_ok=True)
    aids = list(by_aid)
    scores = {(g.student, aid): g for aid, grades in by_aid.items() for g in grades}
    students = sorted({student for student, _ in scores})
    order = topic_order(course)
    sections = []

    shares = [[_share(g.score, g.max_score) for g in by_aid[aid]] for aid in aids]
    overview_rows = [[f'<a href="../{html.escape(aid)}/report.html">{html.escape(aid)}</a>', str(len(by_aid[aid])),
                      f"{100 * statistics.fmean(s):.0f}\u00a0%", f"{100 * statistics.median(s):.0f}\u00a0%",
                      str(sum(v >= 1 for v in s))] for aid, s in zip(aids, shares)]
    sections.append(("Aufgaben", _figure("assignment-scores", plots.score_boxes(aids, shares),
                                         "Verteilung der Punkte pro Aufgabe in % des Maximums; Dreieck: Mittelwert.")
                     + _table(["Aufgabe", "Bewertet", "Mittelwert", "Median", "Volle Punktzahl"], overview_rows,
                              table_id="assignments", numeric={1, 2, 3, 4})))
    step("Aufgaben")

    values = [[_share(scores[s, a].score, scores[s, a].max_score) if (s, a) in scores else math.nan
               for a in aids] for s in students]
    sections.append(("Studierende × Aufgaben", _figure(
        "student-assignment-heatmap", plots.heatmap(students, aids, values, colorbar="% der Punkte"),
        "Punkte pro Student und Aufgabe in % des Maximums; grau: nicht bewertet.")
        + _heatmap_table("student-assignment-table", students, aids, {}, values, "student", "assignment")))
    step("Studierende × Aufgaben")

    heat_students, topics, topic_values = topic_mastery([g for grades in by_aid.values() for g in grades], order)
    sections.append(("Themenbeherrschung im ganzen Kurs", _figure(
        "topic-heatmap", plots.heatmap(heat_students, topics, topic_values, colorbar="% der Punkte im Thema"),
        "Anteil der erreichbaren Punkte pro Student und Thema über alle bewerteten Aufgaben; grau: kein Thema "
        "einer bewerteten Abgabe.")
        + _heatmap_table("topic-heatmap-table", heat_students, topics, order, topic_values, "student", "topic")))
    step("Themen")

    moodle = _write_csv(out / "moodle.csv", ["student", *aids],
                        [[s, *[_number(scores[s, a].score) if (s, a) in scores else "" for a in aids]]
                         for s in students])
    sections.append(("Dateien", '<ul><li><a href="moodle.csv">moodle.csv</a>: Punkte pro Student und Aufgabe '
                     "für den Notenimport in Moodle (leer: nicht bewertet)</li></ul>"))
    page = out / "report.html"
    meta = f"{len(aids)} {'Aufgabe' if len(aids) == 1 else 'Aufgaben'} mit Bewertungen, {len(students)} Studierende. Erstellt am {_created()}."
    page.write_text(_page("Kursbericht", html.escape(meta), sections), encoding="utf-8")
    step("Dateien")
    return Written(page, (moodle,))
