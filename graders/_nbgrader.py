"""The bridge to nbgrader: its release preprocessors and its gradebook, used as a library.

Using nbgrader's own preprocessors for the student version keeps ``release/`` byte-compatible with
``nbgrader generate_assignment``, so that nbgrader's autograde and formgrader work on this tree.
"""

from __future__ import annotations

import copy
import datetime
import functools
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

# nbgrader is imported where it is used: ``import nbgrader`` loads its whole Jupyter server stack
# (~60 packages), and grading (graders.autograde with record_gradebook=False) must run without it.

from .course import CONFIG_NAME

logging.getLogger("traitlets").setLevel(logging.ERROR)

# nbgrader's own processes (its commands, the formgrader) shell out to `alembic` when they create a
# gradebook: the venv's bin/ must be on the PATH they inherit.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


@functools.cache
def _alembic_head() -> str:
    """The head revision of nbgrader's gradebook migrations, which a new gradebook records. nbgrader
    learns it by running ``alembic heads`` in a new process (2 s of CPU for every gradebook created);
    alembic's own API reads the same migration scripts here, once per process."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def _api():
    """``nbgrader.api``, its new gradebooks asking ``_alembic_head`` (also those its preprocessors open)."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = _alembic_head
    return nbgrader.api


def course_config(root: Path):
    """The course's ``nbgrader_config.py`` (code stubs, markers), as nbgrader itself reads it."""
    from traitlets.config.loader import PyFileConfigLoader

    path = root / CONFIG_NAME
    return PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config() if path.is_file() else None


def student_version(source_nb, aid: str, notebook_id: str, config=None, gradebook_url: str | None = None):
    """The release notebook, as ``nbgrader generate_assignment`` makes it (minus header/footer), importing
    the student kit instead of ``graders``."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
                                        ClearSolutions, ComputeChecksums, LockCells, SaveCells)

    nb = copy.deepcopy(source_nb)
    _api()  # SaveCells opens the gradebook
    resources = {"nbgrader": {"assignment": aid, "notebook": notebook_id, "db_url": gradebook_url or ""}}
    kwargs = {"config": config} if config is not None else {}
    chain = [LockCells(**kwargs), ClearSolutions(**kwargs), ClearOutput(**kwargs), CheckCellMetadata(**kwargs),
             ComputeChecksums(**kwargs)]
    if gradebook_url:
        chain.append(SaveCells(**kwargs))
    chain += [ClearHiddenTests(**kwargs), ClearMarkScheme(**kwargs), _KitImports(), ComputeChecksums(**kwargs),
              CheckCellMetadata(**kwargs)]
    for step in chain:
        nb, resources = step.preprocess(nb, resources)
    return nb


class _KitImports:
    """Students import the kit (``_kit.student_imports``) and never see a manual cell's rubric (it
    names the expected answer); the gradebook keeps the source's cells."""

    def preprocess(self, nb, resources):
        from ._kit import student_imports

        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = student_imports(cell.source)
            cell.get("metadata", {}).get("graders", {}).pop("rubric", None)
        return nb, resources


@contextmanager
def gradebook(url: str):
    with _api().Gradebook(url) as gb:
        yield gb


def ensure_assignment(url: str, aid: str, source_notebooks: dict[str, object], config=None,
                      duedate: datetime.datetime | None = None) -> None:
    """Make the gradebook know the assignment and its cells (``nbgrader generate_assignment`` does
    this; a fresh clone has no gradebook.db), and the configured due date (graders.late)."""
    with gradebook(url) as gb:
        gb.update_or_create_assignment(aid, **({"duedate": _naive_utc(duedate)} if duedate else {}))
        known = {nb.name for nb in gb.find_assignment(aid).notebooks}
    for notebook_id, nb in source_notebooks.items():
        if notebook_id not in known:
            student_version(nb, aid, notebook_id, config, gradebook_url=url)


def gradebook_duedate(url: str, aid: str) -> datetime.datetime | None:
    """The due date set with ``nbgrader db assignment add --duedate`` (UTC), if any."""
    from nbgrader.api import MissingEntry

    with gradebook(url) as gb:
        try:
            due = gb.find_assignment(aid).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=datetime.timezone.utc) if due else None


def _naive_utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The gradebook stores naive UTC times."""
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None) if moment else None


def record_submission(url: str, aid: str, student: str, cell_scores: dict[tuple[str, str], float],
                      timestamp: datetime.datetime | None = None,
                      late_penalties: dict[str, float] | None = None,
                      extension: datetime.timedelta | None = None,
                      pending: set[tuple[str, str]] = frozenset()) -> None:
    """Write auto scores, keyed by (notebook id, grade id), the submission time, the student's
    extension of the due date (nbgrader's own column; late days included) and the late penalty per
    notebook id, in one transaction. ``pending``: manually graded cells, left to formgrader (its
    manual score, if any, is kept)."""
    from nbgrader.api import MissingEntry

    with gradebook(url) as gb:
        gb.update_or_create_student(student)
        try:
            submission = gb.find_submission(aid, student)
        except MissingEntry:
            # nbgrader builds the submission's objects before adding them to the session; an autoflush
            # in between only warns (SQLAlchemy SAWarning "not in session") and adds nothing
            with gb.db.no_autoflush:
                submission = gb.add_submission(aid, student)
        submission.timestamp = _naive_utc(timestamp)
        submission.extension = extension or None
        for notebook in submission.notebooks:
            notebook.late_submission_penalty = (late_penalties or {}).get(notebook.name) or None
        for (notebook_id, grade_id), score in cell_scores.items():
            try:
                grade = gb.find_grade(grade_id, notebook_id, aid, student)
            except MissingEntry:
                continue  # a cell the gradebook does not know; grades.json still has it
            grade.auto_score = None if (notebook_id, grade_id) in pending else score
            grade.needs_manual_grade = (notebook_id, grade_id) in pending and grade.manual_score is None
        gb.db.commit()


def auto_scores(url: str, aid: str, student: str) -> dict[tuple[str, str], float | None]:
    with gradebook(url) as gb:
        submission = gb.find_submission(aid, student)
        return {(nb.name, grade.name): grade.auto_score
                for nb in submission.notebooks for grade in nb.grades}


def manual_grades(url: str, aid: str, student: str,
                  cells: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float | None, str]]:
    """Formgrader's manual score and comment of each (notebook id, grade id) it knows."""
    from nbgrader.api import MissingEntry

    found = {}
    with gradebook(url) as gb:
        for notebook_id, grade_id in cells:
            try:
                grade = gb.find_grade(grade_id, notebook_id, aid, student)
            except MissingEntry:
                continue
            try:
                comment = gb.find_comment(grade_id, notebook_id, aid, student).manual_comment or ""
            except MissingEntry:
                comment = ""
            found[notebook_id, grade_id] = (grade.manual_score, comment)
    return found


def show_rubrics(url: str, aid: str, rubrics: dict[tuple[str, str], str]) -> int:
    """Each manual cell's rubric, keyed by (notebook id, grade id; "" for none), as the automatic
    comment of every submission: formgrader shows it in the empty comment box (the grader's own
    comment replaces it). Returns how many comments changed."""
    from nbgrader.api import MissingEntry

    count = 0
    with gradebook(url) as gb:
        try:
            submissions = gb.find_assignment(aid).submissions
        except MissingEntry:
            return 0
        for submission in submissions:
            for notebook in submission.notebooks:
                for comment in notebook.comments:
                    key = (notebook.name, comment.name)
                    if key in rubrics and comment.auto_comment != (rubrics[key] or None):
                        comment.auto_comment, count = rubrics[key] or None, count + 1
        gb.db.commit()
    return count
