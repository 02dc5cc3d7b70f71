"""The tolerance policy of ARCHITECTURE.md: defaults picked by the precision a computation used."""

from __future__ import annotations

from dataclasses import dataclass, replace

HALF_PRECISIONS = ("float16", "bfloat16")


@dataclass(frozen=True)
class Tolerance:
    """``|actual - expected| <= atol * max|expected| + rtol * |expected|`` (atol scaled)."""

    rtol: float
    atol: float
    precision: str = "custom"

    def doubled_atol(self) -> "Tolerance":
        return replace(self, atol=2 * self.atol)


# precision name -> defaults; the keys are also what grades.json records.
POLICY: dict[str, Tolerance] = {
    "float64": Tolerance(1e-9, 1e-12, "float64"),
    "float32": Tolerance(1e-5, 1e-6, "float32"),
    "float32-gpu": Tolerance(1e-4, 1e-5, "float32-gpu"),
    "tf32": Tolerance(2e-3, 1e-2, "tf32"),
    "float16": Tolerance(3e-3, 1e-2, "float16"),
    "bfloat16": Tolerance(2e-2, 5e-2, "bfloat16"),
}

_FLOAT_BITS = {"float16": 16, "bfloat16": 16, "float32": 32, "float64": 64, "longdouble": 128}
_COMPLEX_PARTS = {"complex64": "float32", "complex128": "float64"}


@dataclass(frozen=True)
class Environment:
    """What the runner actually used; the precision row follows it.

    ``precision`` is what the computation ran in: float32 by default, as TensorFlow and PyTorch
    compute (and NumPy code mixes in float32 as soon as one operand is float32). A check that needs
    float64 pins it with ``precision="float64"``.
    """

    device: str = "cpu"
    tf32: bool = False
    precision: str = "float32"


def _float_name(dtype_name: str) -> str | None:
    name = _COMPLEX_PARTS.get(dtype_name, dtype_name)
    return name if name in _FLOAT_BITS else None


def resolve_precision(expected_dtype: str, actual_dtype: str, env: Environment = Environment()) -> str:
    """The policy row for comparing ``actual`` against ``expected``.

    The least precise of the computation and the two sides decides, but a student's
    half-precision answer to a full-precision reference is held to float32: only a reference
    computed in half precision earns the half-precision tolerance (otherwise casting to float16
    would loosen the check).
    """
    exp, act = _float_name(expected_dtype), _float_name(actual_dtype)
    if exp is None and act is None:
        return "exact"
    if exp in HALF_PRECISIONS:
        candidates = [exp] + ([act] if act in HALF_PRECISIONS else [])
        return max(candidates, key=lambda name: POLICY[name].rtol)
    if env.precision == "float64" and exp in (None, "float64") and act in (None, "float64"):
        return "float64"
    if env.device == "cuda":
        return "tf32" if env.tf32 else "float32-gpu"
    return "float32"


def tolerance_for(precision: str, *, rtol: float | None = None, atol: float | None = None,
                  recurrent: bool = False) -> Tolerance:
    """Defaults of a policy row, with a check's own overrides applied."""
    base = POLICY.get(precision, Tolerance(0.0, 0.0, precision))
    tol = replace(base, rtol=base.rtol if rtol is None else rtol, atol=base.atol if atol is None else atol)
    return tol.doubled_atol() if recurrent else tol
