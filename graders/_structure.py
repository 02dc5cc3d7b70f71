"""Compare two structure descriptions (``_describe``) and name the first difference in German.

Runs in the grader. The student's description is untrusted plain data of any shape; messages name
where the difference is and the student's own layer kinds, never an expected value (only the
expected number of layers or steps, which the task states).
"""

from __future__ import annotations

import numpy as np

from ._compare import Outcome, same_tree
from ._convert import Array

RTOL = 1e-6

_OBJECTS = {  # (nominative, accusative)
    "model": ("ein Modell", "ein Modell"), "optimizer": ("ein Optimierer", "einen Optimierer"),
    "loss": ("eine Verlustfunktion", "eine Verlustfunktion"),
    "estimator": ("ein scikit-learn-Modell", "ein scikit-learn-Modell"),
    "pipeline": ("eine scikit-learn-Pipeline", "eine scikit-learn-Pipeline")}
_FRAMEWORKS = {"keras": "Keras", "torch": "PyTorch", "sklearn": "scikit-learn"}
_WORDS = {
    "activation": "die Aktivierungsfunktion", "units": "die Anzahl der Neuronen (units)",
    "filters": "die Anzahl der Filter (filters)", "kernel_size": "die Kernelgröße (kernel_size)",
    "strides": "die Schrittweite (strides)", "stride": "die Schrittweite (stride)", "padding": "das Padding",
    "pool_size": "die Pooling-Größe (pool_size)", "rate": "die Dropout-Rate", "use_bias": "der Bias (use_bias)",
    "return_sequences": "return_sequences", "trainable": "trainable (eingefroren oder trainierbar)",
    "in_features": "die Eingangsgröße (in_features)", "out_features": "die Ausgangsgröße (out_features)",
    "in_channels": "die Anzahl der Eingangskanäle (in_channels)",
    "out_channels": "die Anzahl der Ausgangskanäle (out_channels)", "num_features": "num_features",
    "hidden_size": "die Größe des Zustands (hidden_size)", "num_layers": "die Anzahl der Schichten (num_layers)",
    "params": "die Anzahl der Parameter", "loss": "die Verlustfunktion", "optimizer": "der Optimierer",
    "learning_rate": "die Lernrate", "momentum": "das Momentum", "weight_decay": "der Weight Decay",
    "reduction": "die Reduktion (reduction)", "from_logits": "from_logits",
}
_PARAMS = {"trainable": "die Anzahl der trainierbaren Parameter", "total": "die Gesamtzahl der Parameter"}
# the sequences in a description: (key, one item, "has N ...", what a different kind is called)
_SEQUENCES = {"layers": ("Schicht", "Schichten", "die Art der Schicht"),
              "steps": ("Schritt", "Schritte", "die Art des Schritts")}


def compare_structure(actual, expected, *, what: str, ignore=()) -> Outcome:
    """``what`` names the checked object (e.g. ``"`modell`"``); ``ignore`` lists properties to skip."""
    problem = _top(actual, expected, what, frozenset(ignore))
    return Outcome(problem is None, problem or "", "structure")


def _top(actual, expected, what: str, ignore) -> str | None:
    if not isinstance(actual, dict) or not isinstance(expected, dict):
        return f"{what}: die Beschreibung des Objekts ist ungültig."
    if any(not _same(actual.get(key), expected.get(key)) for key in ("framework", "object")):
        return f"{what}: erwartet wird {_object_word(expected, 0)}, erhalten {_object_word(actual, 1)}."
    if "kind" in expected and "kind" not in ignore and not _same(actual.get("kind"), expected["kind"]):
        return f"{what}: die Art des Modells stimmt nicht (erhalten: {_text(actual.get('kind'))})."
    label = f"{what} ({_text(actual.get('kind'))})" if "kind" in expected else what
    return _fields(actual, expected, what, label, ignore, skip={"framework", "object", "kind"})


def _fields(actual: dict, expected: dict, what: str, label: str, ignore, skip=frozenset()) -> str | None:
    """``what``: the outer object (for whole properties); ``label``: this part (for its settings)."""
    for key, exp in expected.items():
        if key in ignore or key in skip:
            continue
        word = _WORDS.get(key, f"die Einstellung `{key}`")
        if key not in actual:
            hint = " (ist das Modell kompiliert?)" if key in ("loss", "optimizer") else ""
            return f"{label}: {word} fehlt{hint}."
        act = actual[key]
        if key in _SEQUENCES:
            problem = _sequence(act, exp, key, what, ignore)
        elif key == "params" and isinstance(exp, dict):
            problem = _params(act, exp, what, ignore)
        elif key in ("loss", "optimizer") and isinstance(exp, dict):
            problem = _part(act, exp, what, word, ignore)
        elif key == "settings" and isinstance(exp, dict):
            problem = (f"{label}: die Einstellungen sind ungültig." if not isinstance(act, dict)
                       else _fields(act, exp, what, label, ignore))
        else:
            problem = None if _same(act, exp) else f"{label}: {word} stimmt nicht."
        if problem:
            return problem
    return None


def _sequence(actual, expected, key: str, what: str, ignore) -> str | None:
    one, many, kind_word = _SEQUENCES[key]
    if not isinstance(actual, list) or not isinstance(expected, list):
        return f"{what}: die {many} sind ungültig."
    if len(actual) != len(expected):
        return f"{what} hat {len(actual)} {one if len(actual) == 1 else many}, erwartet werden {len(expected)}."
    for index, (act, exp) in enumerate(zip(actual, expected), start=1):
        if not isinstance(act, dict) or not isinstance(exp, dict):
            return f"{what}: {one} {index} ist ungültig."
        label = f"{what}: {one} {index} ({_text(act.get('kind'))})"
        if "kind" not in ignore and not _same(act.get("kind"), exp.get("kind")):
            return f"{label}: {kind_word} stimmt nicht."
        problem = _fields(act, exp, what, label, ignore, skip={"framework", "object", "kind"})
        if problem:
            return problem
    return None


def _params(actual, expected: dict, what: str, ignore) -> str | None:
    if not isinstance(actual, dict):
        return f"{what}: die Anzahl der Parameter ist ungültig."
    for key, exp in expected.items():
        if key not in ignore and not _same(actual.get(key), exp):
            return f"{what}: {_PARAMS.get(key, 'die Anzahl der Parameter')} stimmt nicht."
    return None


def _part(actual, expected: dict, what: str, word: str, ignore) -> str | None:
    """The loss or the optimizer: its kind, then its settings (learning rate, ...)."""
    if not isinstance(actual, dict):
        return f"{what}: {word} stimmt nicht."
    if "kind" not in ignore and not _same(actual.get("kind"), expected.get("kind")):
        return f"{what}: {word} stimmt nicht."
    name = "Verlustfunktion" if word == _WORDS["loss"] else "Optimierer"
    return _fields(actual, expected, what, f"{what}: {name} ({_text(actual.get('kind'))})", ignore, skip={"kind"})


def _same(actual, expected) -> bool:
    """Equal plain data; numbers within ``RTOL`` (a learning rate stored as float32 equals 0.01)."""
    return same_tree(actual, expected, _close_arrays)


def _close_arrays(actual: Array, expected: Array) -> bool:
    if actual.shape != expected.shape:
        return False
    act, exp = actual.value, expected.value
    if act.dtype.kind not in "biufc" or exp.dtype.kind not in "biufc":
        return False
    if "f" in act.dtype.kind + exp.dtype.kind or "c" in act.dtype.kind + exp.dtype.kind:
        return bool(np.allclose(act, exp, rtol=RTOL, atol=0.0, equal_nan=True))
    return bool(np.array_equal(act, exp))


def _object_word(description: dict, case: int) -> str:
    obj, framework = description.get("object"), description.get("framework")
    if not isinstance(obj, str) or obj not in _OBJECTS or not isinstance(framework, str) or framework not in _FRAMEWORKS:
        return "ein anderes Objekt"
    return f"{_OBJECTS[obj][case]} ({_FRAMEWORKS[framework]})"


def _text(value) -> str:
    """The student's own kind name, shortened (it is the student's text, shown back to them)."""
    return value[:60] if isinstance(value, str) else "?"
