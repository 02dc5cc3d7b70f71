"""Item statistics on hand-made response tables whose values are computed by hand below."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from graders.bank._responses import Response, drill_responses, read_responses
from graders.bank.drill import Drill
from graders.bank.stats import analyse, collect

from .conftest import wrong

# rows: students, columns: alpha-single, alpha-numeric, beta-ordering
TABLE = """student,qid,score,answer
s1,alpha-single,1,1
s1,alpha-numeric,1,"0,25"
s1,beta-ordering,1,
s2,alpha-single,1,1
s2,alpha-numeric,0,"0,3"
s2,beta-ordering,1,
s3,alpha-single,0,2
s3,alpha-numeric,1,0.25
s3,beta-ordering,0,
s4,alpha-single,0,3
s4,beta-ordering,0,
"""


def test_facility_discrimination_alpha_by_hand(bank, tmp_path):
    path = tmp_path / "exam.csv"
    path.write_text(TABLE, encoding="utf-8")
    (source,) = collect(bank, None, [path])
    items = {i.qid: i for i in source.items}
    # s4 has no row for alpha-numeric: counts 0 in an exam
    # alpha-single  [1, 1, 0, 0]   rest (numeric + ordering) [2, 1, 1, 0]
    # alpha-numeric [1, 0, 1, 0]   rest (single + ordering)  [2, 2, 0, 0]
    # beta-ordering [1, 1, 0, 0]   rest (single + numeric)   [2, 1, 1, 0]
    assert [items[q].facility for q in ("alpha-single", "alpha-numeric", "beta-ordering")] == [0.5, 0.5, 0.5]
    # r(single): deviations x = ±.5, y = [1, 0, 0, -1]: Σxy = 1, Σx² = 1, Σy² = 2 → 1/√2
    assert items["alpha-single"].discrimination == pytest.approx(1 / math.sqrt(2))
    # r(numeric): x = [.5, -.5, .5, -.5], y = [1, 1, -1, -1]: Σxy = 0
    assert items["alpha-numeric"].discrimination == pytest.approx(0.0)
    assert items["beta-ordering"].discrimination == pytest.approx(1 / math.sqrt(2))
    # alpha: item variances 1/3 each (sum 1), totals [3, 2, 1, 0] variance 5/3 → 3/2 · (1 - 3/5) = 0.6
    assert source.alpha == pytest.approx(0.6)
    assert source.students == 4 and source.kind == "exam"
    # distractors of alpha-single (positions in question.yaml; 1 is the right one)
    shares = {o.option: (o.share, o.correct, o.note) for o in source.options if o.qid == "alpha-single"}
    assert shares == {1: (0.5, True, ""), 2: (0.25, False, ""), 3: (0.25, False, ""), 4: (0.0, False, "nie gewählt")}


def test_flags_too_easy_too_hard_negative(bank):
    scores = {"alpha-single": [1, 1, 1, 1, 1, 1],           # p = 1 → zu leicht
              "alpha-numeric": [0, 0, 0, 0, 0, 1],          # p = 1/6 → zu schwer
              "beta-single": [0, 0, 0, 1, 1, 1],            # against the rest → negative
              "beta-numeric": [1, 1, 1, 0, 0, 0]}
    responses = [Response(f"s{i}", qid, float(v)) for qid, column in scores.items() for i, v in enumerate(column)]
    items = {i.qid: i for i in analyse("t", responses, bank, complete=True).items}
    assert items["alpha-single"].flags == ["zu leicht"] and items["alpha-single"].discrimination is None
    assert items["alpha-numeric"].flags == ["zu schwer"] and items["alpha-numeric"].facility == pytest.approx(1 / 6)
    # x = ±.5, rest = [2, 2, 2, 1, 1, 2] (mean 5/3): Σxy = -1, Σx² = 1.5, Σy² = 4/3 → -1/√2
    assert items["beta-single"].discrimination == pytest.approx(-1 / math.sqrt(2))
    assert items["beta-single"].flags == ["negative Trennschärfe"]
    # the two informative items contradict each other, so both are flagged:
    # beta-numeric x = ±.5, rest = [1, 1, 1, 2, 2, 3] (mean 5/3): Σxy = -2, Σx² = 1.5, Σy² = 10/3 → -2/√5
    assert items["beta-numeric"].discrimination == pytest.approx(-2 / math.sqrt(5))
    assert items["beta-numeric"].flags == ["negative Trennschärfe"]


def test_drill_source_uses_first_attempts_and_mean_rest(bank, course):
    clock = [datetime(2026, 1, 5, tzinfo=timezone.utc)]
    with Drill(bank, course.drills_db, "s1", count=2, clock=lambda: clock[0]) as drill:
        first = drill.next()
        drill.answer(first, wrong(first.variant))
        second = drill.next()
        drill.answer(second, "a" if second.question.type == "single" else wrong(second.variant))
    clock[0] += timedelta(days=2)
    with Drill(bank, course.drills_db, "s1", count=2, clock=lambda: clock[0]) as drill:
        again = drill.next()
        assert again.variant.qid == first.variant.qid          # due again; now answered right
        from graders.bank import solution

        drill.answer(again, solution(again.variant))
    responses = {r.qid: r for r in drill_responses(course.drills_db)}
    assert responses[first.variant.qid].score == 0.0            # the first attempt counts
    (source,) = collect(bank, course.drills_db, [])
    assert source.kind == "drills" and source.alpha is None and source.students == 1


def test_responses_csv_errors(tmp_path):
    from graders.bank import BankError

    bad = tmp_path / "bad.csv"
    bad.write_text("student,score\na,1\n", encoding="utf-8")
    with pytest.raises(BankError, match="qid"):
        read_responses(bad)
    bad.write_text("student;qid;score;answer\na;q;1,5;\n", encoding="utf-8")
    with pytest.raises(BankError, match="zwischen 0 und 1"):
        read_responses(bad)
    good = tmp_path / "good.csv"
    good.write_text("student;qid;score;answer\na;q;0,5;1 3\n", encoding="utf-8")
    assert read_responses(good) == [Response("a", "q", 0.5, (1, 3), "1 3")]
