"""Responses for item statistics: exam response CSVs (bank/FORMAT.md) and the drill database.

CSV columns ``student,qid,score,answer`` (``answer`` optional; comma or semicolon separated; score
0..1, decimal comma allowed). For choice questions ``answer`` lists the chosen options by their
1-based position in question.yaml, separated by ``;`` (or spaces), e.g. ``2`` or ``1;3``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .._csvfile import read_rows
from ._db import DrillStore
from ._model import BankError
from ._numbers import NumberError, parse_number

REQUIRED = ("student", "qid", "score")


@dataclass(frozen=True)
class Response:
    student: str
    qid: str
    score: float
    chosen: tuple[int, ...] | None = None   # choice questions: 1-based positions in question.yaml
    answer: str = ""


def read_responses(path: Path) -> list[Response]:
    rows, columns = read_rows(path, "Antwortdatei")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise BankError(f"Antwortdatei {path}: Spalten fehlen: {', '.join(missing)} "
                        "(erwartet: student,qid,score,answer).")
    responses = []
    for line, row in enumerate(rows, 2):
        student, qid = (row.get(columns["student"]) or "").strip(), (row.get(columns["qid"]) or "").strip()
        if not student and not qid:
            continue
        try:
            score = parse_number(row.get(columns["score"]) or "")
        except NumberError:
            raise BankError(f"{path}, Zeile {line}: Punktzahl {row.get(columns['score'])!r} ist keine Zahl.") from None
        if not (0.0 <= score <= 1.0) or not student or not qid:
            raise BankError(f"{path}, Zeile {line}: student und qid nötig, score zwischen 0 und 1.")
        answer = (row.get(columns["answer"]) or "").strip() if "answer" in columns else ""
        responses.append(Response(student, qid, score, _positions(answer), answer))
    return responses


def _positions(answer: str) -> tuple[int, ...] | None:
    tokens = [t for t in re.split(r"[;,\s]+", answer) if t]
    if not tokens or not all(t.isdigit() for t in tokens):
        return None
    return tuple(sorted({int(t) for t in tokens}))


def drill_responses(db_path: Path) -> list[Response]:
    """Each student's first review of each question: the one least shaped by earlier feedback."""
    if not Path(db_path).is_file():
        return []
    with DrillStore(db_path) as store:
        reviews = store.reviews()
    first: dict[tuple[str, str], Response] = {}
    for r in reviews:
        key = (r.student, r.qid)
        if key in first:
            continue
        chosen = None
        if isinstance(r.answer, int) and not isinstance(r.answer, bool):
            chosen = (r.answer + 1,)
        elif isinstance(r.answer, list) and all(isinstance(i, int) for i in r.answer):
            chosen = tuple(sorted(i + 1 for i in r.answer))
        first[key] = Response(r.student, r.qid, r.score, chosen, "")
    return list(first.values())
