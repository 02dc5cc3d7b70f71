"""The drill in JupyterLab (drills/drill.ipynb): ipywidgets on top of the same engine as the terminal.

    from graders.bank.widget import drill_widget
    drill_widget("s01-korrekt", count=10)
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from ._grade import AnswerError, letter
from ._html import inline_html, to_html
from ._numbers import format_de
from .drill import Drill, Prompt


class DrillWidget:
    """One drill session as a widget; ``.view`` is what the notebook displays."""

    def __init__(self, drill: Drill):
        self.drill = drill
        self.status = widgets.HTML()
        self.question = widgets.HTMLMath()
        self.inputs = widgets.VBox()
        self.submit = widgets.Button(description="Antworten", button_style="primary")
        self.next_button = widgets.Button(description="Nächste Frage")
        self.feedback = widgets.HTMLMath()
        self.submit.on_click(lambda _: self._answer())
        self.next_button.on_click(lambda _: self._show_next())
        self.view = widgets.VBox([self.status, self.question, self.inputs,
                                  widgets.HBox([self.submit, self.next_button]), self.feedback])
        self._prompt: Prompt | None = None
        self._read = lambda: None
        self._started = time.monotonic()
        self._show_next()

    def _show_next(self) -> None:
        self.feedback.value = ""
        self._prompt = self.drill.next()
        self.next_button.disabled = True
        if self._prompt is None:
            self.status.value = f"<b>Sitzung beendet</b>: {self.drill.answered} von {self.drill.total} beantwortet."
            self.question.value, self.inputs.children, self.submit.disabled = "", (), True
            return
        p, v = self._prompt, self._prompt.variant
        topic = self.drill.bank.topic(p.question.topic).title
        self.status.value = (f"<b>Frage {p.position + 1}/{p.total}</b> · {html.escape(topic)} · "
                             f"{html.escape(p.reason_text)}")
        self.question.value = to_html(v.text)
        self.inputs.children, self._read = _inputs(p)
        self.submit.disabled = False
        self._started = time.monotonic()

    def _answer(self) -> None:
        try:
            result = self.drill.answer(self._prompt, self._read(), time.monotonic() - self._started)
        except AnswerError as exc:
            self.feedback.value = f"<p style='color:#a60'>{html.escape(str(exc))}</p>"
            return
        color = "green" if result.score >= 1 else ("#a60" if result.score > 0 else "#b00")
        head = "Richtig" if result.score >= 1 else (
            f"Teilweise richtig ({format_de(round(result.score * 100))} %)" if result.score > 0 else "Falsch")
        due = result.due.astimezone().strftime("%d.%m.%Y %H:%M")
        self.feedback.value = (f"<h4 style='color:{color}'>{head}</h4>{to_html(result.feedback)}"
                               f"<p><small>Nächste Wiederholung: {due}</small></p>")
        self.submit.disabled, self.next_button.disabled = True, False


def _inputs(prompt: Prompt):
    """The input widgets for a question and a function that reads them as an engine answer."""
    v = prompt.variant
    q = v.question
    if q.type == "single":
        choice = widgets.RadioButtons(options=[(f"{letter(i)}) {c.text}", i) for i, c in enumerate(v.options)],
                                      value=None, layout=widgets.Layout(width="auto"))

        def read():
            if choice.value is None:
                raise AnswerError("Bitte eine Antwort wählen.")
            return v.order[choice.value]
        return [choice], read
    if q.type == "multiple":
        boxes = [widgets.Checkbox(description=f"{letter(i)}) {c.text}", indent=False,
                                  layout=widgets.Layout(width="auto")) for i, c in enumerate(v.options)]
        return boxes, lambda: [v.order[i] for i, box in enumerate(boxes) if box.value]
    if q.type in ("numeric", "parameterized", "text"):
        unit = f" (in {q.unit})" if q.unit else ""
        field = widgets.Text(placeholder="Zahl, z. B. 0,25" + unit if q.is_numeric else "Deine Antwort")
        return [field], lambda: field.value
    if q.type == "ordering":
        options = [(f"{i + 1}. {item}", i) for i, item in enumerate(v.shown_items)]
        shown = widgets.HTMLMath("<ol>" + "".join(f"<li>{inline_html(s)}</li>" for s in v.shown_items) + "</ol>")
        slots = [widgets.Dropdown(options=options, value=None, description=f"Position {k + 1}",
                                  layout=widgets.Layout(width="auto")) for k in range(len(options))]

        def read():
            if any(s.value is None for s in slots):
                raise AnswerError("Bitte jede Position belegen.")
            return [v.order[s.value] for s in slots]
        return [shown, *slots], read
    rights = list(v.rights)
    slots = [widgets.Dropdown(options=[(r, r) for r in dict.fromkeys(rights)], value=None, description=left,
                              style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
             for left in v.lefts]

    def read():
        if any(s.value is None for s in slots):
            raise AnswerError("Bitte jede Zeile zuordnen.")
        return [s.value for s in slots]
    return slots, read


def drill_widget(student: str, topics: list[str] | None = None, count: int = 10, course=None):
    """The widget for one student's drill in this course (found from the notebook's folder)."""
    from ..course import Course

    drill = Drill.for_course(course or Course.find(), student, topics, count)
    return DrillWidget(drill).view
