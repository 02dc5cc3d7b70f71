"""A batch killed with kill -9 at any moment resumes; every submission ends graded exactly once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders import _nbgrader
from graders._runner import default_engine
from graders.autograde import autograde

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course

pytestmark = pytest.mark.slow

STUDENTS = {f"r{i:02d}": sample for i, sample in enumerate(sorted(p.name for p in SAMPLES.iterdir()) * 2)}


def _fill(course):
    for student, sample in STUDENTS.items():
        shutil.copytree(SAMPLES / sample / SAMPLE_AID, course.submitted(student, SAMPLE_AID))


def test_kill_minus_nine_then_resume(tmp_path, graded, engine):
    course = copy_course(tmp_path)
    _fill(course)
    grader = subprocess.Popen([str(Path(sys.executable).parent / "graders"), "autograde", SAMPLE_AID,
                               "--workers", "2"], cwd=course.root, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    while len(list(course.root.glob(f"autograded/*/{SAMPLE_AID}/grades.json"))) < 3:
        assert grader.poll() is None, grader.stderr.read()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(grader.pid, signal.SIGKILL)
    grader.wait()
    done_before = len(list(course.root.glob(f"autograded/*/{SAMPLE_AID}/grades.json")))
    assert 3 <= done_before < len(STUDENTS)

    # the killed grader ran its own workers in its own process group; the resuming one may borrow warm ones
    resumed = autograde(course, SAMPLE_AID, engine=engine)
    assert len(resumed) == len(STUDENTS) - done_before  # only what was not graded yet
    expected = {s: graded[sample] for s, sample in STUDENTS.items()}
    for student, reference in expected.items():
        grades = json.loads((course.autograded(student, SAMPLE_AID) / "grades.json").read_text())
        assert {g: c["score"] for g, c in cells(grades).items()} == {g: c["score"] for g, c in cells(reference).items()}
        stored = _nbgrader.auto_scores(course.gradebook_url, SAMPLE_AID, student)
        assert stored == {("perzeptron", g): c["score"] for g, c in cells(grades).items()}
    assert not list(course.root.glob(f"autograded/*/.{SAMPLE_AID}.*"))  # no half-written leftovers
    with _nbgrader.gradebook(course.gradebook_url) as gb:
        assert sorted(s.student.id for s in gb.find_assignment(SAMPLE_AID).submissions) == sorted(STUDENTS)


def test_scores_identical_with_one_and_two_workers(tmp_path, graded, engine):
    assert engine.workers == 2 and default_engine().workers == 1  # graded ran on the two
    course = copy_course(tmp_path)
    for sample in graded:
        shutil.copytree(SAMPLES / sample / SAMPLE_AID, course.submitted(sample, SAMPLE_AID))
    # the default engine is the one-worker engine that Settings(workers=1) would start: warm already
    # when test_engine ran before
    one = {g.student: g.to_json() for g in autograde(course, SAMPLE_AID, engine=default_engine())}
    for student, grades in graded.items():
        assert [(c["grade_id"], c["score"], c["status"]) for c in cells(one[student]).values()] == \
               [(c["grade_id"], c["score"], c["status"]) for c in cells(grades).values()]
