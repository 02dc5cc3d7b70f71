"""Drills: weak topics first, FSRS order, interrupt and resume without losing a review, terminal and widget."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
from fsrs import Rating
from rich.console import Console

from graders.bank import solution, variant
from graders.bank._terminal import run
from graders.bank._db import DrillStore
from graders.bank.drill import Drill, plan, rating_for

from .conftest import ROOT, typed, write_grades, wrong

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _reviews(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT session_id, position, qid, seed, score FROM reviews ORDER BY id").fetchall()
    finally:
        con.close()


class Answers:
    """Piped stdin for the terminal drill: the right answer to whatever is asked, then an interrupt."""

    def __init__(self, drill: Drill, stop_after: int | None = None, error=KeyboardInterrupt):
        self.drill, self.stop_after, self.error, self.given = drill, stop_after, error, 0

    def readline(self) -> str:
        if self.stop_after is not None and self.given >= self.stop_after:
            raise self.error()
        self.given += 1
        return typed(self.drill.next().variant) + "\n"


def _quiet() -> Console:
    return Console(file=io.StringIO(), width=100)


def test_topics_with_lost_points_come_first_weakest_first(course, bank):
    # beta: 5 of 6 points lost (0.83), gamma: 2 of 4 (0.5), alpha: none
    write_grades(course.root, "s1", "01-perzeptron", [(2, 2, ["alpha"]), (1, 4, ["beta"]), (2, 4, ["gamma"])])
    write_grades(course.root, "s1", "02-verlust", [(0, 2, ["beta"]), (4, 4, ["alpha", "gamma"])])
    with Drill.for_course(course, "s1", count=9, clock=Clock()) as drill:
        assert [(w.topic, round(w.ratio, 2)) for w in drill.weak_topics] == [("beta", 0.83), ("gamma", 0.25)]
        asked = []
        while (prompt := drill.next()) is not None:
            asked.append((prompt.question.topic, prompt.reason))
            drill.answer(prompt, solution(prompt.variant))
    assert asked[:4] == [("beta", "weak"), ("beta", "weak"), ("gamma", "weak"), ("gamma", "weak")]
    assert [reason for _, reason in asked[4:]] == ["new"] * 5
    assert "alpha" in {topic for topic, _ in asked[4:]}


def test_without_grades_new_questions_rotate_over_topics(course):
    with Drill.for_course(course, "s2", count=6, clock=Clock()) as drill:
        topics = [drill.bank.question(qid).topic for qid, _ in drill.plan]
    assert topics == ["alpha", "beta", "gamma"] * 2


def test_score_to_rating():
    assert rating_for(1.0) == Rating.Good
    assert rating_for(0.5) == rating_for(0.99) == Rating.Hard
    assert rating_for(0.49) == rating_for(0.0) == Rating.Again


def test_due_cards_first_most_overdue_first_then_new(course, bank):
    clock = Clock()
    with Drill(bank, course.drills_db, "s3", count=3, clock=clock) as drill:
        met = []
        for answer in (solution, wrong, solution):
            prompt = drill.next()
            met.append((prompt.variant.qid, prompt.variant.seed))
            result = drill.answer(prompt, answer(prompt.variant))
            assert result.due > clock.now
            assert result.rating == (Rating.Again if answer is wrong else Rating.Good)
        assert drill.next() is None
    with DrillStore(course.drills_db) as store:
        cards, counts = store.latest_cards("s3"), store.review_counts("s3")
        assert store.latest_cards("someone-else") == {}
    # right after the session nothing is due: only new questions
    steps = plan(bank, "s3", 5, [], cards, counts, START)
    assert [s["reason"] for s in steps] == ["new"] * 5
    assert not {s["qid"] for s in steps} & {q for q, _ in met}
    # a day later the three are due, the one answered wrongly (Again) first, before anything new
    steps = plan(bank, "s3", 5, [], cards, counts, START + timedelta(days=1))
    assert [s["reason"] for s in steps] == ["due"] * 3 + ["new"] * 2
    assert steps[0]["qid"] == met[1][0]
    # meeting a question again gives a new variant
    assert all(s["seed"] != dict(met)[s["qid"]] for s in steps[:3])


def test_interrupted_terminal_drill_resumes_without_losing_a_review(course, bank):
    db = course.drills_db
    with Drill(bank, db, "s6", count=6, clock=Clock()) as drill:
        planned = drill.plan
        assert run(drill, _quiet(), Answers(drill, stop_after=2)) == 130      # Ctrl+C while the third is asked
    assert [(p, q, s) for _, p, q, s, _ in _reviews(db)] == [(0, *planned[0]), (1, *planned[1])]
    with Drill(bank, db, "s6", count=99, clock=Clock()) as drill:
        assert drill.resumed and drill.answered == 2 and drill.plan == planned
        prompt = drill.next()
        assert (prompt.position, prompt.variant.qid, prompt.variant.seed) == (2, *planned[2])
        assert run(drill, _quiet(), Answers(drill, stop_after=1, error=EOFError)) == 0     # end of piped input
    with Drill(bank, db, "s6", count=6, clock=Clock()) as drill:
        assert run(drill, _quiet(), Answers(drill)) == 0
        assert drill.next() is None
    rows = _reviews(db)
    assert [(p, q, s) for _, p, q, s, _ in rows] == [(i, *planned[i]) for i in range(6)]
    assert all(score == 1.0 for *_, score in rows)
    # finished: the next call plans a new session
    with Drill(bank, db, "s6", count=3, clock=Clock()) as drill:
        assert not drill.resumed


def test_killed_drill_process_resumes(course, bank):
    db = course.drills_db
    with Drill(bank, db, "s7", count=5) as drill:
        planned = drill.plan
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from rich.console import Console
        from graders.bank import load_bank
        from graders.bank._terminal import run
        from graders.bank.drill import Drill
        with Drill(load_bank(Path(sys.argv[1])), Path(sys.argv[2]), "s7", count=5) as drill:
            sys.exit(run(drill, Console(file=sys.stderr)))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(course.bank), str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        for qid, seed in planned[:2]:
            proc.stdin.write(typed(variant(bank.question(qid), seed)) + "\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 120
        while len(_reviews(db)) < 2:
            assert proc.poll() is None, proc.stderr.read()[-2000:]
            assert time.monotonic() < deadline, "the drill process did not record two answers"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)       # while it waits for the third answer
    finally:
        proc.wait(timeout=30)
    assert [(p, q, s) for _, p, q, s, _ in _reviews(db)] == [(0, *planned[0]), (1, *planned[1])]
    with Drill(bank, db, "s7", count=5) as drill:
        assert drill.resumed and drill.next().position == 2
        assert run(drill, _quiet(), Answers(drill)) == 0
    assert [p for _, p, *_ in _reviews(db)] == [0, 1, 2, 3, 4]


def test_piped_stdin_reprompts_on_unreadable_input(course, bank):
    with Drill(bank, course.drills_db, "s8", count=1, clock=Clock()) as drill:
        v = drill.next().variant
        out = io.StringIO()
        stream = io.StringIO("" if v.question.type == "text" else "???\n" + typed(v) + "\n")
        if v.question.type == "text":
            stream = io.StringIO("\n" + typed(v) + "\n")
        assert run(drill, Console(file=out, width=100), stream) == 0
    text = out.getvalue()
    assert "Bitte noch einmal" in text and "Richtig" in text and "Sitzung beendet" in text


def test_widget_drives_the_same_engine(course, bank):
    from graders.bank.widget import DrillWidget

    drill = Drill(bank, course.drills_db, "s9", count=21, clock=Clock())
    widget = DrillWidget(drill)
    seen = set()
    while widget._prompt is not None:
        prompt, kids = widget._prompt, widget.inputs.children
        v, kind = prompt.variant, prompt.question.type
        seen.add(kind)
        if kind == "single":
            kids[0].value = next(i for i, c in enumerate(v.options) if c.correct)
        elif kind == "multiple":
            for box, choice in zip(kids, v.options):
                box.value = choice.correct
        elif kind in ("numeric", "parameterized", "text"):
            kids[0].value = typed(v)
        elif kind == "ordering":
            for position, slot in enumerate(kids[1:]):
                slot.value = v.order.index(position)
        else:
            for slot, (_, right) in zip(kids, v.question.pairs):
                slot.value = right
        widget.submit.click()
        assert "Richtig" in widget.feedback.value, widget.feedback.value
        widget.next_button.click()
    assert "Sitzung beendet" in widget.status.value
    assert len(seen) == 7
    drill.close()
    assert [score for *_, score in _reviews(course.drills_db)] == [1.0] * 21


def test_notebook_only_calls_the_engine():
    nb = nbformat.read(ROOT / "drills" / "drill.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "from graders.bank.widget import drill_widget" in code
    assert "def " not in code and "class " not in code and "sqlite" not in code
    assert (ROOT / "drills" / ".gitignore").read_text().count("*.sqlite") >= 1


def test_review_rows_hold_the_card_state(course, bank):
    with Drill(bank, course.drills_db, "s10", count=1, clock=Clock()) as drill:
        prompt = drill.next()
        drill.answer(prompt, typed(prompt.variant), duration_s=3.5)
    con = sqlite3.connect(course.drills_db)
    row = con.execute("SELECT student, qid, seed, answer, score, rating, reviewed_at, card, due, duration_s "
                      "FROM reviews").fetchone()
    con.close()
    student, qid, seed, answer, score, rating, at, card, due, duration = row
    assert (student, qid, seed, score, rating, duration) == ("s10", prompt.variant.qid, prompt.variant.seed, 1.0,
                                                             int(Rating.Good), 3.5)
    assert json.loads(answer) is not None and at == START.isoformat()
    assert json.loads(card)["due"] == due and datetime.fromisoformat(due) > START
