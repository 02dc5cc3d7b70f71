"""Item statistics as rich tables (German)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._numbers import format_de
from .stats import SourceStats


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else format_de(round(value, digits))


def show(console: Console, sources: list[SourceStats]) -> None:
    if not sources:
        console.print("Keine Antworten gefunden (weder Drill-Datenbank noch --responses).")
        return
    for source in sources:
        alpha = f", Cronbachs α = {_num(source.alpha)}" if source.kind == "exam" else ""
        console.rule(Text(f"{source.name}: {source.students} Teilnehmende, {source.responses} Antworten{alpha}"))
        table = Table(caption="p: Lösungsquote (mittlere Punktzahl 0–1); r: korrigierte Trennschärfe "
                              "(Korrelation Item – Restpunktzahl)")
        for column, justify in (("Frage", "left"), ("Thema", "left"), ("Typ", "left"), ("n", "right"),
                                ("p", "right"), ("r", "right"), ("Hinweise", "left")):
            table.add_column(column, justify=justify, overflow="fold")
        for item in source.items:
            flags = ", ".join(item.flags)
            style = "red" if "negative Trennschärfe" in item.flags else ("yellow" if item.flags else None)
            table.add_row(Text(item.qid), Text(item.topic), item.type, str(item.n), _num(item.facility),
                          _num(item.discrimination), flags, style=style)
        console.print(table)
        if source.options:
            options = Table(title="Distraktoren (Anteil der Antworten, die die Option wählen)")
            for column in ("Frage", "Nr.", "Option", "richtig", "Anteil", "Hinweis"):
                options.add_column(column)
            for o in source.options:
                text = o.text if len(o.text) <= 60 else o.text[:57] + "…"
                share = f"{format_de(round(o.share * 100))} %"
                options.add_row(Text(o.qid), str(o.option), Text(text), "ja" if o.correct else "", share, o.note)
            console.print(options)
        if source.unknown_qids:
            console.print("Nicht in der Bank: " + ", ".join(source.unknown_qids), style="yellow", markup=False)
