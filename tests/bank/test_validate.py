"""``graders bank validate``: the real bank passes; broken small banks name their problems."""

from __future__ import annotations

import shutil

import pytest
import yaml

from graders.bank.validate import MIN_NUMERIC_SHARE, validate_bank

from .conftest import ROOT, make_bank, qid_uuid


def test_the_real_bank_validates_including_exports():
    report = validate_bank(ROOT / "bank")
    assert report.problems == []
    assert report.questions >= 400 and report.topics == 52
    assert set(report.per_type) == {"single", "multiple", "numeric", "parameterized", "text", "ordering", "matching"}
    assert report.numeric_share >= MIN_NUMERIC_SHARE
    assert set(report.exports) == {"gift", "moodle-xml", "anki", "json"}


def test_small_bank_validates(tmp_path):
    report = validate_bank(make_bank(tmp_path))
    assert report.ok and report.questions == 21 and report.exports["gift"] == 33


def _edit(bank, topic, qid, **changes):
    path = bank / topic / qid / "question.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("breakage, message", [
    (lambda b: _edit(b, "alpha", "alpha-single", feedback=None),
     "alpha/alpha-single: Schlüssel fehlen für Typ single: feedback"),
    (lambda b: _edit(b, "alpha", "alpha-numeric", tolerance={"abs": 0.1, "rel": 0.1}),
     "genau einen von abs, rel, sigfigs"),
    (lambda b: _edit(b, "beta", "beta-single", uuid=qid_uuid("alpha-single")), "uuid"),
    (lambda b: _edit(b, "beta", "beta-text", sample_answer="Knick"), "Musterlösung passt auf kein Muster"),
    (lambda b: _edit(b, "beta", "beta-param", text="Was ist {c}?"), "Text passt nicht zu den Parametern"),
    (lambda b: _edit(b, "gamma", "gamma-multiple", answers=[{"text": "x", "correct": False, "feedback": "f"}] * 4),
     "multiple braucht"),
    (lambda b: (b / "beta" / "beta-param" / "generator.py").write_text(
        "import random\n\ndef generate(seed):\n    return {'a': random.random(), 'b': 1}\n\n"
        "def solve(p):\n    return p['a']\n"), "nicht deterministisch"),
    (lambda b: (b / "beta" / "beta-param" / "generator.py").write_text(
        "def generate(seed):\n    return {'a': seed, 'b': 1}\n\ndef solve(p):\n    return float('nan')\n"),
     "solve() liefert nan"),
    (lambda b: [shutil.rmtree(b / "gamma" / q) for q in ("gamma-text", "gamma-ordering")], "Thema gamma: 5 Fragen"),
])
def test_broken_questions_are_reported(tmp_path, breakage, message):
    bank = make_bank(tmp_path)
    breakage(bank)
    report = validate_bank(bank)
    assert not report.ok
    assert any(message in problem for problem in report.problems), report.problems


def test_too_few_numeric_questions(tmp_path):
    bank = make_bank(tmp_path)
    for i in range(4):
        target = bank / "alpha" / f"alpha-extra-{i}"
        shutil.copytree(bank / "alpha" / "alpha-single", target)
        _edit(bank, "alpha", f"alpha-extra-{i}", uuid=qid_uuid(f"extra-{i}"))
    report = validate_bank(bank, exports=False)
    assert any("numerische/parametrisierte" in p for p in report.problems)


def test_half_german_numbers_in_the_wording_are_hinted_not_failed(tmp_path):
    bank = make_bank(tmp_path)
    _edit(bank, "alpha", "alpha-single", text="Die Schwelle ist 0.73; Code `x = 0.5` zählt nicht.")
    _edit(bank, "beta", "beta-single", text="Die Werte sind $(0{,}5,\\ 1{,}5)$.")
    report = validate_bank(bank, exports=False)
    assert report.ok
    dots, lists = report.hints
    assert dots.startswith("1 Fragen schreiben Zahlen mit Punkt") and dots.endswith("alpha-single")
    assert lists.endswith(": beta-single")
    assert validate_bank(make_bank(tmp_path / "clean"), exports=False).hints == []
