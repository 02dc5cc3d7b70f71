"""Compare plain data under the tolerance policy; explain a mismatch in German.

Messages name shapes, dtypes, counts, the largest differences (rounded to two significant digits)
and where they occur, never a reference value: they go to students about hidden tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ._convert import Array
from ._policy import Environment, resolve_precision, tolerance_for

_KIND_GROUPS = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}
_KIND_WORDS = {"bool": "Wahrheitswerte (bool)", "int": "Ganzzahlen", "float": "Gleitkommazahlen",
               "complex": "komplexe Zahlen"}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""
    precision: str = ""


@dataclass(frozen=True)
class Options:
    """A check's own settings; ``None`` keeps the policy default."""

    rtol: float | None = None
    atol: float | None = None
    recurrent: bool = False
    check_dtype: bool = True
    exact_dtype: bool = False  # dtype names must match (float32 vs float64), not only kinds
    precision: str | None = None  # pins the computation's precision (e.g. "float64")


def compare(actual, expected, *, what: str = "Ergebnis", options: Options = Options(),
            env: Environment = Environment()) -> Outcome:
    """Compare two plain-data trees (see ``_convert``); ``what`` names the value for messages."""
    if isinstance(expected, Array):
        if not isinstance(actual, Array):
            return Outcome(False, f"{what}: erwartet wird ein Zahlenwert oder Array, erhalten {_describe(actual)}.")
        return _compare_arrays(actual, expected, what, options, env)
    if isinstance(expected, dict):
        return _compare_dicts(actual, expected, what, options, env)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return Outcome(False, f"{what}: erwartet wird eine Liste, erhalten {_describe(actual)}.")
        if len(actual) != len(expected):
            return Outcome(False, f"{what}: die Liste hat {len(actual)} Einträge, erwartet werden {len(expected)}.")
        return _first_failure(
            (compare(a, e, what=f"{what}[{i}]", options=options, env=env) for i, (a, e) in enumerate(zip(actual, expected))))
    if isinstance(expected, str):
        if not isinstance(actual, str):
            return Outcome(False, f"{what}: erwartet wird ein Text (str), erhalten {_describe(actual)}.")
        return Outcome(actual == expected, "" if actual == expected else f"{what}: der Text stimmt nicht.")
    if expected is None:
        return Outcome(actual is None, "" if actual is None else f"{what}: erwartet wird None, erhalten {_describe(actual)}.")
    raise TypeError(f"not plain data: {type(expected)!r}")


def same_tree(actual, expected, same_arrays) -> bool:
    """The same plain-data tree (keys, lengths, texts, None), its array leaves judged by ``same_arrays``."""
    if isinstance(expected, Array):
        return isinstance(actual, Array) and same_arrays(actual, expected)
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and actual.keys() == expected.keys()
                and all(same_tree(actual[k], expected[k], same_arrays) for k in expected))
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(actual) == len(expected)
                and all(same_tree(a, e, same_arrays) for a, e in zip(actual, expected)))
    return type(actual) is type(expected) and actual == expected


def identical(actual, expected) -> bool:
    """Exactly the same plain data: same tree, same dtype names and shapes, same values (NaN equals NaN)."""
    return same_tree(actual, expected, lambda act, exp: (
        act.dtype == exp.dtype and act.shape == exp.shape
        and bool(np.array_equal(act.value, exp.value, equal_nan=exp.value.dtype.kind in "fc"))))


def _first_failure(outcomes) -> Outcome:
    precisions = []
    for outcome in outcomes:
        if not outcome.ok:
            return outcome
        precisions.append(outcome.precision)
    return Outcome(True, precision=precisions[0] if precisions else "")


def _compare_dicts(actual, expected, what, options, env) -> Outcome:
    if not isinstance(actual, dict):
        return Outcome(False, f"{what}: erwartet wird ein Dictionary, erhalten {_describe(actual)}.")
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    if missing or extra:
        parts = ([f"es fehlen die Schlüssel {missing}"] if missing else []) + (
            [f"unerwartete Schlüssel {extra}"] if extra else [])
        return Outcome(False, f"{what}: " + "; ".join(parts) + ".")
    return _first_failure(compare(actual[k], expected[k], what=f"{what}[{k!r}]", options=options, env=env)
                          for k in sorted(expected))


def _describe(value) -> str:
    if isinstance(value, Array):
        return f"ein Array der Form {value.shape} ({value.dtype})"
    return {dict: "ein Dictionary", list: "eine Liste", str: "einen Text"}.get(type(value), "None")


def _group(dtype_name: str, arr: np.ndarray) -> str:
    return "float" if dtype_name in ("bfloat16", "float16") else _KIND_GROUPS.get(arr.dtype.kind, arr.dtype.kind)


def _compare_arrays(actual: Array, expected: Array, what: str, options: Options, env: Environment) -> Outcome:
    if actual.shape != expected.shape:
        hint = ""
        if len(actual.shape) == 2 and actual.shape == expected.shape[::-1]:
            hint = " Die Achsen sind vertauscht: ist eine Matrix transponiert?"
        elif actual.value.size == expected.value.size:
            hint = " Die Anzahl der Elemente stimmt; prüfe reshape, Achsen und Dimensionen der Größe 1."
        return Outcome(False, f"{what}: falsche Form (shape), erwartet {_fmt_shape(expected.shape)}, "
                              f"erhalten {_fmt_shape(actual.shape)}.{hint}")
    exp_group, act_group = _group(expected.dtype, expected.value), _group(actual.dtype, actual.value)
    if options.check_dtype and exp_group != act_group:
        return Outcome(False, f"{what}: falscher Datentyp, erwartet {_KIND_WORDS.get(exp_group, exp_group)} "
                              f"({expected.dtype}), erhalten {_KIND_WORDS.get(act_group, act_group)} ({actual.dtype}).")
    if options.exact_dtype and expected.dtype != actual.dtype:  # the names are stated in the task
        return Outcome(False, f"{what}: falscher Datentyp, erwartet {expected.dtype}, erhalten {actual.dtype}.")
    if options.precision:
        env = replace(env, precision=options.precision)
    precision = resolve_precision(expected.dtype, actual.dtype, env)
    tol = tolerance_for(precision, rtol=options.rtol, atol=options.atol, recurrent=options.recurrent)
    exp, act = expected.value, actual.value
    if exp.dtype.kind not in "fc" and act.dtype.kind not in "fc":
        wrong = exp != act
        if not wrong.any():
            return Outcome(True, precision="exact")
        return Outcome(False, f"{what}: {_count(int(wrong.sum()), exp.size)} weich{'t' if wrong.sum() == 1 else 'en'} "
                              f"ab; erstes bei Index {_fmt_index(wrong)}.", "exact")
    wide = np.complex128 if "c" in exp.dtype.kind + act.dtype.kind else np.float64
    exp_c, act_c = exp.astype(wide), act.astype(wide)
    nan_message = _special_values(act_c, exp_c, what)
    if nan_message:
        return Outcome(False, nan_message, precision)
    finite = np.isfinite(exp_c)
    scale = float(np.max(np.abs(exp_c[finite]))) if finite.any() else 0.0
    atol_scaled = tol.atol * scale if scale > 0 else tol.atol  # an all-zero reference: atol unscaled
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.where(finite, np.abs(act_c - exp_c), 0.0)
        bound = atol_scaled + tol.rtol * np.abs(exp_c)
        bad = finite & ~(diff <= bound)
    if not bad.any():
        return Outcome(True, precision=precision)
    nonzero = finite & (np.abs(exp_c) > 0)  # a relative deviation from 0 means nothing: left out
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(nonzero, diff / np.where(nonzero, np.abs(exp_c), 1.0), 0.0)
    abs_at = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    rel_at = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.ndim else ()
    where = (lambda at: f" bei Index {_fmt_tuple(at)}") if exp.ndim else (lambda at: "")
    deviation = f"Größte absolute Abweichung ≈ {_sig2(float(diff[abs_at]))}{where(abs_at)}"
    if nonzero.any():
        deviation += f", größte relative Abweichung ≈ {_sig2(float(rel[rel_at]))}{where(rel_at)}"
    return Outcome(False, (
        f"{what}: {_count(int(bad.sum()), exp.size)} lieg{'t' if bad.sum() == 1 else 'en'} außerhalb der Toleranz "
        f"(Präzision {precision}: rtol={tol.rtol:g}, atol={tol.atol:g} × max|erwartet|). {deviation}."), precision)


def _special_values(act: np.ndarray, exp: np.ndarray, what: str) -> str:
    for name, test in (("NaN", np.isnan), ("+inf", lambda a: np.isposinf(a.real)), ("-inf", lambda a: np.isneginf(a.real))):
        exp_mask, act_mask = test(exp), test(act)
        unexpected = act_mask & ~exp_mask
        if unexpected.any():
            return (f"{what}: {_count(int(unexpected.sum()), exp.size)} {'ist' if unexpected.sum() == 1 else 'sind'} {name}, wo eine endliche Zahl "
                    f"erwartet wird; erstes bei Index {_fmt_index(unexpected)}. Prüfe auf Division durch 0, "
                    "log(0) oder exp-Überlauf (numerisch stabile Formel?).")
        absent = exp_mask & ~act_mask
        if absent.any():
            return (f"{what}: an {int(absent.sum())} Stellen wird {name} erwartet, erhalten wurde etwas anderes; "
                    f"erste bei Index {_fmt_index(absent)}.")
    return ""


def _count(bad: int, total: int) -> str:
    return f"{bad} von {total} Element{'en' if total != 1 else ''}"


def _fmt_index(mask: np.ndarray) -> str:
    if mask.ndim == 0:
        return "()"
    return _fmt_tuple(tuple(int(i) for i in np.argwhere(mask)[0]))


def _fmt_tuple(index) -> str:
    index = tuple(int(i) for i in index)
    return "()" if not index else "(" + ", ".join(map(str, index)) + ("," if len(index) == 1 else "") + ")"


def _fmt_shape(shape) -> str:
    return _fmt_tuple(shape)


def _sig2(value: float) -> str:
    if not np.isfinite(value):
        return "unendlich"
    return f"{float(f'{value:.2g}'):g}"
