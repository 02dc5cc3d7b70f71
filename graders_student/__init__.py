"""``graders_student`` where the whole project is installed (instructors, ``make lab``, the grader's
sandbox): the same front as the students' kit, whose wheel ``graders kit`` builds from it."""

from graders._student_api import *  # noqa: F403
from graders._student_api import __all__, __version__  # noqa: F401
