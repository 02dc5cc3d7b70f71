"""Every hostile or broken submission of the corpus, graded in the sandbox, gains nothing.

The corpus (``corpus.py``) is graded once, as one batch with two workers; then each trick is its own
test: no more points than the blank release (or exactly full marks for correct work with noise), a
grade with a status and a German reason for every cell, grading within its limits. Further tests
check that nothing outside the scratch folders changed: source/, solutions/, release/, the other
submissions and gradebook.db stay byte-identical, no file appears in the course, the temp folder or
the home folder, no connection reaches the grader's loopback, and no process outlives the batch.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from graders._runner import Limits, sandbox
from graders.autograde import Settings, autograde

from ..conftest import copy_course
from . import corpus

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sandbox.problem() is not None, reason=f"no sandbox here: {sandbox.problem()}")]

LIMITS = Limits(cell_timeout=5.0, notebook_timeout=40.0, memory_gib=2.0)  # a corpus cell needs < 1 s
DAEMON_DELAY = 4.0  # the daemon trick writes this long after it started
UNTOUCHABLE = (*corpus.WATCHED, "gradebook.db")


@pytest.fixture(scope="module")
def batch(tmp_path_factory, engine):
    # the session's warm workers: two, sandboxed (this module is skipped where the sandbox cannot run)
    assert engine.workers == 2 and engine.sandboxed
    root = tmp_path_factory.mktemp("adversarial")
    course = copy_course(root)
    listener = corpus.Listener()
    listener.start()
    corpus.build(course.root, course.root / "submitted", port=listener.port)
    autograde(course, corpus.AID, students=["blank_release"], settings=Settings(limits=LIMITS),
              engine=engine)  # gradebook exists
    before = corpus.digest(course.root, UNTOUCHABLE)
    canaries_before = corpus.marks(course.root)
    since = time.time()
    started = time.monotonic()
    # the daemon first: by the end of the batch it has had its chance to write
    students = sorted((t.name for t in corpus.TRICKS), key=lambda name: name != "daemon_outlives_grading")
    results = autograde(course, corpus.AID, students=students, force=True,
                        settings=Settings(limits=LIMITS, workers=2, sandbox=True, record_gradebook=False),
                        engine=engine)
    elapsed = time.monotonic() - started
    time.sleep(max(0.0, DAEMON_DELAY + 2 - elapsed))
    yield {"course": course, "grades": {g.student: g.to_json() for g in results}, "before": before,
           "after": corpus.digest(course.root, UNTOUCHABLE), "canaries": corpus.marks(course.root) - canaries_before,
           "received": listener.received, "orphans": corpus.orphans(since, ("graders._runner.zygote",)),
           "elapsed": elapsed}
    listener.server.close()


@pytest.mark.parametrize("trick", corpus.TRICKS, ids=[t.name for t in corpus.TRICKS])
def test_trick_gains_nothing(batch, trick):
    grades = batch["grades"][trick.name]
    blank = batch["grades"]["blank_release"]["score"]
    cells = [c for nb in grades["notebooks"] for c in nb["cells"]]
    assert cells and all(c["score"] is not None and c["status"] for c in cells)
    assert all(c["message"] for c in cells if c["status"] != "passed"), "every lost point says why"
    if trick.expect == "full":
        assert grades["score"] == grades["max_score"] == 14, cells
    else:
        assert grades["score"] <= blank == 0, [c for c in cells if c["score"]]
    if any(nb["status"] == "graded" for nb in grades["notebooks"]):
        assert grades["environment"]["sandbox"] is True
    assert grades["timing"]["wall_s"] <= LIMITS.notebook_timeout + 30


def test_course_files_and_gradebook_are_byte_identical(batch):
    changed = {k for k in batch["before"].keys() | batch["after"].keys()
               if batch["before"].get(k) != batch["after"].get(k)}
    assert not changed
    assert "gradebook.db" in batch["after"]


def test_nothing_is_planted_outside_the_scratch(batch):
    assert batch["canaries"] == set()


def test_no_connection_reaches_the_loopback(batch):
    assert batch["received"] == []


def test_no_process_outlives_the_batch(batch):
    assert batch["orphans"] == {}


def test_faults_have_their_status(batch):
    status = {name: {c["status"] for nb in g["notebooks"] for c in nb["cells"]} for name, g in batch["grades"].items()}
    assert status["infinite_loop"] == {"timeout"}
    assert status["sleep_forever"] == {"timeout"}
    # the bomb goes off in a solution cell: the tests after it fail, naming the cause
    memory = [c for nb in batch["grades"]["memory_bomb"]["notebooks"] for c in nb["cells"]]
    assert all("Speicher" in c["message"] or "MemoryError" in c["message"] for c in memory), memory[0]["message"]
    assert status["os_exit_mid_notebook"] == {"crashed"}
    assert status["segfault"] == {"crashed"}
    assert status["invalid_json"] == status["empty_file"] == {"invalid"}
    assert status["missing_notebook"] == status["renamed_notebook"] == {"missing"}


def test_the_corpus_is_large_enough():
    hostile = [t for t in corpus.TRICKS if t.expect == "blank" and t.name != "blank_release"]
    assert len(corpus.TRICKS) >= 30 and len(hostile) >= 30
    assert len({t.name for t in corpus.TRICKS}) == len(corpus.TRICKS)


def test_graded_notebooks_keep_the_sources_test_cells(batch):
    """Edited, deleted, reordered or duplicated test cells: the graded notebook has the source's."""
    course = batch["course"]
    for name in ("edit_test_cells", "delete_test_cells", "duplicate_test_cells", "reorder_tests_first"):
        graded = json.loads((course.autograded(name, corpus.AID) / corpus.NOTEBOOK).read_text())
        ids = [c["metadata"]["nbgrader"]["grade_id"] for c in graded["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        assert len(ids) == len(set(ids)) == 8
