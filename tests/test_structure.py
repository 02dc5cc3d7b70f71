"""Checks for what values alone cannot show: model structure, dtype names, the kind of object, in-place changes."""

from __future__ import annotations

import importlib
import os

import nbformat
import numpy as np
import pytest

from graders import rand
from graders._capture import Capture, pack, unpack
from graders._checks import parse_hidden
from graders._convert import ConversionError, to_plain, value_kind
from graders._describe import describe
from graders._plaindata import PlainDataError
from graders._policy import Environment
from graders._score import judge
from graders._structure import compare_structure

from .conftest import nbgrader_cell

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


class _Lazy:
    """A module imported at its first use: Keras, PyTorch and scikit-learn take 7 s of CPU to import,
    which every pytest process would pay while collecting, not only the one that runs these tests."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):  # pytest probes every module global for its markers while collecting
            raise AttributeError(attribute)
        return getattr(importlib.import_module(self._name), attribute)


keras, L, torch, nn = (_Lazy(name) for name in ("keras", "keras.layers", "torch", "torch.nn"))


def _message(student, solution, ignore=()) -> str:
    """'' when the student's object is built like the solution's, else the German message."""
    outcome = compare_structure(to_plain(describe(student)), to_plain(describe(solution)), what="`modell`",
                                ignore=ignore)
    assert outcome.ok == (outcome.message == "")
    return outcome.message


def _keras(pool="MaxPooling2D", activation="relu", split=False, loss="mse", lr=0.01, extra=True):
    layers = [keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"), getattr(L, pool)(2), L.Flatten()]
    layers += [L.Dense(6), L.Activation(activation)] if split else [L.Dense(6, activation=activation)]
    layers += [L.Dropout(0.25)] if extra else []
    layers.append(L.Dense(1))
    model = keras.Sequential(layers)
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate=lr))
    return model


@pytest.fixture(scope="module")
def solution():
    return _keras()


# -- Keras -------------------------------------------------------------------------------------------------

def test_the_same_keras_model_passes_and_equivalent_spellings_are_equal(solution):
    assert _message(_keras(), solution) == ""
    assert _message(_keras(split=True), solution) == ""  # Dense + Activation("relu") == Dense(activation="relu")
    relu_layer = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(4, 3), L.ReLU(), L.MaxPooling2D(2), L.Flatten(),
                                   L.Dense(6), L.ReLU(), L.Dropout(0.25), L.Dense(1)])
    relu_layer.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(0.01))
    assert _message(relu_layer, solution) == ""  # ReLU() layers, a loss object for "mse"


@pytest.mark.parametrize("student, message", [
    (dict(pool="AveragePooling2D"), "`modell`: Schicht 2 (AveragePooling2D): die Art der Schicht stimmt nicht."),
    (dict(activation="linear"), "`modell`: Schicht 4 (Dense): die Aktivierungsfunktion stimmt nicht."),
    (dict(activation="linear", split=True), "`modell`: Schicht 4 (Dense): die Aktivierungsfunktion stimmt nicht."),
    (dict(loss="mae"), "`modell`: die Verlustfunktion stimmt nicht."),
    (dict(lr=0.1), "`modell`: Optimierer (Adam): die Lernrate stimmt nicht."),
    (dict(extra=False), "`modell` hat 5 Schichten, erwartet werden 6."),
])
def test_a_different_keras_model_is_named_without_expected_values(solution, student, message):
    got = _message(_keras(**student), solution)
    assert got == message
    assert "MaxPooling" not in got and "relu" not in got and "0.01" not in got and "mean_squared" not in got


def test_uncompiled_frozen_and_ignored(solution):
    plain = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(2),
                              L.Flatten(), L.Dense(6, activation="relu"), L.Dropout(0.25), L.Dense(1)])
    assert _message(plain, solution) == "`modell`: die Verlustfunktion fehlt (ist das Modell kompiliert?)."
    assert _message(plain, solution, ignore=["loss", "optimizer"]) == ""
    frozen = _keras()
    frozen.layers[0].trainable = False
    assert _message(frozen, solution) == "`modell`: Schicht 1 (Conv2D): trainable (eingefroren oder trainierbar) stimmt nicht."
    assert _message(frozen, solution, ignore=["trainable"]) == ""
    assert "Parameter" in _message(frozen, solution, ignore=["layers"])


def test_sparse_crossentropy_from_logits_counts():
    logits = _keras(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    probabilities = _keras(loss="sparse_categorical_crossentropy")
    assert _message(probabilities, logits) == "`modell`: Verlustfunktion (sparse_categorical_crossentropy): from_logits stimmt nicht."


# -- PyTorch and scikit-learn ------------------------------------------------------------------------------

def _torch(activation="ReLU", pool="MaxPool2d", hidden=6):
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), getattr(nn, pool)(2), nn.Flatten(), nn.Linear(36, hidden),
                         getattr(nn, activation)(), nn.Linear(hidden, 1))


def test_torch_modules_optimizers_and_losses():
    solution = _torch()
    assert _message(_torch(), solution) == ""
    nested = nn.Sequential(nn.Sequential(nn.Conv2d(1, 4, (3, 3)), nn.ReLU()), nn.MaxPool2d((2, 2)), nn.Flatten(),
                           nn.Sequential(nn.Linear(36, 6), nn.ReLU(), nn.Identity()), nn.Linear(6, 1))
    assert _message(nested, solution) == ""  # nesting, (2, 2) for 2, and the identity change nothing
    assert _message(_torch(activation="Identity"), solution) == "`modell`: Schicht 4 (Linear): die Aktivierungsfunktion stimmt nicht."
    assert _message(_torch(pool="AvgPool2d"), solution) == "`modell`: Schicht 2 (AvgPool2d): die Art der Schicht stimmt nicht."
    assert _message(_torch(hidden=7), solution) == "`modell`: Schicht 4 (Linear): die Ausgangsgröße (out_features) stimmt nicht."
    frozen = _torch()
    frozen[0].weight.requires_grad_(False)
    assert "trainable" in _message(frozen, solution)
    params = solution.parameters
    assert _message(torch.optim.Adam(params(), lr=0.1), torch.optim.Adam(params(), lr=0.01)) \
        == "`modell`: Optimierer (Adam): die Lernrate stimmt nicht."
    assert _message(torch.optim.SGD(params(), lr=0.01), torch.optim.Adam(params(), lr=0.01)) \
        == "`modell`: der Optimierer stimmt nicht."
    assert _message(nn.BCELoss(), nn.BCEWithLogitsLoss()) == "`modell`: die Verlustfunktion stimmt nicht."
    assert _message(nn.MSELoss(reduction="sum"), nn.MSELoss()) \
        == "`modell`: Verlustfunktion (MSELoss): die Reduktion (reduction) stimmt nicht."
    assert _message(nn.MSELoss(), solution) == ("`modell`: erwartet wird ein Modell (PyTorch), "
                                                "erhalten eine Verlustfunktion (PyTorch).")


def test_sklearn_estimators_and_pipelines():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    solution = make_pipeline(StandardScaler(), LogisticRegression(C=0.5))
    assert _message(make_pipeline(StandardScaler(), LogisticRegression(C=0.5)), solution) == ""
    assert _message(make_pipeline(StandardScaler(), LogisticRegression()), solution) \
        == "`modell`: Schritt 2 (LogisticRegression): die Einstellung `C` stimmt nicht."
    assert _message(make_pipeline(MinMaxScaler(), LogisticRegression(C=0.5)), solution) \
        == "`modell`: Schritt 1 (MinMaxScaler): die Art des Schritts stimmt nicht."
    assert _message(make_pipeline(LogisticRegression(C=0.5)), solution) == "`modell` hat 1 Schritt, erwartet werden 2."
    assert _message(LogisticRegression(max_iter=5), LogisticRegression(), ignore=["max_iter"]) == ""


def test_describe_refuses_what_it_does_not_know_and_reads_no_lies_silently():
    with pytest.raises(ConversionError, match="Erwartet wird ein Keras-Modell"):
        describe(np.zeros(3))

    class Lying(L.Dense):
        def get_config(self):
            raise RuntimeError("nein")

    with pytest.raises(RuntimeError):
        describe(keras.Sequential([keras.Input((2,)), Lying(3)]))
    broken = nn.Linear(2, 3)
    broken._parameters["weight"] = "keine Gewichte"
    with pytest.raises(TypeError):
        describe(broken)


@pytest.mark.parametrize("garbage", [None, [], "x", {"framework": ["keras"], "object": {}}, {"framework": "keras"},
                                     {"framework": "keras", "object": "model", "layers": "viele"},
                                     {"framework": "keras", "object": "model", "layers": [1, None]},
                                     {"framework": "keras", "object": "model", "layers": [{"kind": ["Dense"]}] * 6,
                                      "params": 3, "loss": [], "optimizer": "adam"}])
def test_any_student_description_gives_a_message_never_an_exception(solution, garbage):
    outcome = compare_structure(to_plain(garbage), to_plain(describe(solution)), what="`modell`")
    assert not outcome.ok and outcome.message.startswith("`modell`")


# -- exact_dtype, same_type, unchanged ----------------------------------------------------------------------

def _judge(hidden: str, student_value, solution_value, args_after=None) -> str:
    spec, = parse_hidden(hidden)[0]
    actual = Capture(to_plain(student_value), value_kind(student_value), args_after)
    expected = Capture(to_plain(solution_value), value_kind(solution_value))
    return judge(spec, actual, expected, Environment()).message


def test_exact_dtype_compares_dtype_names():
    hidden = 'check_function("f", inputs=[rand(3, seed=1)], exact_dtype=True)'
    x = np.arange(3.0)
    assert _judge(hidden, x.astype(np.float32), x.astype(np.float32)) == ""
    assert _judge(hidden, x, x.astype(np.float32)) == "f(...): falscher Datentyp, erwartet float32, erhalten float64."
    assert _judge(hidden, [np.int32(1)], [np.int64(1)]) == "f(...): falscher Datentyp, erwartet int64, erhalten int32."
    assert _judge(hidden.replace(", exact_dtype=True", ""), x, x.astype(np.float32)) == ""  # kinds only, as before


def test_same_type_compares_the_kind_of_object():
    hidden = 'check_function("f", inputs=[rand(3, seed=1)], same_type=True)'
    x = np.arange(3.0)
    assert _judge(hidden, torch.tensor(x), torch.tensor(x)) == ""
    assert _judge(hidden, x, torch.tensor(x)) == "f(...): erwartet wird ein PyTorch-Tensor, erhalten ein NumPy-Array."
    assert _judge(hidden, torch.tensor(x), x) == "f(...): erwartet wird ein NumPy-Array, erhalten einen PyTorch-Tensor."
    assert _judge(hidden, [1.0], (1.0,)) == "f(...): erwartet wird ein Tupel, erhalten eine Liste."
    assert _judge(hidden, np.float64(1.0), 1.0) == "f(...): erwartet wird eine Python-Zahl, erhalten ein NumPy-Array."


def test_unchanged_compares_the_arguments_after_the_call_with_the_inputs():
    hidden = 'check_function("f", inputs=[rand(3, seed=1), 2], kwargs={"k": rand(2, seed=2)}, unchanged=True)'
    given = {"args": [to_plain(rand(3, seed=1)), to_plain(2)], "kwargs": {"k": to_plain(rand(2, seed=2))}}
    assert _judge(hidden, 1.0, 1.0, given) == ""
    changed = dict(given, args=[to_plain(rand(3, seed=1) / 2), to_plain(2)])
    assert _judge(hidden, 1.0, 1.0, changed) == \
        "f(...) verändert das übergebene Argument 1 (in-place); arbeite auf einer Kopie."
    recast = dict(given, kwargs={"k": to_plain(rand(2, seed=2).astype(np.float32))})
    assert "Argument `k`" in _judge(hidden, 1.0, 1.0, recast)
    assert "ungültiges Format" in _judge(hidden, 1.0, 1.0, dict(given, args=[]))


def test_a_capture_that_is_not_an_envelope_is_refused():
    good = pack(np.ones(2), "numpy", ([np.ones(2)], {}))
    assert unpack(good, unchanged=True).kind == "numpy"
    for bad in (to_plain([1.0]), {"value": None}, {"value": None, "type": "lüge"},
                {"value": None, "type": "numpy", "extra": None}):
        with pytest.raises(PlainDataError, match="ungültiges Format"):
            unpack(bad, unchanged=False)
    with pytest.raises(PlainDataError, match="Argumente"):
        unpack({"value": None, "type": "none", "args_after": "weg"}, unchanged=True)


# -- end to end through the engine ----------------------------------------------------------------------------

MODEL = """\
modell = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.Adam(modell.parameters(), lr=0.01)"""
NORMIERE = """\
def normiere(x):
    return (x / x.sum()).astype(np.float32)"""


def _notebook(model: str, normiere: str):
    return nbformat.v4.new_notebook(cells=[
        nbgrader_cell("locked", "import numpy as np\nimport torch\nfrom torch import nn\n"
                        "from graders import check, check_function, check_structure, rand", "setup"),
        nbgrader_cell("solution", model, "modell"),
        nbgrader_cell("test", "### BEGIN HIDDEN TESTS\ncheck_structure(\"modell\")\ncheck_structure(\"opt\")\n"
                      "### END HIDDEN TESTS", "test_modell", points=2),
        nbgrader_cell("solution", normiere, "normiere"),
        nbgrader_cell("test", "### BEGIN HIDDEN TESTS\ncheck_function(\"normiere\", inputs=[rand(5, seed=1, low=0.1)], "
                      "exact_dtype=True, same_type=True, unchanged=True)\n### END HIDDEN TESTS", "test_normiere"),
    ])


def test_end_to_end_through_the_engine(tmp_path, engine, monkeypatch):
    from graders._references import load_references
    from graders.course import Course
    from graders.grading import Settings, grade_notebook

    (tmp_path / "source" / "a1").mkdir(parents=True)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    path = tmp_path / "source" / "a1" / "nb.ipynb"
    nbformat.write(_notebook(MODEL, NORMIERE), path)
    course = Course(tmp_path)
    refs = load_references(course, "a1", path, engine=engine)

    def grade(model: str, normiere: str) -> dict[str, tuple[float, str]]:
        graded, _ = grade_notebook(course, "a1", path, _notebook(model, normiere), refs, Settings(), engine)
        return {cell.grade_id: (cell.score, cell.message) for cell in graded.cells}

    assert grade(MODEL, NORMIERE) == {"test_modell": (2, ""), "test_normiere": (1, "")}
    wrong = grade(MODEL.replace("nn.ReLU()", "nn.Sigmoid()"),
                  "def normiere(x):\n    x /= x.sum()\n    return x.astype(np.float32)")
    assert wrong["test_modell"] == (0, "`modell`: Schicht 1 (Linear): die Aktivierungsfunktion stimmt nicht.")
    assert wrong["test_normiere"] == (0, "normiere(...) verändert das übergebene Argument 1 (in-place); "
                                         "arbeite auf einer Kopie.")
    hostile = grade("class Falsch(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                    "        self.__dict__['_modules'] = 42\nmodell = Falsch()\n"
                    "opt = torch.optim.Adam(nn.Linear(4, 3).parameters(), lr=0.1)",
                    "def normiere(x):\n    return torch.tensor(x / x.sum())")
    score, message = hostile["test_modell"]
    assert score == 0 and message.startswith("`modell` konnte nicht ausgewertet werden: TypeError")
    assert hostile["test_normiere"] == (0, "normiere(...): erwartet wird ein NumPy-Array, "
                                           "erhalten einen PyTorch-Tensor.")
    float64 = grade(MODEL.replace("lr=0.01", "lr=0.1"), "def normiere(x):\n    return x / x.sum()")
    assert float64 == {"test_modell": (0, "`opt`: Optimierer (Adam): die Lernrate stimmt nicht."),
                       "test_normiere": (0, "normiere(...): falscher Datentyp, erwartet float32, erhalten float64.")}

    # the same checks in a plain kernel (nbgrader autograde): _compat, against the cached references
    from graders import _compat

    monkeypatch.chdir(path.parent)
    monkeypatch.delenv("GRADERS_COURSE_ROOT", raising=False)
    space = {"np": np, "torch": torch, "nn": nn}
    exec(MODEL.replace("nn.ReLU()", "nn.Tanh()") + "\n" + NORMIERE, space)
    with pytest.raises(AssertionError, match=r"^`modell`: Schicht 1 \(Linear\): die Aktivierungsfunktion"):
        _compat._run("check_structure", "modell", space)
    _compat._run("check_structure", "opt", space)
    with pytest.raises(AssertionError, match="Argument 1 \\(in-place\\)"):
        _compat._run("check_function", "normiere", {"normiere": lambda x: np.divide(x, x.sum(), out=x).astype(np.float32)},
                     inputs=[rand(5, seed=1, low=0.1)], exact_dtype=True, same_type=True, unchanged=True)
