"""``graders mutate``: mutation analysis of an assignment's hidden tests, for instructors.

Mutants of every solution cell (``_mutants``) are graded on the same warm, sandboxed engine as
students' work (``_mutation``). The result: a terminal table per test group, every surviving mutant
as a diff with the test cells that should have caught it, ``reports/<aid>/mutation.html`` and
``mutation.json``; with ``record=True`` also ``content/<aid>/mutation.yaml``, which the content
tests hold the assignment to.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._mutation import DEFAULT_PER_CELL, THRESHOLD, Analysis, Group, analyse, write_record
from ._runner import Engine
from .course import Course
from .grading import Settings

__all__ = ["THRESHOLD", "Written", "mutate", "survivors_text", "table"]


@dataclass(frozen=True)
class Written:
    analysis: Analysis
    html: Path
    json: Path
    record: Path | None


def mutate(course: Course, aid: str, *, notebook: str | None = None, cell: str | None = None,
           per_cell: int | None = DEFAULT_PER_CELL, record: bool = False, engine: Engine | None = None,
           settings: Settings = Settings(), on_run: Callable[[str], None] = lambda item: None,
           planned=None) -> Written:
    analysis = analyse(course, aid, notebook=notebook, cell=cell, per_cell=per_cell, engine=engine,
                       settings=settings, on_run=on_run, planned=planned)
    out = course.reports(aid)
    out.mkdir(parents=True, exist_ok=True)
    page, data = out / "mutation.html", out / "mutation.json"
    page.write_text(_html(analysis), encoding="utf-8")
    data.write_text(json.dumps(_json(analysis), indent=1, ensure_ascii=False), encoding="utf-8")
    complete = notebook is None and cell is None
    return Written(analysis, page, data, write_record(course, analysis) if record and complete else None)


def _score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.0%}"


def table(analysis: Analysis):
    from rich.table import Table

    grid = Table(title=f"Mutationsanalyse {analysis.aid}: {analysis.runs} Mutanten in {analysis.wall_s:.0f} s, "
                       f"Score {_score_text(analysis.score)}")
    for column in ("Notebook", "Lösungszelle", "Tests", "Mutanten", "getötet", "äquivalent", "überlebt", "Score"):
        grid.add_column(column, justify="right" if column in ("Mutanten", "getötet", "äquivalent", "überlebt",
                                                              "Score") else "left")
    for group in analysis.groups:
        score = _score_text(group.score)
        style = "red" if group.score is not None and group.score < THRESHOLD else None
        sampled = f"{len(group.outcomes)}/{group.generated}" if len(group.outcomes) < group.generated else \
            str(len(group.outcomes))
        grid.add_row(group.notebook, group.cell, ", ".join(group.tests), sampled, str(group.count("killed")),
                     str(group.count("equivalent")), str(group.count("survived")), score, style=style)
    return grid


def survivors_text(analysis: Analysis) -> str:
    parts = []
    for group in analysis.groups:
        parts += [f"nicht gebaut: {o.mutant.id} ({o.mutant.description}): {o.how}"
                  for o in group.outcomes if o.verdict == "not-built"]
        for outcome in group.survivors:
            mutant = outcome.mutant
            parts.append(f"überlebt: {mutant.id} ({mutant.description}) – sollte erkannt werden von "
                         f"{', '.join(group.tests) or '(keinem Test)'}\n{mutant.diff()}")
    return "\n".join(parts)


def _json(analysis: Analysis) -> dict:
    return {"aid": analysis.aid, "score": analysis.score, "per_cell": analysis.per_cell,
            "wall_s": round(analysis.wall_s, 1), "runs": analysis.runs,
            "groups": [{"notebook": g.notebook, "cell": g.cell, "test_cells": list(g.tests), "generated": g.generated,
                        "score": g.score,
                        "mutants": [{"id": o.mutant.id, "operator": o.mutant.operator,
                                     "description": o.mutant.description, "verdict": o.verdict,
                                     "killed_by": list(o.killed_by), "how": o.how,
                                     **({"diff": o.mutant.diff()} if o.verdict == "survived" else {})}
                                    for o in g.outcomes]} for g in analysis.groups]}


def _group_html(group: Group) -> str:
    survivors = "".join(
        f"<details open><summary><code>{html.escape(o.mutant.id)}</code> – {html.escape(o.mutant.description)}"
        f"</summary><pre>{html.escape(o.mutant.diff())}</pre></details>" for o in group.survivors)
    def listed(verdict: str) -> str:
        return "".join(f"<li><code>{html.escape(o.mutant.id)}</code>: {html.escape(o.how)}</li>"
                       for o in group.outcomes if o.verdict == verdict)

    equivalents, not_built = listed("equivalent"), listed("not-built")
    return (f"<h2>{html.escape(group.notebook)} / {html.escape(group.cell)} → {html.escape(', '.join(group.tests))}"
            f" ({_score_text(group.score)})</h2>" + survivors
            + (f"<p>Äquivalent (begründet):</p><ul>{equivalents}</ul>" if equivalents else "")
            + (f"<p>Nicht gebaut (nicht gezählt):</p><ul>{not_built}</ul>" if not_built else ""))


def _html(analysis: Analysis) -> str:
    rows = "".join(
        f"<tr class='{'weak' if g.score is not None and g.score < THRESHOLD else ''}'><td>{html.escape(g.notebook)}</td>"
        f"<td>{html.escape(g.cell)}</td><td>{html.escape(', '.join(g.tests))}</td><td>{len(g.outcomes)}</td>"
        f"<td>{g.count('killed')}</td><td>{g.count('equivalent')}</td><td>{g.count('survived')}</td>"
        f"<td>{_score_text(g.score)}</td></tr>" for g in analysis.groups)
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:.2em .5em}tr.weak{background:#fdd}"
             "pre{background:#f6f6f6;padding:.5em;overflow:auto}")
    return (f"<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><title>Mutationsanalyse "
            f"{html.escape(analysis.aid)}</title><style>{style}</style></head><body>"
            f"<h1>Mutationsanalyse {html.escape(analysis.aid)}</h1>"
            f"<p>{analysis.runs} Mutanten in {analysis.wall_s:.0f} s; Score {_score_text(analysis.score)}; "
            f"Ziel je Testgruppe: {THRESHOLD:.0%} der nicht äquivalenten Mutanten getötet.</p>"
            "<table><tr><th>Notebook</th><th>Lösungszelle</th><th>Tests</th><th>Mutanten</th><th>getötet</th>"
            f"<th>äquivalent</th><th>überlebt</th><th>Score</th></tr>{rows}</table>"
            + "".join(_group_html(g) for g in analysis.groups) + "</body></html>")
