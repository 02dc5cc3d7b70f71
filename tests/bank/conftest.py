"""Small throwaway banks and courses for the question-bank tests (no TensorFlow, no real submissions)."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
import yaml

from graders.bank import Variant, load_bank
from graders.bank._grade import letter
from graders.bank._numbers import format_plain
from graders.course import Course

ROOT = Path(__file__).resolve().parents[2]
TOPICS = [("alpha", "Thema Alpha"), ("beta", "Thema Beta"), ("gamma", "Thema Gamma: mit / Schrägstrich")]
# every character GIFT treats specially, and XML's too
TRICKY = "a ~ b = c # d { e } f : g \\ h < i & j ]]> k"

GENERATOR = '''import random


def generate(seed: int) -> dict:
    rng = random.Random(seed)
    return {"a": rng.randint(2, 9999), "b": rng.randint(2, 9999)}


def solve(params: dict) -> float:
    return params["a"] * params["b"]
'''


def qid_uuid(qid: str) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(qid.encode()).digest()[:16], version=4))


def _questions(topic: str) -> dict[str, dict]:
    tricky = TRICKY if topic == "alpha" else "normal"
    return {
        f"{topic}-single": {"type": "single", "text": f"Welche Antwort ist richtig? {tricky}", "answers": [
            {"text": f"richtig {tricky}", "correct": True, "feedback": f"Richtig. {tricky}"},
            {"text": "falsch eins", "correct": False, "feedback": "Falsch. eins"},
            {"text": "falsch zwei", "correct": False, "feedback": "Falsch. zwei"},
            {"text": "falsch drei", "correct": False, "feedback": "Falsch. drei"}]},
        f"{topic}-multiple": {"type": "multiple", "text": "Welche Aussagen stimmen?", "answers": [
            {"text": f"r{i}" if i < 3 else f"f{i}", "correct": i < 3, "feedback": "Richtig." if i < 3 else "Falsch."}
            for i in range(5)]},
        f"{topic}-numeric": {"type": "numeric", "text": f"Wie groß ist $\\sigma'(0)$? {tricky}", "answer": 0.25,
                             "tolerance": {"abs": 0.01}},
        f"{topic}-param": {"type": "parameterized", "text": "Berechnen Sie ${a} \\cdot {b}$ in $\\{{x\\}}$.",
                           "tolerance": {"rel": 0.001}, "feedback": "Es ist {a} · {b} = {answer:.0f}."},
        f"{topic}-text": {"type": "text", "text": "Wie heißt das Kriterium für k?",
                          "accepted": ["ellenbogen", "elbow"],
                          "sample_answer": "Ellenbogenkriterium", "review": True},
        f"{topic}-ordering": {"type": "ordering", "text": "Ordnen Sie.", "items": ["eins", "zwei", "drei", "vier"]},
        f"{topic}-matching": {"type": "matching", "text": "Ordnen Sie zu.",
                              "pairs": [["Sigmoid", "(0, 1)"], ["Tanh", "(−1, 1)"], ["ReLU", f"[0, ∞) {tricky}"]]},
    }


def make_bank(root: Path, topics=TOPICS) -> Path:
    """A bank with every question type in every topic (7 per topic, 2 of them numeric)."""
    bank = root / "bank"
    bank.mkdir(parents=True, exist_ok=True)
    (bank / "topics.yaml").write_text(yaml.safe_dump(
        {"schema": 1, "topics": [{"key": k, "title": t} for k, t in topics]}, allow_unicode=True), encoding="utf-8")
    for key, _ in topics:
        for qid, spec in _questions(key).items():
            folder = bank / key / qid
            folder.mkdir(parents=True, exist_ok=True)
            data = {"schema": 1, "uuid": qid_uuid(qid), "type": spec["type"], "difficulty": 2, "source": "Test",
                    "text": spec["text"], "feedback": spec.get("feedback", f"Erklärung zu {qid}.")}
            data.update({k: v for k, v in spec.items() if k not in data})
            (folder / "question.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
            if spec["type"] == "parameterized":
                (folder / "generator.py").write_text(GENERATOR, encoding="utf-8")
    return bank


def write_grades(root: Path, student: str, aid: str, cells: list[tuple[float, float, list[str]]]) -> Path:
    """A minimal grades.json (schema of graders/grades.schema.json) with these (score, max, topics) cells."""
    path = root / "autograded" / student / aid / "grades.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    cell_list = [{"grade_id": f"c{i}", "score": s, "max_score": m, "status": "passed" if s == m else "failed",
                  "topics": t, "message": ""} for i, (s, m, t) in enumerate(cells)]
    grades = {"schema": 1, "assignment": aid, "student": student, "score": sum(c[0] for c in cells),
              "max_score": sum(c[1] for c in cells), "status": "graded",
              "notebooks": [{"name": "nb.ipynb", "score": 0, "max_score": 0, "status": "graded", "cells": cell_list}],
              "environment": {"device": "cpu", "precision": "float32", "tf32": False, "deterministic": True,
                              "packages": {}},
              "timing": {"wall_s": 1.0}}
    path.write_text(json.dumps(grades), encoding="utf-8")
    return path


def typed(v: Variant) -> str:
    """The correct answer as a student would type it for this variant."""
    q = v.question
    if q.type == "single":
        return letter(next(i for i, c in enumerate(v.options) if c.correct))
    if q.type == "multiple":
        return " ".join(letter(i) for i, c in enumerate(v.options) if c.correct)
    if q.is_numeric:
        return format_plain(v.answer).replace(".", ",")
    if q.type == "text":
        return q.sample_answer
    if q.type == "ordering":
        return " ".join(str(v.order.index(k) + 1) for k in range(len(q.items)))
    return " ".join(letter(v.rights.index(right)) for _, right in q.pairs)


def wrong(v: Variant):
    """A canonical answer that scores 0."""
    q = v.question
    if q.type == "single":
        return next(i for i, c in enumerate(q.choices) if not c.correct)
    if q.type == "multiple":
        return [i for i, c in enumerate(q.choices) if not c.correct]
    if q.is_numeric:
        return v.answer + 1000 + abs(v.answer)
    if q.type == "text":
        return "keine Ahnung"
    if q.type == "ordering":
        return list(range(len(q.items)))[::-1]
    rights = [r for _, r in q.pairs]
    return rights[1:] + rights[:1]


@pytest.fixture
def course(tmp_path) -> Course:
    make_bank(tmp_path)
    return Course(tmp_path)


@pytest.fixture
def bank(course):
    return load_bank(course.bank)
