"""``graders drill`` in the terminal: rich display, rich.prompt input, immediate German feedback.

Works with piped stdin (one answer per line); end of input or Ctrl+C stops, and every answer given
so far is already saved.
"""

from __future__ import annotations

import time
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.markdown import Markdown
from rich.panel import Panel
from rich.prompt import Prompt as RichPrompt

from ._grade import AmbiguousAnswer, AnswerError, letter
from ._html import math_as_code
from ._numbers import format_de
from .drill import Drill, Prompt, Result

HINTS = {
    "single": "Deine Antwort (ein Buchstabe)",
    "multiple": "Deine Antworten (Buchstaben, z. B. a c; keine: -)",
    "numeric": "Deine Antwort (Zahl)",
    "parameterized": "Deine Antwort (Zahl)",
    "text": "Deine Antwort",
    "ordering": "Reihenfolge (Nummern, z. B. 3 1 2)",
    "matching": "Zuordnung (je Zeile ein Buchstabe, z. B. b a c)",
}


class _Lines:
    """A stream whose end raises EOFError (rich's prompt would read '' forever)."""

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def readline(self) -> str:
        line = self._stream.readline()
        if line == "":
            raise EOFError
        return line


def run(drill: Drill, console: Console | None = None, stream: IO[str] | None = None) -> int:
    console = console or Console()
    lines = _Lines(stream) if stream is not None else None
    if drill.total == 0:
        console.print("Nichts zu üben: keine fälligen oder neuen Fragen in dieser Auswahl.")
        return 0
    _header(console, drill)
    scores: list[float] = []
    try:
        while (prompt := drill.next()) is not None:
            _show(console, prompt, drill.bank.topic(prompt.question.topic).title)
            started = time.monotonic()
            while True:
                raw = RichPrompt.ask(f"[bold]{HINTS[prompt.question.type]}[/]", console=console, stream=lines)
                try:
                    result = drill.answer(prompt, raw, time.monotonic() - started)
                    break
                except AmbiguousAnswer as exc:
                    result = drill.answer(prompt, _which(console, exc, lines), time.monotonic() - started)
                    break
                except AnswerError as exc:
                    console.print(f"[yellow]{exc}[/] Bitte noch einmal.")
            _result(console, result)
            scores.append(result.score)
    except (KeyboardInterrupt, EOFError) as exc:
        console.print()
        console.print(f"[yellow]Unterbrochen[/]: {drill.answered} von {drill.total} Antworten sind gespeichert. "
                      f"Derselbe Aufruf setzt die Sitzung fort.")
        return 130 if isinstance(exc, KeyboardInterrupt) else 0
    mean = sum(scores) / len(scores) if scores else 0.0
    console.print(Panel(f"Sitzung beendet: {drill.total} Fragen, in dieser Runde {len(scores)} beantwortet, "
                        f"durchschnittlich {format_de(round(mean * 100, 1))} %.", style="bold"))
    return 0


def _which(console: Console, exc: AmbiguousAnswer, lines) -> float:
    """Ask back which reading of ``5.400`` was meant."""
    grouped, decimal = exc.readings
    console.print(f"[yellow]{escape(str(exc).split('?')[0])}?[/]")
    choice = RichPrompt.ask(f"1 = {format_de(grouped)}, 2 = {format_de(decimal)}", choices=["1", "2"],
                            console=console, stream=lines)
    return grouped if choice == "1" else decimal


def _header(console: Console, drill: Drill) -> None:
    state = (f"setzt fort, {drill.answered} von {drill.total} beantwortet" if drill.resumed
             else f"{drill.total} Fragen")
    console.print(Panel(f"Drill für [bold]{escape(drill.student)}[/] ({state}). Strg+C beendet; jede Antwort wird "
                        "sofort gespeichert.", style="cyan"))
    weak = drill.weak_topics
    if weak and not drill.resumed:
        listed = ", ".join(f"{drill.bank.topic(w.topic).title} ({format_de(round(w.ratio * 100))} % verloren)"
                           for w in weak[:5])
        console.print(f"Zuerst Themen, in denen Übungspunkte fehlen: {listed}", markup=False)


def _show(console: Console, prompt: Prompt, topic_title: str) -> None:
    v = prompt.variant
    q = v.question
    title = f"Frage {prompt.position + 1}/{prompt.total} · {topic_title} · {prompt.reason_text}"
    console.rule(escape(title))
    console.print(Markdown(math_as_code(v.text)))
    if q.is_choice:
        for i, choice in enumerate(v.options):
            console.print(f"  {letter(i)}) {choice.text}", markup=False)
    elif q.type == "ordering":
        for i, item in enumerate(v.shown_items, 1):
            console.print(f"  {i}. {item}", markup=False)
    elif q.type == "matching":
        for i, left in enumerate(v.lefts, 1):
            console.print(f"  {i}. {left}", markup=False)
        console.print("  zuzuordnen:")
        for i, right in enumerate(v.rights):
            console.print(f"  {letter(i)}) {right}", markup=False)
    elif q.is_numeric and q.unit:
        console.print(f"  (Antwort in {q.unit})", markup=False)


def _result(console: Console, result: Result) -> None:
    if result.score >= 1.0:
        head, style = "✔ Richtig", "green"
    elif result.score > 0:
        head, style = f"◐ Teilweise richtig ({format_de(round(result.score * 100))} %)", "yellow"
    else:
        head, style = "✘ Falsch", "red"
    when = result.due.astimezone().strftime("%d.%m.%Y %H:%M")
    console.print(Panel(Markdown(math_as_code(result.feedback)), title=head, border_style=style,
                        subtitle=f"nächste Wiederholung: {when}"))
