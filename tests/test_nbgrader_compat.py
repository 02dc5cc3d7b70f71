"""`nbgrader autograde` on the same sample submissions gives the same per-cell scores.

Inside nbgrader's kernel, `check`/`check_function` compute the reference in a separate process
(graders._compat) and compare in the kernel; the engine parses them instead. Same verdicts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import _markup as markup
from graders import _nbgrader

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course

pytestmark = pytest.mark.slow


def test_nbgrader_autograde_agrees_with_graders(tmp_path, graded):
    course = copy_course(tmp_path)
    for student_dir in SAMPLES.iterdir():
        shutil.copytree(student_dir / SAMPLE_AID, course.submitted(student_dir.name, SAMPLE_AID))
    _nbgrader.ensure_assignment(course.gradebook_url, SAMPLE_AID,
                                {p.stem: markup.read_notebook(p) for p in course.notebooks(SAMPLE_AID)})
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
               TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", SAMPLE_AID],
                          cwd=course.root, env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for student, grades in graded.items():
        nbgrader_scores = _nbgrader.auto_scores(course.gradebook_url, SAMPLE_AID, student)
        ours = {("perzeptron", gid): c["score"] for gid, c in cells(grades).items()}
        assert nbgrader_scores == ours, student
