"""graders: graded exercises and autograding for a German deep-learning course.

The public front. Everything else lives in private modules and the subcommand modules
(``graders.release``, ``graders.validate``, ``graders.autograde``, ``graders.feedback``).
"""

from ._compare import Options, Outcome
from ._compat import check, check_function
from ._convert import ConversionError, to_plain
from ._inputs import array, rand, randint, randn
from ._policy import POLICY, Environment, Tolerance, resolve_precision

__version__ = "0.1.0"


def compare(actual, expected, *, what: str = "Ergebnis", rtol: float | None = None, atol: float | None = None,
            recurrent: bool = False, check_dtype: bool = True, env: Environment = Environment()) -> Outcome:
    """Compare any two values (numbers, lists, NumPy, PyTorch, TensorFlow/Keras) under the policy."""
    from ._compare import compare as _compare

    return _compare(to_plain(actual), to_plain(expected), what=what, env=env,
                    options=Options(rtol=rtol, atol=atol, recurrent=recurrent, check_dtype=check_dtype))


def assert_close(actual, expected, **options) -> None:
    """Raise ``AssertionError`` with the German explanation when ``compare`` fails."""
    outcome = compare(actual, expected, **options)
    if not outcome.ok:
        raise AssertionError(outcome.message)


__all__ = ["POLICY", "ConversionError", "Environment", "Outcome", "Tolerance", "array", "assert_close", "check",
           "check_function", "compare", "rand", "randint", "randn", "resolve_precision", "to_plain"]
