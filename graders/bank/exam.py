"""``graders exam``: draw an exam and write one paper per student, each with its own questions.

The draw depends only on the seed (and the bank): topics in a seeded order, questions taken round
robin, one per topic and round, so topic counts differ by at most one. Each drawn question opens a
slot: its topic and difficulty class (from item statistics where a question has at least
``MIN_RESPONSES`` answers, else from question.yaml). The slot's pool holds the topic's questions of
that class (split between slots that share topic and class, so no paper repeats a question). Each
student gets one question per slot from its pool, the slots in their own order, and their own
variant (parameters, shuffled answers); all of it depends only on (seed, student): adding someone
to the roster changes nobody else's paper. ``same_questions`` keeps the old exam: everyone gets the
drawn questions in course order. Output (docs/bank.md):

    DIR/manifest.json                 the slots with their pools and every student's questions
    DIR/pruefung.moodle.xml           one Moodle category per slot with its pool (a random question each)
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
from typing import Mapping

from .._progress import progress
from .._roster import Student, read_roster
from . import _exam_html, _items, _moodle
from ._model import Bank, BankError, Question
from ._variant import Variant, variant

TITLE = "Klausur Deep Learning"
DEFAULT_STUDENT = Student("muster", "Musterklausur")
MIN_RESPONSES = 5
LEVELS = {1: "leicht", 2: "mittel", 3: "schwer"}


@dataclass(frozen=True)
class Slot:
    topic: str
    level: int                     # 1 leicht, 2 mittel, 3 schwer
    pool: tuple[Question, ...]     # the drawn question first


@dataclass(frozen=True)
class Paper:
    student: Student
    folder: str
    variants: tuple[Variant, ...]  # in the order of this student's paper
    slots: tuple[int, ...] = ()    # the slot (0-based) of each of them


@dataclass(frozen=True)
class Exam:
    seed: int
    slots: tuple[Slot, ...]
    papers: tuple[Paper, ...]
    same_questions: bool = False

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question some paper may hold, slot by slot."""
        return tuple(q for slot in self.slots for q in slot.pool)


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


def level(question: Question, facility: Mapping[str, tuple[float, int]] | None = None) -> int:
    """Difficulty class: from the measured facility (mean score) where enough answers exist."""
    measured = (facility or {}).get(question.qid)
    if measured is None or measured[1] < MIN_RESPONSES:
        return question.difficulty
    return 1 if measured[0] >= 0.75 else 2 if measured[0] >= 0.45 else 3


def slots(bank: Bank, drawn: list[Question], facility: Mapping[str, tuple[float, int]] | None = None,
          same_questions: bool = False) -> tuple[Slot, ...]:
    """A slot per drawn question; pools of slots with the same topic and level share its questions out."""
    if same_questions:
        return tuple(Slot(q.topic, level(q, facility), (q,)) for q in drawn)
    keys = [(q.topic, level(q, facility)) for q in drawn]
    pools: dict[int, list[Question]] = {i: [q] for i, q in enumerate(drawn)}
    for key in dict.fromkeys(keys):
        members = [i for i, k in enumerate(keys) if k == key]
        rest = [q for q in bank.in_topic(key[0]) if level(q, facility) == key[1] and q not in drawn]
        for n, q in enumerate(rest):
            pools[members[n % len(members)]].append(q)
    return tuple(Slot(key[0], key[1], tuple(pools[i])) for i, key in enumerate(keys))


def build(bank: Bank, count: int, seed: int, students: list[Student] | None = None,
          topics: list[str] | None = None, facility: Mapping[str, tuple[float, int]] | None = None,
          same_questions: bool = False) -> Exam:
    exam_slots = slots(bank, draw(bank, count, seed, topics), facility, same_questions)
    students = students or [DEFAULT_STUDENT]
    papers = []
    for s, folder in zip(students, _folders(students)):
        rng = random.Random(f"exam/{seed}/{s.id}")
        picks = [rng.choice(slot.pool) for slot in exam_slots]
        order = list(range(len(exam_slots)))
        if not same_questions:
            rng.shuffle(order)
        papers.append(Paper(s, folder, tuple(variant(picks[i], student_seed(seed, s.id, picks[i].qid))
                                              for i in order), tuple(order)))
    return Exam(seed, exam_slots, tuple(papers), same_questions)


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
    """One category per slot with its pool: in Moodle, add "a random question" from each."""
    root = f"$course$/Deep Learning/{title} (Seed {exam.seed})"
    titles = {t.key: t.title for t in bank.topics}
    out = []
    for number, slot in enumerate(exam.slots, 1):
        name = f"{root}/Aufgabe {number:02d} ({titles[slot.topic].replace('/', '//')}, {LEVELS[slot.level]})"
        for item in _items.items(Bank(bank.root, bank.topics, slot.pool)):
            out.append((name, item))
    categories = {id(item): name for name, item in out}
    return _moodle.write([item for _, item in out], category_of=lambda item: categories[id(item)])


def _manifest(exam: Exam, title: str) -> dict:
    return {
        "schema": 2, "title": title, "seed": exam.seed, "same_questions": exam.same_questions,
        "slots": [{"topic": slot.topic, "level": slot.level,
                   "pool": [{"qid": q.qid, "type": q.type, "uuid": q.uuid} for q in slot.pool]}
                  for slot in exam.slots],
        "students": [{"id": p.student.id, "name": p.student.name, "folder": p.folder,
                      "variants": [{"slot": slot + 1, "qid": v.qid, "seed": v.seed, "params": dict(v.params),
                                    "answer": v.answer, "order": list(v.order)}
                                   for slot, v in zip(p.slots, p.variants)]}
                     for p in exam.papers],
    }


def generate(bank: Bank, count: int, seed: int, out: Path, roster: Path | None = None,
             topics: list[str] | None = None, facility: Mapping[str, tuple[float, int]] | None = None,
             same_questions: bool = False) -> Exam:
    students = read_roster(roster) if roster else None
    exam = build(bank, count, seed, students, topics, facility, same_questions)
    write(exam, bank, out)
    return exam
