"""``graders bank stats``: item statistics from the drill database and exam response CSVs.

Per source (the drill database; each responses file = one exam):

- facility: mean score of the item (0..1);
- discrimination: corrected point-biserial, the Pearson correlation of the item score with the rest
  score (the student's total without this item); in an exam missing answers count 0 and the rest
  score is the sum of the other items, in drills (students answer different questions) it is the
  mean of the other items the student answered, from first attempts only;
- Cronbach's alpha per exam: k/(k-1) · (1 - Σ var(item) / var(total)), sample variances;
- distractor analysis for choice questions: share of answers choosing each option;
- flags: too easy (facility > 0.9), too hard (< 0.2), negative discrimination.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ._model import Bank
from ._responses import Response, drill_responses, read_responses

TOO_EASY = 0.9
TOO_HARD = 0.2


@dataclass
class ItemStats:
    qid: str
    topic: str
    type: str
    n: int
    facility: float
    discrimination: float | None
    flags: list[str] = field(default_factory=list)


@dataclass
class OptionShare:
    qid: str
    option: int         # 1-based position in question.yaml
    text: str
    correct: bool
    share: float
    note: str = ""


@dataclass
class SourceStats:
    name: str
    kind: str           # drills | exam
    students: int
    responses: int
    alpha: float | None
    items: list[ItemStats]
    options: list[OptionShare]
    unknown_qids: list[str] = field(default_factory=list)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _variance(values: list[float]) -> float:
    n = len(values)
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def cronbach_alpha(matrix: dict[str, dict[str, float]], items: list[str]) -> float | None:
    """``matrix``: student -> qid -> score, complete over ``items``."""
    students = list(matrix)
    k = len(items)
    if k < 2 or len(students) < 2:
        return None
    totals = [sum(matrix[s][q] for q in items) for s in students]
    total_var = _variance(totals)
    if total_var == 0:
        return None
    item_var = sum(_variance([matrix[s][q] for s in students]) for q in items)
    return k / (k - 1) * (1 - item_var / total_var)


def analyse(name: str, responses: list[Response], bank: Bank | None, complete: bool) -> SourceStats:
    """Statistics of one source; ``complete``: an exam (every student had every item, missing = 0)."""
    matrix: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in responses:
        matrix[r.student][r.qid].append(r.score)
    # a repeated (student, item) row counts with its mean
    scores = {s: {q: sum(v) / len(v) for q, v in row.items()} for s, row in matrix.items()}
    items = sorted({r.qid for r in responses}, key=lambda q: _order(bank, q))
    if complete:
        scores = {s: {q: row.get(q, 0.0) for q in items} for s, row in scores.items()}
    stats = []
    for qid in items:
        xs, rests = [], []
        for student, row in scores.items():
            if qid not in row:
                continue
            others = [v for q, v in row.items() if q != qid]
            if not others:
                continue
            xs.append(row[qid])
            rests.append(sum(others) if complete else sum(others) / len(others))
        values = [row[qid] for row in scores.values() if qid in row]
        facility = sum(values) / len(values)
        disc = pearson(xs, rests)
        q = bank.question(qid) if bank is not None and bank.has(qid) else None
        flags = []
        if facility > TOO_EASY:
            flags.append("zu leicht")
        if facility < TOO_HARD:
            flags.append("zu schwer")
        if disc is not None and disc < 0:
            flags.append("negative Trennschärfe")
        stats.append(ItemStats(qid, q.topic if q else "?", q.type if q else "?", len(values), facility, disc, flags))
    alpha = cronbach_alpha(scores, items) if complete else None
    unknown = [qid for qid in items if bank is not None and not bank.has(qid)]
    return SourceStats(name, "exam" if complete else "drills", len(scores), len(responses), alpha, stats,
                       _options(responses, bank), unknown)


def _order(bank: Bank | None, qid: str):
    if bank is not None and bank.has(qid):
        return (0, [t.key for t in bank.topics].index(bank.question(qid).topic), qid)
    return (1, 0, qid)


def _options(responses: list[Response], bank: Bank | None) -> list[OptionShare]:
    if bank is None:
        return []
    chosen: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    for r in responses:
        if r.chosen is not None and bank.has(r.qid) and bank.question(r.qid).is_choice:
            chosen[r.qid].append(r.chosen)
    shares = []
    for qid in sorted(chosen, key=lambda q: _order(bank, q)):
        q = bank.question(qid)
        answers = chosen[qid]
        per_option = [sum(i in a for a in answers) / len(answers) for i in range(1, len(q.choices) + 1)]
        best_correct = max(s for s, c in zip(per_option, q.choices) if c.correct)
        for i, (choice, share) in enumerate(zip(q.choices, per_option), 1):
            note = ""
            if not choice.correct and share == 0:
                note = "nie gewählt"
            elif not choice.correct and share > best_correct:
                note = "häufiger als die richtige Antwort"
            shares.append(OptionShare(qid, i, choice.text, choice.correct, share, note))
    return shares


def collect(bank: Bank | None, drills_db: Path | None, response_files: list[Path]) -> list[SourceStats]:
    sources = []
    if drills_db is not None:
        responses = drill_responses(drills_db)
        if responses:
            sources.append(analyse(f"Drills ({drills_db.name})", responses, bank, complete=False))
    for path in response_files:
        sources.append(analyse(Path(path).name, read_responses(path), bank, complete=True))
    return sources


def as_json(sources: list[SourceStats]) -> dict:
    return {"schema": 1, "thresholds": {"too_easy": TOO_EASY, "too_hard": TOO_HARD},
            "sources": [asdict(s) for s in sources]}


def facilities(sources: list[SourceStats]) -> dict[str, tuple[float, int]]:
    """Per question the facility over all sources (weighted by answers) and the number of answers."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for source in sources:
        for item in source.items:
            sums[item.qid][0] += item.facility * item.n
            sums[item.qid][1] += item.n
    return {qid: (total / n, int(n)) for qid, (total, n) in sums.items() if n}
