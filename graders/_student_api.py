"""The student kit's public front: what a released notebook imports, and nothing of the course.

``graders kit`` copies this file as ``graders_student/__init__.py`` into the kit's wheel, beside the
modules it imports (``_kit.MODULES``: verbatim copies of the grader's own, so a student's kernel compares
with the grader's tolerances and says the grader's German messages). The instructor's install has the
same name as a re-export (``graders_student/``), so released notebooks run in ``make lab`` too.
Only the standard library and NumPy are imported here; PyTorch and TensorFlow values are understood
where the student's kernel has already imported them.
"""

import sys

from . import _local_check as local
from ._compare import Options, Outcome, compare as _compare
from ._convert import ConversionError, to_plain
from ._inputs import array, rand, randint, randn
from ._policy import POLICY, Environment, Tolerance, resolve_precision
from ._variante import Variante, variante

__version__ = "0.1.0"  # graders re-exports it: the kit and the grader have one version


def check(name: str | None = None, /, *, notebook: str | None = None) -> None:
    """``check()``: run the visible tests of every test cell of this notebook and say, in the grader's
    German words, how each went; ``check("test_...")``: of one test cell. ``notebook="datei.ipynb"``
    names the notebook where the kernel cannot find it."""
    local.check(name, sys._getframe(1).f_globals, notebook)


def compare(actual, expected, *, what: str = "Ergebnis", rtol: float | None = None, atol: float | None = None,
            recurrent: bool = False, check_dtype: bool = True, env: Environment = Environment()) -> Outcome:
    """Compare any two values (numbers, lists, NumPy, PyTorch, TensorFlow/Keras) under the policy."""
    return _compare(to_plain(actual), to_plain(expected), what=what, env=env,
                    options=Options(rtol=rtol, atol=atol, recurrent=recurrent, check_dtype=check_dtype))


def assert_close(actual, expected, **options) -> None:
    """Raise ``AssertionError`` with the German explanation when ``compare`` fails."""
    outcome = compare(actual, expected, **options)
    if not outcome.ok:
        raise AssertionError(outcome.message)


def _graded_only(call: str):
    def stand_in(name: str, /, **_options) -> None:
        print(f'{call}("{name}") gehört zu den verdeckten Tests und läuft erst bei der Bewertung. '
              "Prüfe deine Lösung hier mit check().")
    stand_in.__name__ = stand_in.__qualname__ = call
    stand_in.__doc__ = "Only the grader runs this check (a hidden test); in a student's kernel it says so."
    return stand_in


# Hidden tests use these; a released notebook imports them with the rest, so they must exist here.
check_function = _graded_only("check_function")
check_structure = _graded_only("check_structure")

__all__ = ["POLICY", "ConversionError", "Environment", "Outcome", "Tolerance", "array", "assert_close", "check",
           "check_function", "check_structure", "compare", "rand", "randint", "randn", "resolve_precision", "to_plain",
           "Variante", "variante"]
