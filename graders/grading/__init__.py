"""Grading one submission: the core that ``autograde``, ``validate`` and the Ray actors share.

Pure: it reads the course and the submission, runs the notebooks on an ``Engine`` and returns
typed grades (``graders.grades``); writing them is the caller's job (one writer per course).

    references = prepare(course, aid, engine)
    result = grade_submission(course, aid, student, settings, references, engine)
    result = finish(course, result, late_policy)      # the late penalty, where a due date applies
"""

from ._load import MAX_NOTEBOOK_BYTES, load_submission
from ._notebook import Executed, grade_notebook, run_notebook, score_notebook
from ._settings import Settings
from ._submission import SubmissionResult, crashed_result, finish, grade_safely, grade_submission, prepare

__all__ = ["MAX_NOTEBOOK_BYTES", "Executed", "Settings", "SubmissionResult", "crashed_result", "finish",
           "grade_notebook", "grade_safely", "grade_submission", "load_submission", "prepare", "run_notebook",
           "score_notebook"]
