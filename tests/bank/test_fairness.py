"""Fairness of parameterized questions over many seeds: wrong formulas, guessable answers, tolerances."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from graders.bank import _fairness, load_bank
from graders.bank.validate import validate_bank

from .conftest import ROOT, make_bank

ATTENTION = textwrap.dedent('''
    import math
    import random


    def generate(seed):
        rng = random.Random(seed)
        q = [rng.randint(-2, 2) for _ in range(2)]
        k1 = [rng.randint(-2, 2) for _ in range(2)]
        k2 = [rng.randint(-2, 2) for _ in range(2)]
        return {"a": q[0] * k1[0] + q[1] * k1[1], "b": q[0] * k2[0] + q[1] * k2[1]}


    def solve(p):
        return 1 / (1 + math.exp((p["b"] - p["a"]) / math.sqrt(2)))


    def distractors(p):
        return {"ohne Skalierung": 1 / (1 + math.exp(p["b"] - p["a"]))}
''')


def _question(bank, generator: str, **yaml_changes):
    folder = bank / "beta" / "beta-param"
    (folder / "generator.py").write_text(generator, encoding="utf-8")
    data = yaml.safe_load((folder / "question.yaml").read_text(encoding="utf-8"))
    data.update({"text": "Berechne $\\alpha$ für {a} und {b}.", "feedback": "Es ist {answer}.", **yaml_changes})
    (folder / "question.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_bank(bank).question("beta-param")


def test_the_old_attention_generator_is_caught_twice(tmp_path):
    """Equal dot products (α = 0,5 for free) and a forgotten √d inside ± 0,005 on some seeds."""
    q = _question(make_bank(tmp_path), ATTENTION, tolerance={"abs": 0.005})
    problems = _fairness.check(q)
    assert any("triviale Antwort 0,5" in p for p in problems), problems
    assert any("„ohne Skalierung“" in p and "von 200 Seeds" in p for p in problems), problems


def test_a_fair_generator_passes_and_validate_reports_its_distractors(tmp_path):
    # redraw until the dot products differ by 2 to 5: no tie, no saturation, √d matters
    generator = ATTENTION.replace("    q = [", "    while True:\n        q = [").replace(
        "    k1 = [", "        k1 = [").replace("    k2 = [", "        k2 = [").replace(
        '    return {"a"', '        p = {"a"').replace(
        "q[1] * k2[1]}\n", "q[1] * k2[1]}\n        if 2 <= abs(p['a'] - p['b']) <= 5:\n            return p\n")
    bank = make_bank(tmp_path)
    q = _question(bank, generator, tolerance={"abs": 0.005})
    assert _fairness.check(q) == []
    report = validate_bank(bank, exports=False)
    assert report.ok and report.distractors == 1


def test_relative_error_and_counts(tmp_path):
    small = "def generate(seed):\n    return {'a': seed % 7 + 1, 'b': 0}\n\ndef solve(p):\n    return p['a'] / 100\n"
    q = _question(make_bank(tmp_path), small, tolerance={"abs": 0.005})
    assert any("mehr als 20 % der Antwort 0,01" in p for p in _fairness.check(q))
    half = "def generate(seed):\n    return {'a': seed + 2, 'b': 0}\n\ndef solve(p):\n    return p['a'] * 0.15\n"
    bank = make_bank(tmp_path / "counts")
    q = _question(bank, half, tolerance={"abs": 0.01}, text="Wie viele Tokens sind es bei {a}?")
    assert any("„Wie viele“ verlangt eine ganze Zahl" in p for p in _fairness.check(q))


def test_declared_answer_sets_allow_few_values_but_not_a_dominant_one(tmp_path):
    step = ("ANSWERS = (0, 1)\n\ndef generate(seed):\n    return {'a': seed, 'b': 0}\n\n"
            "def solve(p):\n    return float(p['a'] % {k} == 0)\n")
    bank = make_bank(tmp_path)
    assert _fairness.check(_question(bank, step.replace("{k}", "2"), tolerance={"abs": 0.01})) == []
    lopsided = _fairness.check(_question(bank, step.replace("{k}", "10"), tolerance={"abs": 0.01}))
    assert lopsided and "die Antwort 0 kommt in 90 % der Seeds vor" in lopsided[0]
    undeclared = step.replace("{k}", "2").replace("ANSWERS = (0, 1)\n", "")
    assert any("Raten lohnt sich" in p for p in _fairness.check(_question(bank, undeclared, tolerance={"abs": 0.01})))


def test_rounding_to_the_asked_digits_must_be_accepted(tmp_path):
    third = "def generate(seed):\n    return {'a': seed + 1, 'b': 0}\n\ndef solve(p):\n    return p['a'] + 1 / 3\n"
    q = _question(make_bank(tmp_path), third, tolerance={"abs": 0.0001},
                  text="Berechne {a} + 1/3 (auf 2 Nachkommastellen).")
    assert any("auf 2 Nachkommastellen gerundete Antwort" in p for p in _fairness.check(q))


@pytest.mark.parametrize("qid, label", [
    ("attn-gewicht-zwei-keys", "ohne Skalierung durch √d_k"), ("rnn-vorwaerts", "h_1 ignoriert"),
    ("gru-zustand", "vertauschte Gate-Konvention"), ("lstm-cellstate", "Gates vertauscht"),
    ("bertgpt-next-token-wahrscheinlichkeit", "Sigmoid des Logits"), ("bertgpt-mlm-anzahl", "15 % vergessen"),
])
def test_the_named_questions_declare_their_wrong_formulas(qid, label):
    q = load_bank(ROOT / "bank").question(qid)
    from graders.bank import _generators

    labels = _generators.generator(q).distractors(_generators.parameters(q, 0))
    assert any(key.startswith(label) for key in labels), labels
    assert _fairness.check(q) == []
