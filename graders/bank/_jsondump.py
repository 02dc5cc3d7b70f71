"""The bank as one plain JSON document: every question.yaml as written, plus concrete variants."""

from __future__ import annotations

from ._items import VARIANTS
from ._model import Bank
from ._variant import variant


def dump(bank: Bank, variants: int = VARIANTS) -> dict:
    questions = []
    for q in bank.questions:
        entry = {"qid": q.qid, "topic": q.topic, **q.data}
        if q.type == "parameterized":
            entry["generator"] = q.generator_path.read_text(encoding="utf-8")
            entry["variants"] = [{"seed": v.seed, "params": dict(v.params), "text": v.text, "answer": v.answer,
                                  "tolerance_abs": q.tolerance.absolute(v.answer)}
                                 for v in (variant(q, seed) for seed in range(variants))]
        questions.append(entry)
    return {"schema": 1, "topics": [{"key": t.key, "title": t.title} for t in bank.topics],
            "questions": questions}
