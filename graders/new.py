"""``graders new <aid>``: a German template assignment that validates as created.

One task of each kind docs/authoring.md describes: a function checked on seeded inputs, a function
that takes a random generator (checked through a helper without arguments), a variable, and a small
PyTorch model checked by a threshold and its recipe (``check_structure``), with a locked helper cell
that still works in the blank release. The author replaces the tasks and keeps the patterns.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ._topics import course_topics
from .course import Course, CourseError

__all__ = ["new"]

_AID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# (role, grade_id, source, points, topics); role: markdown, locked, solution, test
_CELLS = [
    ("markdown", "intro", """# Übung: {title}

Vorlage von `graders new`. Ersetze die Aufgaben durch deine eigenen und behalte die Muster:
Funktion mit festen Zufallseingaben, Funktion mit Zufallsgenerator, Variable, Modell mit Schwelle und Bauplan.

Prüfe deine Lösung jederzeit mit `check()` (alle sichtbaren Tests) oder `check("test_standardisiere")`
(eine Testzelle).""", 0, []),
    ("locked", "setup", """import numpy as np
import torch
from torch import nn
from graders import assert_close, check, check_function, check_structure, rand, randn, randint, array

torch.set_num_threads(1)  # neben anderen Bibliotheken mit einem Thread am schnellsten""", 0, []),
    ("markdown", "md_standardisiere", """## Aufgabe 1: Standardisieren (2 Punkte)

Schreibe `standardisiere(x)`: jede **Spalte** von `x` (Form `(m, n)`) auf Mittelwert 0 und
Standardabweichung 1 bringen.""", 0, []),
    ("solution", "standardisiere", """def standardisiere(x):
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    return (x - x.mean(axis=0)) / x.std(axis=0)
    ### END SOLUTION""", 0, []),
    ("test", "test_standardisiere", """z = standardisiere(np.array([[1.0, 10.0], [3.0, 30.0]]))
assert_close(z, [[-1.0, -1.0], [1.0, 1.0]], what="standardisiere(...)")
### BEGIN HIDDEN TESTS
check_function("standardisiere", inputs=[randn(6, 3, seed=1, scale=2.0)])
check_function("standardisiere", inputs=[rand(5, 4, seed=2, low=-3.0, high=7.0)])
### END HIDDEN TESTS""", 2, ["tensoren"]),
    ("markdown", "md_dropout", """## Aufgabe 2: Dropout mit Zufallsgenerator (2 Punkte)

Schreibe `dropout(x, p, rng)`: setze jedes Element von `x` mit Wahrscheinlichkeit `p` auf 0 und teile die
übrigen durch `1 - p` (inverted dropout). Ziehe die Zufallszahlen **genau einmal** mit `rng.random(x.shape)`;
ein Element bleibt, wenn seine Zufallszahl mindestens `p` ist.""", 0, []),
    ("solution", "dropout", """def dropout(x, p, rng):
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    maske = rng.random(x.shape) >= p
    return x * maske / (1.0 - p)
    ### END SOLUTION""", 0, []),
    # a generator cannot be a check's argument: a helper without arguments seeds it; check_function
    # calls it with inputs=[] in the student's process and compares with the solution's result
    ("test", "test_dropout", """def dropout_stichprobe():
    return dropout(np.ones((4, 5)), 0.5, np.random.default_rng(0))

y = dropout(np.ones(1000), 0.25, np.random.default_rng(1))
assert set(np.unique(y)) <= {0.0, 1.0 / 0.75}, "dropout: jedes Element ist 0 oder 1 / (1 - p)"
### BEGIN HIDDEN TESTS
check_function("dropout_stichprobe", inputs=[])
### END HIDDEN TESTS""", 2, ["regularisierung"]),
    ("markdown", "md_daten", """## Aufgabe 3: Eine Kennzahl der Daten (1 Punkt)

Die Zelle unten erzeugt Daten `X` (200 Punkte in 2-D) und Klassen `y`. Berechne `anteil_klasse_1`: den
Anteil der Punkte mit `y == 1`, als Python-`float`.""", 0, []),
    ("locked", "daten", """rng = np.random.default_rng(42)
X = rng.normal(size=(200, 2)).astype(np.float32)
y = (X[:, 0] + 2 * X[:, 1] > 0.3).astype(np.float32)""", 0, []),
    ("solution", "kennzahl", """### BEGIN SOLUTION
anteil_klasse_1 = float(np.mean(y == 1))
### END SOLUTION""", 0, []),
    ("test", "test_kennzahl", """assert 0.0 <= anteil_klasse_1 <= 1.0, "anteil_klasse_1 ist ein Anteil zwischen 0 und 1"
### BEGIN HIDDEN TESTS
check("anteil_klasse_1")
### END HIDDEN TESTS""", 1, ["metriken"]),
    ("markdown", "md_modell", """## Aufgabe 4: Ein kleines Netz in PyTorch (3 Punkte)

Baue `modell = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))`, den `optimierer` Adam mit
Lernrate 0.05 und die Verlustfunktion `nn.BCEWithLogitsLoss()`. Trainiere 200 Schritte auf allen Daten
(`torch.manual_seed(0)` vor dem Bauen) und speichere die Genauigkeit auf `X`, `y` in `genauigkeit`.""", 0, []),
    ("solution", "modell", """torch.manual_seed(0)
### BEGIN SOLUTION
modell = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
optimierer = torch.optim.Adam(modell.parameters(), lr=0.05)
verlust = nn.BCEWithLogitsLoss()
eingabe, ziel = torch.from_numpy(X), torch.from_numpy(y)
for schritt in range(200):
    optimierer.zero_grad()
    verlust(modell(eingabe).squeeze(1), ziel).backward()
    optimierer.step()
with torch.no_grad():
    genauigkeit = float(((modell(eingabe).squeeze(1) > 0).float() == ziel).float().mean())
### END SOLUTION""", 0, []),
    # locked helper done right: it only *defines* a function, so the blank release (where `modell`
    # does not exist yet) runs this cell without error; the hidden check calls it
    ("locked", "hilfen_modell", """def genauigkeit_neu_berechnet():
    with torch.no_grad():
        vorhersage = modell(torch.from_numpy(X)).squeeze(1) > 0
    return float((vorhersage.float() == torch.from_numpy(y)).float().mean())""", 0, []),
    ("test", "test_modell", """assert isinstance(modell, nn.Module), "modell ist ein torch.nn.Module"
### BEGIN HIDDEN TESTS
check_structure("modell")
check_structure("optimierer")
check("genauigkeit", min=0.9, max=1.0)
check_function("genauigkeit_neu_berechnet", inputs=[], min=0.9, max=1.0)
### END HIDDEN TESTS""", 3, ["pytorch-grundlagen", "optimierer"]),
]

_WRONG_ANSWERS = """# Plausible student mistakes. `graders validate` replaces the named solution cell with `code` and
# requires every test in `rejected_by` to fail. Every hidden test needs at least one.
#
# Topics for metadata.graders.topics of a test cell (bank/topics.yaml):
{topics}
- name: ohne-achse
  notebook: {notebook}
  cell: standardisiere
  code: |
    def standardisiere(x):
        x = np.asarray(x, dtype=float)
        return (x - x.mean()) / x.std()
  rejected_by: [test_standardisiere]

- name: ohne-skalierung
  notebook: {notebook}
  cell: dropout
  code: |
    def dropout(x, p, rng):
        x = np.asarray(x, dtype=float)
        return x * (rng.random(x.shape) >= p)
  rejected_by: [test_dropout]

- name: anzahl-statt-anteil
  notebook: {notebook}
  cell: kennzahl
  code: |
    anteil_klasse_1 = float(np.sum(y == 1))
  rejected_by: [test_kennzahl]

- name: sgd-statt-adam
  notebook: {notebook}
  cell: modell
  code: |
    torch.manual_seed(0)
    modell = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    optimierer = torch.optim.SGD(modell.parameters(), lr=0.05)
    verlust = nn.BCEWithLogitsLoss()
    eingabe, ziel = torch.from_numpy(X), torch.from_numpy(y)
    for schritt in range(200):
        optimierer.zero_grad()
        verlust(modell(eingabe).squeeze(1), ziel).backward()
        optimierer.step()
    with torch.no_grad():
        genauigkeit = float(((modell(eingabe).squeeze(1) > 0).float() == ziel).float().mean())
  rejected_by: [test_modell]
"""


def _cell(role: str, gid: str, text: str, points: float, topics: list[str]):
    if role == "markdown":
        cell = nbformat.v4.new_markdown_cell(text)
    else:
        cell = nbformat.v4.new_code_cell(text)
    meta = {"grade": role == "test", "grade_id": gid, "locked": role != "solution", "schema_version": 3,
            "solution": role == "solution"}
    if role == "test":
        meta["points"] = points
        cell.metadata["graders"] = {"topics": topics}
    cell.metadata["nbgrader"] = meta
    return cell


def template(title: str, topic_keys: list[str]) -> nbformat.NotebookNode:
    """The template notebook; ``topic_keys`` (the course's topics) go into its metadata to pick from."""
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "graders": {"topic_choices": topic_keys}})
    nb.cells = [_cell(role, gid, text.replace("{title}", title), points, topics)
                for role, gid, text, points, topics in _CELLS]
    return nb


def new(course: Course, aid: str, notebook: str = "aufgabe") -> list[Path]:
    """Write ``source/<aid>/<notebook>.ipynb`` and ``content/<aid>/wrong_answers.yaml``; returns both.
    Refuses an existing assignment (or content folder) and names that need quoting in a shell."""
    notebook = notebook.removesuffix(".ipynb")
    for what, name in (("Aufgabe", aid), ("Notebook", notebook)):
        if not _AID.match(name):
            raise CourseError(f"{what} {name!r}: nur Buchstaben, Ziffern, '-', '_' und '.' (z. B. 17-dropout).")
    for folder in (course.source(aid), course.content(aid)):
        if folder.exists():
            raise CourseError(f"{folder.relative_to(course.root)}/ gibt es schon: wähle einen anderen Namen "
                              f"für die neue Aufgabe (vorhanden: {', '.join(course.assignments()) or 'keine'}).")
    topics = course_topics(course)
    path = course.source(aid) / f"{notebook}.ipynb"
    wrong = course.wrong_answers(aid)
    path.parent.mkdir(parents=True)
    wrong.parent.mkdir(parents=True)
    path.write_text(nbformat.writes(template(aid, [t.key for t in topics])) + "\n", encoding="utf-8")
    listing = "\n".join(f"#   {t.key}: {t.title}" for t in topics) or "#   (kein bank/topics.yaml im Kurs)"
    wrong.write_text(_WRONG_ANSWERS.format(topics=listing, notebook=path.name), encoding="utf-8")
    return [path, wrong]
