"""A student's local check: ``check("test_...")`` runs the visible part of one test cell of the notebook
the kernel runs (``check()``: of every test cell) and says in German what the grader will say about it.

A question is a test cell's ``grade_id``. The notebook is ``notebook=``, else the one JupyterLab
(``__session__``) or VS Code (``__vsc_ipynb_file__``) names, else the notebooks in the kernel's working
folder, which is the notebook's folder. Only code outside the hidden-test markers runs (released
notebooks have none anyway) and no reference value is computed: visible asserts carry their own.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import _markup as markup
from ._test_messages import failure_message

@dataclass(frozen=True)
class Question:
    notebook: Path
    grade_id: str
    points: float
    visible: str  # the test cell's code without its hidden region


@dataclass(frozen=True)
class Verdict:
    question: Question
    status: str  # passed, failed or error, as in grades.json
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def line(self) -> str:
        points = self.question.points
        head = f"{self.question.grade_id} ({points:g} {'Punkt' if points == 1 else 'Punkte'})"
        if self.passed:
            return f"✔ {head}: sichtbare Tests bestanden."
        return f"✘ {head}: {self.message}"


def kernel_notebook(namespace: dict, notebook: str | os.PathLike | None = None) -> Path | None:
    """The notebook the kernel runs, where it is known."""
    if notebook is not None:
        path = Path(notebook).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"Das Notebook {notebook} gibt es nicht (gesucht in {Path.cwd()}).")
        return path.resolve()
    sessions = (namespace.get("__session__"), os.environ.get("JPY_SESSION_NAME"), namespace.get("__vsc_ipynb_file__"))
    for session in sessions:
        if isinstance(session, str) and session.endswith(".ipynb") and Path(session).is_file():
            return Path(session).resolve()
    return None


def questions(notebook: Path) -> list[Question]:
    """The notebook's test cells, in order (read as JSON: nbformat would cost the kernel ~2 s)."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    out = []
    for cell in cells:
        if markup.role(cell) == "test":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            out.append(Question(notebook, markup.grade_id(cell), markup.points(cell), markup.split_hidden(source)[0]))
    return out


def _candidates(namespace: dict, notebook) -> list[Path]:
    known = kernel_notebook(namespace, notebook)
    if known is not None:
        return [known]
    return sorted(Path.cwd().glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)


def find(name: str, namespace: dict, notebook=None) -> Question | None:
    """The question ``name`` names, or ``None`` when it is no test cell's grade_id."""
    for path in _candidates(namespace, notebook):
        for question in questions(path):
            if question.grade_id == name:
                return question
    return None


def all_questions(namespace: dict, notebook=None) -> list[Question]:
    """Every question of the kernel's notebook (the newest notebook in the folder with test cells)."""
    for path in _candidates(namespace, notebook):
        found = questions(path)
        if found:
            return found
    return []


def unknown(name: str, namespace: dict, notebook=None) -> str:
    """Why ``check(name)`` names neither a question nor a variable (German)."""
    found = all_questions(namespace, notebook)
    if not found:
        return (f"`{name}` ist keine Variable, und ich finde kein Notebook mit Testzellen. Gib das Notebook an: "
                f'check("{name}", notebook="mein_notebook.ipynb").')
    ids = ", ".join(q.grade_id for q in found)
    return (f"`{name}` ist weder eine Testzelle von {found[0].notebook.name} noch eine Variable. "
            f"Testzellen: {ids}. check() prüft alle.")


def run(question: Question, namespace: dict) -> Verdict:
    """Run the visible test code in the student's namespace, as running the cell would."""
    filename = f"<Test {question.grade_id}>"
    try:
        exec(compile(question.visible, filename, "exec"), namespace)
    except Exception as exc:  # the student's code may raise anything; KeyboardInterrupt still stops
        status, message = failure_message(type(exc).__name__, str(exc))
        return Verdict(question, status, message + _where(exc, filename, question.visible))
    return Verdict(question, "passed")


def _where(exc: BaseException, filename: str, code: str) -> str:
    """The visible test line that failed: public code, and it tells the student which assert it was."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if not frames:
        return ""
    lines = code.splitlines()
    lineno = frames[-1].lineno or 0
    if not 0 < lineno <= len(lines):
        return ""
    return f"\n    Zeile {lineno} des Tests: {lines[lineno - 1].strip()}"


def report(chosen: list[Question], namespace: dict, out=None) -> list[Verdict]:
    """Run the chosen questions in order and print one line each (and a total for several)."""
    out = out or sys.stdout
    if not chosen:
        print('Keine Testzellen gefunden. Gib das Notebook an: check(notebook="mein_notebook.ipynb").', file=out)
        return []
    verdicts = []
    for question in chosen:
        verdicts.append(run(question, namespace))
        print(verdicts[-1].line(), file=out)
    if len(chosen) > 1:
        passed = sum(v.passed for v in verdicts)
        print(f"{passed} von {len(verdicts)} Testzellen: sichtbare Tests bestanden.", file=out)
    print("Beim Bewerten prüfen verdeckte Tests zusätzlich andere Eingaben.", file=out)
    return verdicts
