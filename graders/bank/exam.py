"""``graders exam``: draw N questions evenly over topics and write one paper per student.

The draw depends only on the seed (and the bank): topics in a seeded order, questions taken round
robin, one per topic and round, so topic counts differ by at most one. Each student's variant of a
question (parameters, shuffled answers) depends only on (seed, student, question): adding someone to
the roster changes nobody else's paper. Output (docs/bank.md):

    DIR/manifest.json                 the draw and every student's variants (parameters, answers)
    DIR/pruefung.moodle.xml           the drawn questions, one Moodle category per exam question
    DIR/loesungen.html                all answer keys in one file
    DIR/<student>/pruefung.html       the paper
    DIR/<student>/loesung.html        its answer key
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from .._progress import progress
from .._roster import Student, read_roster
from . import _exam_html, _items, _moodle
from ._model import Bank, BankError, Question
from ._variant import Variant, variant

TITLE = "Klausur Deep Learning"
DEFAULT_STUDENT = Student("muster", "Musterklausur")


@dataclass(frozen=True)
class Paper:
    student: Student
    folder: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Exam:
    seed: int
    questions: tuple[Question, ...]
    papers: tuple[Paper, ...]


def draw(bank: Bank, count: int, seed: int, topics: list[str] | None = None) -> list[Question]:
    """``count`` questions, round robin over the topics in a seeded order; shown in course order."""
    selected = bank.select(topics)
    if count < 1:
        raise BankError("--questions muss mindestens 1 sein.")
    if count > len(selected.questions):
        raise BankError(f"Nur {len(selected.questions)} Fragen in dieser Auswahl, {count} verlangt.")
    rng = random.Random(f"exam/{seed}")
    keys = [t.key for t in selected.topics if selected.in_topic(t.key)]
    rng.shuffle(keys)
    pools = {key: rng.sample(selected.in_topic(key), len(selected.in_topic(key))) for key in keys}
    drawn: list[Question] = []
    while len(drawn) < count:
        for key in keys:
            if pools[key] and len(drawn) < count:
                drawn.append(pools[key].pop())
    order = {t.key: i for i, t in enumerate(selected.topics)}
    return sorted(drawn, key=lambda q: (order[q.topic], q.qid))


def student_seed(seed: int, student: str, qid: str) -> int:
    digest = hashlib.sha256(f"exam/{seed}/{student}/{qid}".encode("utf-8")).digest()
    return int.from_bytes(digest[:6], "big") % 1_000_000_000


def _folders(students: list[Student]) -> list[str]:
    """A safe, unique folder name per student (ids may be e-mail addresses)."""
    names, used = [], set()
    for s in students:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", s.id).strip("._") or "student"
        name, k = base, 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        names.append(name)
    return names


def build(bank: Bank, count: int, seed: int, students: list[Student] | None = None,
          topics: list[str] | None = None) -> Exam:
    questions = draw(bank, count, seed, topics)
    students = students or [DEFAULT_STUDENT]
    papers = tuple(Paper(s, folder, tuple(variant(q, student_seed(seed, s.id, q.qid)) for q in questions))
                   for s, folder in zip(students, _folders(students)))
    return Exam(seed, tuple(questions), papers)


def write(exam: Exam, bank: Bank, out: Path, title: str = TITLE) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    titles = {t.key: t.title for t in bank.topics}
    written, sections = [], []
    with progress(len(exam.papers), "exam") as step:
        for paper in exam.papers:
            folder = out / paper.folder
            folder.mkdir(exist_ok=True)
            args = (title, paper.student.id, paper.student.name, list(paper.variants), titles)
            (folder / "pruefung.html").write_text(_exam_html.exam_page(*args), encoding="utf-8")
            (folder / "loesung.html").write_text(_exam_html.key_page(*args), encoding="utf-8")
            sections.append((paper.student.id, paper.student.name, _exam_html.key_section(*args)))
            written += [folder / "pruefung.html", folder / "loesung.html"]
            step(paper.student.id)
    (out / "loesungen.html").write_text(_exam_html.combined_key(title, sections), encoding="utf-8")
    (out / "pruefung.moodle.xml").write_text(_moodle_quiz(exam, bank, title), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(_manifest(exam, title), ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return written + [out / "loesungen.html", out / "pruefung.moodle.xml", out / "manifest.json"]


def _moodle_quiz(exam: Exam, bank: Bank, title: str) -> str:
    """One category per exam question: in Moodle, add "a random question" from each (variants differ)."""
    chosen = Bank(bank.root, bank.topics, exam.questions)
    slot = {q.qid: i for i, q in enumerate(exam.questions, 1)}
    items = _items.items(chosen)
    items.sort(key=lambda item: slot[item.question.qid])
    root = f"$course$/Deep Learning/{title} (Seed {exam.seed})"
    return _moodle.write(items, category_of=lambda item: f"{root}/Aufgabe {slot[item.question.qid]:02d} "
                                                         f"({item.question.qid})")


def _manifest(exam: Exam, title: str) -> dict:
    return {
        "schema": 1, "title": title, "seed": exam.seed,
        "questions": [{"qid": q.qid, "topic": q.topic, "type": q.type, "uuid": q.uuid} for q in exam.questions],
        "students": [{"id": p.student.id, "name": p.student.name, "folder": p.folder,
                      "variants": [{"qid": v.qid, "seed": v.seed, "params": dict(v.params), "answer": v.answer,
                                    "order": list(v.order)} for v in p.variants]}
                     for p in exam.papers],
    }


def generate(bank: Bank, count: int, seed: int, out: Path, roster: Path | None = None,
             topics: list[str] | None = None) -> Exam:
    students = read_roster(roster) if roster else None
    exam = build(bank, count, seed, students, topics)
    write(exam, bank, out)
    return exam
