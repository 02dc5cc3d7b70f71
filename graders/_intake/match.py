"""Which uploaded file is which notebook of the assignment: by name, else by content.

Content is nbgrader's cell ids (``metadata.nbgrader.grade_id``, kept by Jupyter when students
work in the released notebook), else the similarity of the markdown text to the release.
"""

from __future__ import annotations

import difflib
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from .archive import Member

MIN_ID_OVERLAP = 0.5
MIN_TEXT_SIMILARITY = 0.6
_SYSTEM_FILES = ("__MACOSX/", ".ipynb_checkpoints/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class Slot:
    name: str                   # e.g. perzeptron.ipynb
    ids: frozenset[str]
    text: str

    @classmethod
    def from_notebook(cls, path: Path) -> "Slot":
        ids, text = _fingerprint(json.loads(path.read_text(encoding="utf-8")))
        return cls(path.name, ids, text)


@dataclass(frozen=True)
class Line:
    found: str
    taken: str
    reason: str


@dataclass
class Selection:
    taken: dict[str, Member] = field(default_factory=dict)      # slot name -> member
    set_aside: list[Member] = field(default_factory=list)       # harmless files not taken
    lines: list[Line] = field(default_factory=list)


def select(files: list[Member], slots: list[Slot]) -> Selection:
    """One file per slot: the exact name before a content match before an unreadable file of the
    exact name; among equals the newest. Every file gets a report line."""
    chosen = Selection()
    candidates: dict[str, list[tuple[tuple, Member, str]]] = {s.name: [] for s in slots}
    for member in files:
        base = posixpath.basename(member.path)
        if _is_system_file(member.path):
            chosen.lines.append(Line(member.path, "", "Systemdatei – ignoriert"))
            continue
        if not member.data.strip():
            chosen.lines.append(Line(member.path, "", "leere Datei – abgelehnt"))
            continue
        notebook = _parse_notebook(member.data)
        exact = next((s for s in slots if s.name == base), None)
        if notebook is None:
            if exact is not None:
                candidates[exact.name].append(((2, _newest(member)), member, "kein gültiges Notebook (kein JSON "
                                               "oder nicht UTF-8) – übernommen, die Bewertung nennt den Fehler"))
            else:
                chosen.set_aside.append(member)
                chosen.lines.append(Line(member.path, "", "kein Notebook – nicht übernommen (in .set-aside/)"))
            continue
        slot, how = _by_content(notebook, slots)
        if exact is not None and (slot is None or slot is exact):
            candidates[exact.name].append(((0, _newest(member)), member, "übernommen"))
        elif slot is not None:
            candidates[slot.name].append(((1, _newest(member)), member,
                                          f"unter falschem Namen abgegeben, nach Inhalt ({how}) als {slot.name} erkannt"))
        else:
            chosen.set_aside.append(member)
            chosen.lines.append(Line(member.path, "", "Notebook passt zu keinem Notebook dieser Aufgabe (falsche "
                                                      "Aufgabe hochgeladen?) – nicht übernommen (in .set-aside/)"))
    for slot in slots:
        ranked = sorted(candidates[slot.name], key=lambda c: (c[0], c[1].path))
        if not ranked:
            chosen.lines.append(Line("", "", f"{slot.name} fehlt in der Abgabe"))
            continue
        _, member, reason = ranked[0]
        chosen.taken[slot.name] = member
        note = f"; {member.note}" if member.note else ""
        extra = f"; {len(ranked) - 1} weitere Datei(en) für {slot.name}, die neueste passende genommen" \
            if len(ranked) > 1 else ""
        chosen.lines.append(Line(member.path, slot.name, reason + note + extra))
        for _, other, _ in ranked[1:]:
            chosen.set_aside.append(other)
            chosen.lines.append(Line(other.path, "", f"mehrere Dateien für {slot.name}: genommen wurde "
                                                     f"{member.path} – diese nicht übernommen (in .set-aside/)"))
    return chosen


def _newest(member: Member) -> float:
    return -member.mtime.timestamp() if member.mtime else 0.0


def _is_system_file(path: str) -> bool:
    base = posixpath.basename(path)
    return base.startswith("._") or any(part in path for part in _SYSTEM_FILES if part.endswith("/")) \
        or base in _SYSTEM_FILES


def _parse_notebook(data: bytes) -> dict | None:
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        return None
    return nb


def _fingerprint(nb: dict) -> tuple[frozenset[str], str]:
    cells = nb.get("cells")
    if cells is None:  # nbformat 3
        sheets = nb.get("worksheets") or [{}]
        cells = sheets[0].get("cells", []) if isinstance(sheets[0], dict) else []
    ids, text = set(), []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell.get("metadata"), dict) else {}
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
            ids.add(meta["grade_id"])
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text.append("".join(source) if isinstance(source, list) else str(source))
    return frozenset(ids), "\n".join(text)[:5_000]  # SequenceMatcher is quadratic


def _by_content(nb: dict, slots: list[Slot]) -> tuple[Slot | None, str]:
    ids, text = _fingerprint(nb)
    if ids:
        overlap = {s.name: len(ids & s.ids) / len(s.ids) for s in slots if s.ids}
        best = max(slots, key=lambda s: overlap.get(s.name, 0.0))
        if overlap.get(best.name, 0.0) >= MIN_ID_OVERLAP:
            return best, "Zell-IDs"
    ratios = {s.name: difflib.SequenceMatcher(None, text, s.text, autojunk=False).ratio() if text and s.text else 0.0
              for s in slots}
    best = max(slots, key=lambda s: ratios[s.name])
    return (best, "Text") if ratios[best.name] >= MIN_TEXT_SIMILARITY else (None, "")
