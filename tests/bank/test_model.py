"""Loading, variants and grading: every question type, tolerances, German decimal comma."""

from __future__ import annotations

import pytest

from graders.bank import AnswerError, Tolerance, grade, parse_answer, solution, variant
from graders.bank._grade import REVIEW_NOTE
from graders.bank._numbers import format_de, parse_number

from .conftest import typed


def test_every_type_loads_and_its_solution_scores_one(bank):
    assert {q.type for q in bank.questions} == {"single", "multiple", "numeric", "parameterized", "text",
                                                 "ordering", "matching"}
    for q in bank.questions:
        for seed in range(5):
            v = variant(q, seed)
            assert grade(v, solution(v))[0] == 1.0, q.qid
            assert grade(v, typed(v))[0] == 1.0, q.qid


def test_variant_is_deterministic_and_shuffles_by_seed(bank):
    q = bank.question("alpha-single")
    assert variant(q, 3) == variant(q, 3)
    assert len({variant(q, s).order for s in range(20)}) > 1
    ordering = bank.question("alpha-ordering")
    # the shown order never gives the answer away
    assert all(variant(ordering, s).order != (0, 1, 2, 3) for s in range(30))


def test_parameterized_renders_generator_values(bank):
    q = bank.question("beta-param")
    v = variant(q, 7)
    a, b = v.params["a"], v.params["b"]
    assert v.answer == a * b
    # doubled braces became single ones; numbers in math mode grouped with a LaTeX thin space
    assert f"${format_de(a, math_mode=True)} \\cdot {format_de(b, math_mode=True)}$ in $\\{{x\\}}$" in v.text
    assert v.feedback == f"Es ist {format_de(a)} · {format_de(b)} = {format_de(a * b)}."
    assert variant(q, 8).params != v.params


@pytest.mark.parametrize("raw, value", [("0,25", 0.25), ("0.25", 0.25), (" −3,5 ", -3.5), ("1.234,5", 1234.5),
                                        ("1,234.5", 1234.5), ("2,5e-3", 0.0025), ("12 MB", 12.0), ("1 000", 1000)])
def test_parse_number_accepts_german_input(raw, value):
    assert parse_number(raw, unit="MB") == pytest.approx(value)


def test_numeric_grading_with_comma_and_tolerance(bank):
    v = variant(bank.question("alpha-numeric"), 0)
    assert grade(v, "0,25")[0] == 1.0
    assert grade(v, "0,259")[0] == 1.0          # abs 0.01
    score, feedback = grade(v, "0,27")
    assert score == 0.0 and "Richtig ist 0,25 (± 0,01)" in feedback
    score, feedback = grade(v, "viel")
    assert score == 0.0 and "keine Zahl" in feedback


def test_relative_and_sigfig_tolerances():
    assert Tolerance("rel", 0.01).accepts(101.0, 100.0)
    assert not Tolerance("rel", 0.01).accepts(101.5, 100.0)
    sig = Tolerance("sigfigs", 3)
    assert sig.absolute(0.0123456) == pytest.approx(0.00005)
    assert sig.accepts(0.01234, 0.0123456) and not sig.accepts(0.0124, 0.0123456)
    assert sig.absolute(98765) == pytest.approx(50)


def test_multiple_gives_partial_credit_right_minus_wrong_floor_zero(bank):
    q = bank.question("alpha-multiple")        # r0, r1, r2 right; f3, f4 wrong
    v = variant(q, 0)
    assert grade(v, [0, 1, 2])[0] == 1.0
    assert grade(v, [0, 1])[0] == pytest.approx(2 / 3)
    assert grade(v, [0, 1, 2, 3])[0] == pytest.approx(1 - 1 / 2)
    assert grade(v, [0, 3, 4])[0] == 0.0       # 1/3 - 1 floors at 0
    score, feedback = grade(v, [0, 3])
    assert "„f3“ (gewählt, ist aber falsch)" in feedback
    assert "„r1“ (nicht gewählt, ist aber richtig)" in feedback


def test_single_feedback_names_the_right_answer(bank):
    v = variant(bank.question("beta-single"), 2)
    wrong = next(i for i, c in enumerate(v.options) if not c.correct)
    score, feedback = grade(v, chr(ord("a") + wrong))
    assert score == 0.0 and "Richtig ist: richtig normal" in feedback


def test_text_regex_and_review_note(bank):
    v = variant(bank.question("alpha-text"), 0)
    assert grade(v, "Das ist die ELBOW-Methode")[0] == 1.0
    score, feedback = grade(v, "weiß nicht")
    assert score == 0.0 and REVIEW_NOTE in feedback and "Musterlösung: Ellenbogenkriterium" in feedback


def test_ordering_is_all_or_nothing_and_names_wrong_positions(bank):
    v = variant(bank.question("alpha-ordering"), 0)
    assert grade(v, [0, 1, 2, 3])[0] == 1.0
    score, feedback = grade(v, [0, 2, 1, 3])
    assert score == 0.0 and "Falsch an Position 2, 3." in feedback


def test_matching_scores_fraction_of_pairs(bank):
    v = variant(bank.question("beta-matching"), 0)
    rights = [r for _, r in v.question.pairs]
    assert grade(v, rights)[0] == 1.0
    assert grade(v, [rights[0], rights[2], rights[1]])[0] == pytest.approx(1 / 3)


def test_parse_answer_maps_displayed_labels_to_question_order(bank):
    v = variant(bank.question("alpha-single"), 5)
    shown_right = next(i for i, c in enumerate(v.options) if c.correct)
    assert parse_answer(v, chr(ord("a") + shown_right)) == 0     # index 0 in question.yaml is the right one
    assert parse_answer(v, str(shown_right + 1)) == 0
    with pytest.raises(AnswerError):
        parse_answer(v, "z")
    with pytest.raises(AnswerError):
        parse_answer(variant(bank.question("alpha-ordering"), 0), "1 1 2 3")
