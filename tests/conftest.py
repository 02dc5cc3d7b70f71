"""Shared fixtures: a throwaway copy of the course, warm workers, and the sample submissions graded once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graders._runner import Engine
from graders.course import Course

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Course(ROOT).sample_submissions
SAMPLE_AID = "01-perzeptron"
_COPIED = ("source", "release", "solutions", "content", "bank/topics.yaml", "nbgrader_config.py", "examples")
# The repository's reference cache and that of every course copied in this session. References are
# keyed by the hash of the solution notebook and its data files, so reusing them is always valid: a
# solution runs once per session, not once per copy (a fresh clone, as in CI, has no cache at all).
_REFERENCE_CACHES = [ROOT / ".graders-cache" / "references"]


def nbgrader_cell(kind: str, source: str, gid: str, points: float = 1):
    """A code cell with nbgrader markup: ``solution``, ``test`` (graded, with a topic) or ``locked``."""
    import nbformat

    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "schema_version": 3, "locked": kind != "solution",
                                 "solution": kind == "solution", "grade": kind == "test",
                                 **({"points": points} if kind == "test" else {})}
    cell.metadata["graders"] = {"topics": ["numpy"]} if kind == "test" else {}
    return cell


def copy_course(target: Path, parts=_COPIED) -> Course:
    for part in parts:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / part)
    references = target / ".graders-cache" / "references"
    for cache in _REFERENCE_CACHES:
        if cache.is_dir():  # a half-written entry is a .staging-* folder until its rename: never read
            shutil.copytree(cache, references, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".staging-*"))
    _REFERENCE_CACHES.append(references)
    return Course(target)


@pytest.fixture(scope="session")
def engine():
    """Two warm workers for every test that grades without testing how workers start, stop, or are
    configured: each start imports TensorFlow and PyTorch (5-20 s). Sandboxed where the sandbox can
    run, as ``autograde`` is by default. A run that kills its worker gets a fresh one (``Engine.run``)."""
    with Engine(workers=2) as warm:
        yield warm


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Course:
    return copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def graded(course, engine) -> dict[str, dict]:
    """The shipped sample submissions of 01-perzeptron, graded once (two workers): student -> grades.json."""
    from graders.autograde import autograde

    for student_dir in SAMPLES.iterdir():
        shutil.copytree(student_dir / SAMPLE_AID, course.submitted(student_dir.name, SAMPLE_AID))
    autograde(course, SAMPLE_AID, force=True, engine=engine)
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

