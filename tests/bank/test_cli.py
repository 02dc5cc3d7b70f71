"""The commands through their own parser (graders/cli.py adds them with ``add_commands``)."""

from __future__ import annotations

import argparse
import io
import json
import sys

import yaml

from graders.bank.cli import add_commands

from .conftest import write_grades


def _run(course, *argv) -> int:
    parser = argparse.ArgumentParser(prog="graders")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args, course)


def test_bank_validate_ok_and_failing(course, capsys):
    assert _run(course, "bank", "validate") == 0
    out = capsys.readouterr().out
    assert "OK" in out and "21 Fragen in 3 Themen" in out and "parameterized 3" in out
    path = course.bank / "alpha" / "alpha-text" / "question.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["accepted"] = ["(unclosed"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert _run(course, "bank", "validate") == 1
    assert "alpha/alpha-text: accepted: '(unclosed' ist kein gültiger regulärer Ausdruck" in capsys.readouterr().out


def test_bank_export(course, tmp_path, capsys):
    out = tmp_path / "x" / "bank.xml"
    assert _run(course, "bank", "export", "--format", "moodle-xml", "--out", str(out), "--topic", "gamma") == 0
    assert out.is_file() and "11 Fragen" in capsys.readouterr().out
    both = tmp_path / "x" / "two.gift"
    assert _run(course, "bank", "export", "--format", "gift", "--out", str(both), "--topic", "alpha", "gamma") == 0
    assert "22 Fragen" in capsys.readouterr().out


def test_drill_with_piped_stdin(course, monkeypatch, capsys):
    write_grades(course.root, "s1", "01-perzeptron", [(0, 2, ["gamma"])])
    monkeypatch.setattr(sys, "stdin", io.StringIO("a\n"))      # one answer, then end of input
    assert _run(course, "drill", "--student", "s1", "--count", "3") == 0
    out = capsys.readouterr().out
    assert "Frage 1/3 · Thema Gamma" in out and "Unterbrochen: 1 von 3 Antworten sind gespeichert" in out
    assert course.drills_db.is_file()


def test_exam_and_stats(course, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("ID number,First name,Last name\n1,Anna,A\n2,Ben,B\n", encoding="utf-8")
    out = tmp_path / "exam"
    assert _run(course, "exam", "--questions", "5", "--seed", "3", "--roster", str(roster), "--out", str(out)) == 0
    assert (out / "1" / "pruefung.html").is_file() and (out / "2" / "loesung.html").is_file()
    assert "5 Aufgaben aus" in capsys.readouterr().out
    same = tmp_path / "same"
    assert _run(course, "exam", "--questions", "5", "--seed", "3", "--roster", str(roster), "--out", str(same),
                "--same-questions") == 0
    assert "alle dieselben Fragen" in capsys.readouterr().out
    manifest = json.loads((same / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["same_questions"] and len({str([v["qid"] for v in s["variants"]]) for s in manifest["students"]}) == 1
    responses = tmp_path / "r.csv"
    responses.write_text("student,qid,score,answer\n1,alpha-single,1,1\n2,alpha-single,0,2\n"
                         "1,beta-numeric,1,\n2,beta-numeric,1,\n", encoding="utf-8")
    target = tmp_path / "stats.json"
    assert _run(course, "bank", "stats", "--responses", str(responses), "--json", str(target)) == 0
    shown = capsys.readouterr().out
    assert "alpha-single" in shown and "Cronbachs α" in shown
    document = json.loads(target.read_text(encoding="utf-8"))
    (source,) = document["sources"]
    assert {i["qid"]: i["facility"] for i in source["items"]} == {"alpha-single": 0.5, "beta-numeric": 1.0}
    assert source["items"][1]["flags"] == ["zu leicht"]
