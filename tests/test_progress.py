"""Long commands report progress: a bar on a terminal, plain lines in CI, on stderr either way."""

from __future__ import annotations

import re

import pytest

from graders import _progress
from graders.cli import main

from .conftest import copy_course


def test_plain_lines_in_ci(capsys, monkeypatch):
    monkeypatch.setenv("CI", "1")
    with _progress.progress(2, "validate") as step:
        step("a")
        step("b")
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert re.fullmatch(r"validate 1/2 a \(\d+\.\d s, ETA \d+ s\)", lines[0])
    assert re.fullmatch(r"validate 2/2 b \(\d+\.\d s, ETA 0 s\)", lines[1])


def test_the_bar_goes_to_stderr(capsys, monkeypatch):
    monkeypatch.setattr(_progress, "_interactive", lambda: True)
    with _progress.progress(1, "feedback") as step:
        step("s01")
    captured = capsys.readouterr()
    assert captured.out == "" and "feedback s01" in captured.err and "1/1" in captured.err


@pytest.mark.slow
def test_release_reports_each_notebook(tmp_path, capsys, monkeypatch):
    course = copy_course(tmp_path)
    monkeypatch.chdir(course.root)
    monkeypatch.delenv("GRADERS_COURSE_ROOT", raising=False)
    monkeypatch.setenv("CI", "1")
    assert main(["release", "01-perzeptron", "08-clustering"]) == 0
    steps = [line.split(" (")[0] for line in capsys.readouterr().err.splitlines() if line.startswith("release ")]
    assert steps == ["release 1/2 01-perzeptron/perzeptron.ipynb", "release 2/2 08-clustering/clustering.ipynb"]
