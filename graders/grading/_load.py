"""Reading a submitted notebook as untrusted input: every way it can be unusable gets a German reason."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from ..grades import Status

MAX_NOTEBOOK_BYTES = 100 << 20


def load_submission(path: Path, expected_name: str) -> tuple[nbformat.NotebookNode | None, Status | None, str]:
    """(notebook, None, "") or (None, MISSING/INVALID, German message)."""
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb")) if path.parent.is_dir() else []
        hint = f" Gefunden wurde: {', '.join(others)} – bitte den Namen {expected_name} beibehalten." if others else ""
        return None, Status.MISSING, f"Das Notebook {expected_name} fehlt in der Abgabe.{hint}"
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return None, Status.INVALID, (f"Das Notebook ist größer als {MAX_NOTEBOOK_BYTES >> 20} MB und wird nicht "
                                      "bewertet; lösche große Ausgaben (Kernel → Restart & Clear Output) und gib "
                                      "erneut ab.")
    try:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
    except UnicodeDecodeError:
        return None, Status.INVALID, "Das Notebook ist keine UTF-8-Textdatei und kann nicht gelesen werden."
    except json.JSONDecodeError as exc:
        return None, Status.INVALID, (f"Das Notebook ist keine gültige JSON-Datei (Fehler in Zeile {exc.lineno}); "
                                      "wurde es außerhalb von Jupyter bearbeitet oder beim Hochladen beschädigt?")
    except Exception as exc:  # nbformat raises several types for unreadable notebooks
        return None, Status.INVALID, f"Das Notebook hat keine gültige Notebook-Struktur ({type(exc).__name__})."
    cells = nb.get("cells")
    if not isinstance(cells, list) or any(not isinstance(c, dict) or not isinstance(c.get("source", ""), str)
                                          for c in cells):
        return None, Status.INVALID, "Das Notebook hat keine gültige Notebook-Struktur (Zellenliste)."
    for cell in cells:
        cell.pop("outputs", None)  # outputs are never graded; dropping them bounds memory
    return nb, None, ""
