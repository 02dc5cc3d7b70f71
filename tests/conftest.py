"""Shared fixtures: a throwaway copy of the course, and the sample submissions graded once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graders.course import Course

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Course(ROOT).sample_submissions
SAMPLE_AID = "01-perzeptron"
_COPIED = ("source", "release", "solutions", "content", "bank/topics.yaml", "nbgrader_config.py", "examples")


def copy_course(target: Path, parts=_COPIED) -> Course:
    for part in parts:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / part)
    cache = ROOT / ".graders-cache" / "references"
    if cache.is_dir():  # references are keyed by content hash: reusing them is always valid
        shutil.copytree(cache, target / ".graders-cache" / "references")
    return Course(target)


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Course:
    return copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def graded(course) -> dict[str, dict]:
    """The shipped sample submissions of 01-perzeptron, graded once: student -> grades.json."""
    from graders.autograde import autograde

    for student_dir in SAMPLES.iterdir():
        shutil.copytree(student_dir / SAMPLE_AID, course.submitted(student_dir.name, SAMPLE_AID))
    autograde(course, SAMPLE_AID, force=True)
    return {s: json.loads((course.autograded(s, SAMPLE_AID) / "grades.json").read_text())
            for s in course.students(SAMPLE_AID)}


def cells(grades: dict) -> dict[str, dict]:
    return {c["grade_id"]: c for nb in grades["notebooks"] for c in nb["cells"]}


@pytest.fixture(scope="session")
def report_course(course, graded, tmp_path_factory) -> Course:
    """A course that holds only the graded samples and their grading history (other tests add
    students to ``course``): what the report tests read."""
    target = copy_course(tmp_path_factory.mktemp("report-course"), ("source", "bank/topics.yaml", "nbgrader_config.py"))
    for student in graded:
        shutil.copytree(course.submitted(student, SAMPLE_AID), target.submitted(student, SAMPLE_AID))
        shutil.copytree(course.autograded(student, SAMPLE_AID), target.autograded(student, SAMPLE_AID))
    lines = course.history(SAMPLE_AID).read_text(encoding="utf-8").splitlines()
    target.history(SAMPLE_AID).parent.mkdir(parents=True)
    target.history(SAMPLE_AID).write_text("".join(line + "\n" for line in lines
                                                  if json.loads(line)["student"] in graded), encoding="utf-8")
    return target
