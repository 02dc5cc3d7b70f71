"""A student's local check: ``check("test_...")`` runs the visible part of one test cell of the notebook
the kernel runs (``check()``: of every test cell) and says in German what the grader will say about it.

A question is a test cell's ``grade_id``. The notebook is ``notebook=``, else the one the front end
names: JupyterLab, Notebook 7 and JupyterHub (``__session__``, ``JPY_SESSION_NAME``), VS Code
(``__vsc_ipynb_file__``), Colab (its ``get_ipynb`` request: the notebook lives in Google Drive, not on
the kernel's disk), classic Notebook (the running server's sessions, by kernel id); else the newest
notebook with test cells in the kernel's working folder, which is the notebook's folder. Only code
outside the hidden-test markers runs (released notebooks have none anyway) and no reference value is
computed: visible asserts carry their own. Part of the student kit: standard library only.
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

NAME_IT = 'Gib das Notebook an: check(notebook="mein_notebook.ipynb") (der Dateiname, wie er im Dateibrowser steht).'


@dataclass(frozen=True)
class Question:
    notebook: str  # the notebook's file name, for messages
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


@dataclass(frozen=True)
class Notebook:
    name: str
    cells: list


def _read(path: Path) -> Notebook:
    """Read as JSON: nbformat would cost the kernel ~2 s (and is not in the kit)."""
    return Notebook(path.name, json.loads(path.read_text(encoding="utf-8")).get("cells", []))


def _existing(path: str) -> Path | None:
    """A front end's notebook path: absolute, relative to the kernel's folder, or relative to the server's
    root (then the kernel runs in the notebook's folder, so its name is enough)."""
    for candidate in (Path(path).expanduser(), Path.cwd() / Path(path).name):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()
    return None


def _colab() -> Notebook | None:
    if "google.colab" not in sys.modules:
        return None
    try:
        from google.colab import _message  # only in Colab's kernel

        found = _message.blocking_request("get_ipynb", timeout_sec=10) or {}
        return Notebook("Colab-Notebook", found["ipynb"]["cells"])
    except Exception:  # noqa: BLE001 - an older or changed Colab: fall back to naming it
        return None


def _server_session() -> Path | None:
    """The classic Notebook server names no notebook to its kernels: ask it which session has our kernel."""
    if "ipykernel" not in sys.modules:
        return None
    try:
        from urllib.request import urlopen

        from ipykernel import get_connection_file
        from jupyter_core.paths import jupyter_runtime_dir

        kernel_id = Path(get_connection_file()).stem.removeprefix("kernel-")
        for info_file in Path(jupyter_runtime_dir()).glob("*server-*.json"):
            server = json.loads(info_file.read_text(encoding="utf-8"))
            url = f"{server['url'].rstrip('/')}/api/sessions?token={server.get('token', '')}"
            with urlopen(url, timeout=2) as answer:  # noqa: S310 - the local server's own address
                for session in json.load(answer):
                    if session.get("kernel", {}).get("id") == kernel_id:
                        root = Path(server.get("root_dir") or server.get("notebook_dir") or ".")
                        return _existing(str(root / session["notebook"]["path"] if "notebook" in session
                                             else root / session["path"]))
    except Exception:  # noqa: BLE001 - no server, no token, another layout: fall back to the folder
        return None
    return None


def kernel_notebook(namespace: dict, notebook: str | os.PathLike | None = None) -> Notebook | None:
    """The notebook the kernel runs, where it is known."""
    if notebook is not None:
        path = Path(notebook).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"Das Notebook {notebook} gibt es nicht (gesucht in {Path.cwd()}).")
        return _read(path)
    for session in (namespace.get("__session__"), os.environ.get("JPY_SESSION_NAME"),
                    namespace.get("__vsc_ipynb_file__")):
        if isinstance(session, str) and (path := _existing(session)) is not None:
            return _read(path)
    found = _colab()
    if found is not None:
        return found
    path = _server_session()
    return _read(path) if path is not None else None


def questions(notebook: Notebook) -> list[Question]:
    """The notebook's test cells, in order."""
    out = []
    for cell in notebook.cells:
        if markup.role(cell) == "test":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            out.append(Question(notebook.name, markup.grade_id(cell), markup.points(cell),
                                markup.split_hidden(source)[0]))
    return out


def _candidates(namespace: dict, notebook) -> list[Notebook]:
    known = kernel_notebook(namespace, notebook)
    if known is not None:
        return [known]
    paths = sorted(Path.cwd().glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [_read(p) for p in paths]


def check(name: str | None, namespace: dict, notebook=None, out=None) -> list[Verdict]:
    """``check()`` / ``check("test_...")`` in a student's kernel: one line per test cell; a name that is no
    test cell gets the list of the notebook's test cells, printed (a traceback would bury it)."""
    if name is None:
        return report(all_questions(namespace, notebook), namespace, out)
    question = find(name, namespace, notebook)
    if question is None:
        print(unknown(name, namespace, notebook), file=out or sys.stdout)
        return []
    return report([question], namespace, out)


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
        return f"`{name}` ist keine Variable, und ich finde kein Notebook mit Testzellen. {NAME_IT}"
    ids = ", ".join(q.grade_id for q in found)
    return (f"`{name}` ist weder eine Testzelle von {found[0].notebook} noch eine Variable. "
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
        print(f"Keine Testzellen gefunden. {NAME_IT}", file=out)
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
