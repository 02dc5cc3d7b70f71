"""`nbgrader autograde` on the same sample submissions gives the same per-cell scores.

Inside nbgrader's kernel, `check`/`check_function` compute the reference in a separate process
(graders._compat) and compare in the kernel; the engine parses them instead. Same verdicts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from graders import _markup as markup
from graders import _nbgrader

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course

pytestmark = pytest.mark.slow


def _nbgrader_autograde(course) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
               TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", SAMPLE_AID],
                          cwd=course.root, env=env, capture_output=True, text=True, timeout=1500)


def test_nbgrader_autograde_agrees_with_graders(tmp_path, graded):
    # nbgrader grades one notebook at a time, each in a kernel that imports TensorFlow and PyTorch:
    # one nbgrader process per core (at least two), each on its own course copy and gradebook
    students = sorted(p.name for p in SAMPLES.iterdir())
    processes = min(len(students), max(2, len(os.sched_getaffinity(0))))
    shares = [students[i::processes] for i in range(processes)]
    courses = [copy_course(tmp_path / f"course-{i}") for i in range(len(shares))]
    course_of = {}
    for course, share in zip(courses, shares):
        for student in share:
            shutil.copytree(SAMPLES / student / SAMPLE_AID, course.submitted(student, SAMPLE_AID))
            course_of[student] = course
        _nbgrader.ensure_assignment(course.gradebook_url, SAMPLE_AID,
                                    {p.stem: markup.read_notebook(p) for p in course.notebooks(SAMPLE_AID)})
    with ThreadPoolExecutor(max_workers=len(courses)) as pool:
        runs = list(pool.map(_nbgrader_autograde, courses))
    for done in runs:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert set(course_of) == set(graded)
    for student, grades in graded.items():
        nbgrader_scores = _nbgrader.auto_scores(course_of[student].gradebook_url, SAMPLE_AID, student)
        ours = {("perzeptron", gid): c["score"] for gid, c in cells(grades).items()}
        assert nbgrader_scores == ours, student


def test_a_new_gradebook_records_the_migration_head_without_starting_alembic(tmp_path, monkeypatch):
    """nbgrader runs ``alembic heads`` in a new process for every gradebook it creates (2 s of CPU);
    ours asks alembic in this process, and the gradebook records the same revision."""
    import sqlite3

    from nbgrader.dbutil import _temp_alembic_ini

    with _temp_alembic_ini(f"sqlite:///{tmp_path / 'unused.db'}") as ini:
        printed = subprocess.run([str(Path(sys.executable).parent / "alembic"), "-c", ini, "heads"],
                                 capture_output=True, text=True, check=True).stdout

    def no_process(*args, **kwargs):
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(subprocess, "check_output", no_process)  # nbgrader.api calls it as sp.check_output
    with _nbgrader.gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}"):
        pass
    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(printed.split()[0],)]
