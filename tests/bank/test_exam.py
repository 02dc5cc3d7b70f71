"""Exams: deterministic draw, even topic coverage, per-student variants, outputs."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from graders._roster import Student
from graders.bank import BankError
from graders.bank._reread import _moodle_question, raw_math
from graders.bank.exam import build, draw, generate

ROSTER = "student\nanna\nben\ncarla\ndavid\n"


def _files(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_exam_byte_for_byte(bank, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    generate(bank, 9, 42, tmp_path / "a", roster)
    generate(bank, 9, 42, tmp_path / "b", roster)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert {"manifest.json", "loesungen.html", "pruefung.moodle.xml", "anna/pruefung.html", "anna/loesung.html",
            "david/loesung.html"} <= set(a)
    generate(bank, 9, 43, tmp_path / "c", roster)
    assert _files(tmp_path / "c")["manifest.json"] != a["manifest.json"]


def test_topics_are_covered_evenly(bank):
    for count in range(1, 22):
        for seed in range(3):
            drawn = draw(bank, count, seed)
            per_topic = Counter(q.topic for q in drawn)
            assert len(drawn) == count and len({q.qid for q in drawn}) == count
            counts = [per_topic.get(t.key, 0) for t in bank.topics]
            # every topic gets floor or ceil of count / topics
            assert min(counts) >= count // len(counts) and max(counts) <= -(-count // len(counts))
    assert {q.topic for q in draw(bank, 4, 1, topics=["beta", "gamma"])} == {"beta", "gamma"}
    with pytest.raises(BankError):
        draw(bank, 22, 0)


def test_students_get_different_parameters_and_the_same_student_the_same(bank):
    students = [Student(s) for s in ("anna", "ben", "carla", "david", "emil")]
    exam = build(bank, 21, 7, students, same_questions=True)   # all questions, so all three parameterized ones
    params = {}
    for paper in exam.papers:
        for v in paper.variants:
            if v.type == "parameterized":
                params.setdefault(v.qid, []).append((v.params["a"], v.params["b"]))
    assert len(params) == 3
    assert all(len(set(values)) == len(students) for values in params.values())
    # a student's paper depends only on (seed, student, question): roster order and size do not matter
    alone = build(bank, 21, 7, [Student("carla")], same_questions=True).papers[0]
    assert [v.params for v in alone.variants] == [v.params for v in exam.papers[2].variants]
    assert [v.order for v in alone.variants] == [v.order for v in exam.papers[2].variants]


def test_outputs_contain_keys_and_a_valid_moodle_quiz(bank, tmp_path):
    import xml.etree.ElementTree as ET

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    exam = generate(bank, 6, 3, tmp_path / "out", roster)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [q["qid"] for slot in manifest["slots"] for q in slot["pool"]] == [q.qid for q in exam.questions]
    anna = manifest["students"][0]
    page = (tmp_path / "out" / "anna" / "pruefung.html").read_text(encoding="utf-8")
    key = (tmp_path / "out" / "anna" / "loesung.html").read_text(encoding="utf-8")
    assert "Aufgabe 6" in page and "Lösung:" not in page and "anna" in page
    assert key.count("<b>Lösung:</b>") == 6
    combined = (tmp_path / "out" / "loesungen.html").read_text(encoding="utf-8")
    assert combined.count("<b>Lösung:</b>") == 6 * 4
    for v in anna["variants"]:
        if v["params"]:
            assert str(v["params"]["a"]) in page
    root = ET.parse(tmp_path / "out" / "pruefung.moodle.xml").getroot()
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    categories = [q.findtext("category/text") for q in root.findall("question") if q.get("type") == "category"]
    assert len(categories) == 6 and categories[0].startswith("$course$/Deep Learning/Klausur Deep Learning (Seed 3)/")
    assert all(_moodle_question(q, q.get("type")) == [] and raw_math(q) == [] for q in questions)


def test_email_ids_get_safe_unique_folders(bank, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("Email address\nanna@example.org\nAnna@example.org\n", encoding="utf-8")
    exam = generate(bank, 2, 1, tmp_path / "out", roster)
    assert [p.folder for p in exam.papers] == ["anna_example.org", "Anna_example.org-2"]
    assert (tmp_path / "out" / "Anna_example.org-2" / "pruefung.html").is_file()


def _paper(paper) -> list[str]:
    return [v.qid for v in paper.variants]


def test_each_student_gets_own_questions_of_the_same_topics_and_levels_in_own_order(bank):
    students = [Student(s) for s in ("anna", "ben", "carla", "david", "emil", "fritz")]
    exam = build(bank, 6, 5, students)
    assert len(exam.slots) == 6 and len({q.qid for q in exam.questions}) == len(exam.questions) > 6
    for paper in exam.papers:
        assert len(set(_paper(paper))) == 6 and sorted(paper.slots) == list(range(6))
        for slot, v in zip(paper.slots, paper.variants):
            assert v.question in exam.slots[slot].pool and v.question.topic == exam.slots[slot].topic
    assert len({tuple(sorted(_paper(p))) for p in exam.papers}) > 1       # different questions ...
    assert len({p.slots for p in exam.papers}) > 1                        # ... in different orders
    # reproducible per student, whoever else is on the roster
    assert _paper(build(bank, 6, 5, [Student("carla")]).papers[0]) == _paper(exam.papers[2])


def test_same_questions_keeps_the_old_exam(bank):
    exam = build(bank, 6, 5, [Student("anna"), Student("ben")], same_questions=True)
    assert _paper(exam.papers[0]) == _paper(exam.papers[1]) == [q.qid for q in draw(bank, 6, 5)]
    assert all(len(slot.pool) == 1 for slot in exam.slots)


def test_item_statistics_decide_the_difficulty_class(bank):
    drawn = draw(bank, 3, 1)
    # measured: the first drawn question is hard, one other question of its topic too; too few answers count not
    other = next(q for q in bank.in_topic(drawn[0].topic) if q not in drawn)
    facility = {drawn[0].qid: (0.2, 40), other.qid: (0.3, 12), drawn[1].qid: (0.1, 2)}
    exam = build(bank, 3, 1, facility=facility)
    first = next(slot for slot in exam.slots if slot.pool[0] == drawn[0])
    assert first.level == 3 and set(first.pool) == {drawn[0], other}
    second = next(slot for slot in exam.slots if slot.pool[0] == drawn[1])
    # two answers are too few: question.yaml's difficulty 2 holds, the pool is the rest of its topic
    assert second.level == 2
    assert set(second.pool) == {q for q in bank.in_topic(drawn[1].topic) if q not in (drawn[0], drawn[2], other)}


def test_moodle_quiz_has_a_category_per_slot_with_its_pool_and_keys_follow_each_paper(bank, tmp_path):
    import xml.etree.ElementTree as ET

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    exam = generate(bank, 4, 9, tmp_path / "out", roster)
    root = ET.parse(tmp_path / "out" / "pruefung.moodle.xml").getroot()
    category, members = None, {}
    for q in root.findall("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text")
        else:
            members.setdefault(category, set()).add(q.findtext("name/text").split(" (Variante")[0])
            assert _moodle_question(q, q.get("type")) == [] and raw_math(q) == []
    assert [sorted(m) for m in members.values()] == [sorted(q.qid for q in slot.pool) for slot in exam.slots]
    assert all(" (Thema " in name and name.endswith("mittel)") for name in members)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    for paper, entry in zip(exam.papers, manifest["students"]):
        assert [v["qid"] for v in entry["variants"]] == _paper(paper)
        key = (tmp_path / "out" / paper.folder / "loesung.html").read_text(encoding="utf-8")
        assert [key.index(f"Frage <code>{qid}</code>") for qid in _paper(paper)] == \
            sorted(key.index(f"Frage <code>{qid}</code>") for qid in _paper(paper))
