"""Seeded input generators for ``check_function``: the same values in every process.

Hidden tests call these by name; the grader evaluates the calls itself (see ``_checks``), so
they must stay pure functions of their arguments.
"""

from __future__ import annotations

import numpy as np

_DTYPES = ("float64", "float32", "float16", "int64", "int32", "bool")


def _dtype(name: str) -> np.dtype:
    if name not in _DTYPES:
        raise ValueError(f"dtype must be one of {_DTYPES}, not {name!r}")
    return np.dtype(name)


def rand(*shape: int, seed: int, low: float = -1.0, high: float = 1.0, dtype: str = "float64") -> np.ndarray:
    """Uniform values in [low, high)."""
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(_dtype(dtype))


def randn(*shape: int, seed: int, scale: float = 1.0, dtype: str = "float64") -> np.ndarray:
    """Normally distributed values with standard deviation ``scale``."""
    return (np.random.default_rng(seed).standard_normal(size=shape) * scale).astype(_dtype(dtype))


def randint(low: int, high: int, *shape: int, seed: int, dtype: str = "int64") -> np.ndarray:
    """Integers in [low, high)."""
    return np.random.default_rng(seed).integers(low, high, size=shape).astype(_dtype(dtype))


def array(values, dtype: str = "float64") -> np.ndarray:
    """A literal array."""
    return np.array(values, dtype=_dtype(dtype))


def from_plain(plain):
    """Plain data (as checks travel between processes) back to the Python values a function gets:
    arrays stay arrays, 0-d arrays become Python numbers."""
    from ._convert import Array

    if isinstance(plain, Array):
        return plain.value if plain.value.ndim else plain.value.item()
    if isinstance(plain, dict):
        return {k: from_plain(v) for k, v in plain.items()}
    if isinstance(plain, list):
        return [from_plain(v) for v in plain]
    return plain


def check_arguments(args, kwargs: dict, tensors: str | None) -> tuple[list, dict]:
    """The exact arguments a check passes, in the grader's runner and in a plain kernel alike."""
    from ._convert import to_plain

    return ([as_framework(from_plain(to_plain(v)), tensors) for v in args],
            {k: as_framework(from_plain(to_plain(v)), tensors) for k, v in kwargs.items()})


def as_framework(value, tensors: str | None):
    """An input as the check asked for it: NumPy arrays become torch or tf tensors."""
    if tensors is None or not isinstance(value, np.ndarray):
        return value
    if tensors == "torch":
        import torch

        return torch.from_numpy(value.copy())
    import tensorflow as tf

    return tf.constant(value)


GENERATORS = {"rand": rand, "randn": randn, "randint": randint, "array": array}
