"""German numbers: one formatter, templates filled by context, ambiguous input asked back or refused."""

from __future__ import annotations

import io
import re
import string

import pytest
from rich.console import Console

from graders.bank import AnswerError, grade, load_bank, parse_answer, variant
from graders.bank._grade import AmbiguousAnswer
from graders.bank._numbers import AmbiguousNumber, Precision, format_de, parse_number
from graders.bank._template import render

from .conftest import ROOT

REAL = load_bank(ROOT / "bank")
PARAMETERIZED = [q for q in REAL.questions if q.type == "parameterized"]
SEEDS = range(40)
_NUMBER = re.compile(r"-?\d+(?:(?:\{,\}|,)\d+)?")
_DOT_DECIMAL = re.compile(r"(?<![\w.,{])\d+\.\d+(?![\w.])")
_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)


@pytest.mark.parametrize("value, text, math", [
    (6.666666666666667, "6,66667", "6{,}66667"), (-0.18379999999999996, "-0,1838", "-0{,}1838"),
    (0.1 + 0.2, "0,3", "0{,}3"), (13124211, "13\u202f124\u202f211", "13\\,124\\,211"), (2592, "2592", "2592"),
    (0.0000249, "0,0000249", "0{,}0000249"), (-0.0, "0", "0"), (2.5e-9, "2,5 · 10⁻⁹", "2{,}5 \\cdot 10^{-9}"),
])
def test_format_de(value, text, math):
    assert format_de(value) == text
    assert format_de(value, math_mode=True) == math


def test_format_de_at_a_precision_and_back():
    assert Precision(decimals=3).format(0.028317918542645707) == "0,028"
    assert Precision(digits=3).format(0.00751694681821) == "0,00752"
    for value in (0.25, -1.436, 13500.0, 52386.0, 7.45e-9, 12345.678):
        assert parse_number(format_de(value, 12)) == pytest.approx(value)


@pytest.mark.parametrize("raw, value", [("0,5", 0.5), ("0.5", 0.5), ("0.400", 0.4), ("12.345.678", 12345678),
                                        ("12 345", 12345), ("7,45 · 10⁻⁹", 7.45e-9), ("1,5*10^3", 1500.0)])
def test_parse_number(raw, value):
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw, readings", [("5.400", (5400.0, 5.4)), ("-1.177", (-1177.0, -1.177))])
def test_a_single_thousands_dot_is_ambiguous(raw, readings):
    with pytest.raises(AmbiguousNumber) as caught:
        parse_number(raw)
    assert caught.value.readings == readings and "mehrdeutig" in str(caught.value)


def test_ambiguous_answers_are_asked_back_in_the_drill_and_refused_in_grading(bank):
    from graders.bank._terminal import _which

    v = variant(bank.question("alpha-numeric"), 0)
    with pytest.raises(AmbiguousAnswer) as caught:
        parse_answer(v, "5.400")
    assert isinstance(caught.value, AnswerError) and caught.value.readings == (5400.0, 5.4)
    score, feedback = grade(v, "5.400")
    assert score == 0.0 and "mehrdeutig" in feedback
    out = io.StringIO()
    assert _which(Console(file=out, width=100), caught.value, io.StringIO("2\n")) == 5.4
    assert "5400" in out.getvalue() and "5,4" in out.getvalue()


def test_templates_format_numbers_by_context():
    template = "Text {x}, Formel ${x}$, Code `f({x})`, Liste {v}, ganz {n}, Tabelle {t}, $$y = {v}$$ {answer}"
    out = render(template, {"x": 0.5, "v": [1.5, -2.0], "n": 12000, "t": "| 0.25 | `0.5` |", "answer": 1 / 3},
                 Precision(decimals=2))
    assert out == ("Text 0,5, Formel $0{,}5$, Code `f(0.5)`, Liste (1,5; -2), ganz 12\u202f000, "
                   "Tabelle | 0,25 | `0.5` |, $$y = (1{,}5;\\ -2)$$ 0,33")
    assert render("{a:.2f} und ${a:.1f}$", {"a": 2.345}) == "2,35 und $2{,}3$"   # explicit spec, then German
    assert render("{n} Labels {v}", {"n": 3, "v": [0, 1, 1]}) == "3 Labels (0, 1, 1)"   # whole numbers keep commas


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(text.replace("\\,", "").replace("\u202f", ""))


@pytest.mark.parametrize("q", PARAMETERIZED, ids=lambda q: q.qid)
def test_no_explanation_shows_more_digits_than_the_question_asks_for(q):
    for seed in SEEDS:
        v = variant(q, seed)
        given = {n.lstrip("-") for n in _numbers(v.text)}
        extra = [n for n in _numbers(v.feedback) if n.lstrip("-") not in given and not q.precision.shown_digits(n)]
        assert not extra, f"Seed {seed}: {extra} zeigt mehr als {q.precision.describe()}"


@pytest.mark.parametrize("q", PARAMETERIZED, ids=lambda q: q.qid)
def test_generated_numbers_use_the_decimal_comma(q):
    literal = {part: "".join(lit for lit, *_ in string.Formatter().parse(getattr(q, part))) for part in ("text", "feedback")}
    for seed in SEEDS:
        v = variant(q, seed)
        for part, rendered in (("text", v.text), ("feedback", v.feedback)):
            # whatever dot decimals there are were written in question.yaml, none came from a value
            assert len(_DOT_DECIMAL.findall(_CODE.sub("", rendered))) <= \
                len(_DOT_DECIMAL.findall(_CODE.sub("", literal[part]))), (seed, part, rendered)
            assert not re.search(r"\d\.\d{6,}", _CODE.sub("", rendered)), "Gleitkomma-Rauschen"
