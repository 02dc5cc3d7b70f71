"""Shared fixtures: a throwaway copy of the course, warm workers, and the sample submissions graded once."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from graders._runner import Engine
from graders.course import Course

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Course(ROOT).sample_submissions
SAMPLE_AID = "01-perzeptron"
_COPIED = ("source", "release", "solutions", "content", "bank/topics.yaml", "nbgrader_config.py", "examples")
# One reference cache for every course copied in this test run (both xdist workers): references are keyed
# by the hash of the solution notebook and its data files, so sharing them is always valid, and a solution
# runs once per run, not once per copy. Seeded from the repository's cache (a fresh clone, as in CI, has
# none). A symlink, not a copy: copying grew with every course copied.
_shared_references: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def _shared_reference_cache(tmp_path_factory):
    global _shared_references
    base = tmp_path_factory.getbasetemp()
    run_root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # gw0, gw1 share the parent
    shared = run_root / "references"
    if not shared.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".staging-references-", dir=run_root))
        repository_cache = ROOT / ".graders-cache" / "references"
        if repository_cache.is_dir():  # a half-written entry is a .staging-* folder until its rename: never read
            shutil.copytree(repository_cache, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".staging-*"))
        try:
            os.rename(staging, shared)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # the other worker seeded it
    _shared_references = shared
    yield shared


# `make test` runs two pytest workers, each given one test file at a time (its module fixtures built
# once), except the validations of whole assignments, which are independent and spread over both.
# The longest units go first, then files with slow tests: a long one started last would leave the other
# worker idle at the end (measured: the Ray cluster ~100 s, 05's validation and nbgrader's own
# autograde ~80 s each, then 14 and 06 ~45 s).
# (xdist's own --dist loadgroup cannot express this with pytest 9: it renames items through
# ``item._nodeid``, which pytest 9 no longer reads, and silently falls back to single tests.)
_SPREAD = ("tests/test_content.py::test_assignment_validates[",)
_LONGEST_FIRST = ("tests/test_ray.py", "tests/test_content.py::test_assignment_validates[05-regression]",
                  "tests/test_nbgrader_compat.py", "tests/test_content.py::test_assignment_validates[14-",
                  "tests/test_content.py::test_assignment_validates[06-")


def run_order(nodeid: str, in_slow_file: bool) -> tuple[int, int]:
    """Where a test goes in the run: the longest units first, then files with slow tests, then the rest."""
    longest = [i for i, prefix in enumerate(_LONGEST_FIRST) if nodeid.startswith(prefix)]
    return (0, longest[0]) if longest else (1 if in_slow_file else 2, 0)


def pytest_collection_modifyitems(config, items):
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: run_order(item.nodeid, item.path in slow_files))  # stable: file order otherwise


def scope_of(nodeid: str) -> str:
    """The unit a pytest worker gets whole: the test's file, or the test itself where it spreads."""
    return nodeid if nodeid.startswith(_SPREAD) else nodeid.split("::", 1)[0]


@pytest.hookimpl(optionalhook=True)  # a plain `pytest -p no:xdist` has no such hook
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class FileOrValidation(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    config.option.loadscopereorder = False  # keep the order above (xdist would sort by test count)
    return FileOrValidation(config, log)


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
    assert _shared_references is not None, "copy_course runs inside a test (after the session fixtures)"
    (target / ".graders-cache").mkdir(parents=True, exist_ok=True)
    (target / ".graders-cache" / "references").symlink_to(_shared_references, target_is_directory=True)
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

