"""The tolerance library: policy, conversion without trust, messages that help but do not leak."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import graders
from graders import POLICY, Environment, compare, resolve_precision
from graders._compare import Options, compare as compare_plain
from graders._convert import Array, ConversionError, to_plain

FLOAT_DTYPES = ["float16", "float32", "float64"]


# -- policy -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("expected, actual, env, row", [
    ("float64", "float64", Environment(), "float32"),  # the runner computes in float32
    ("float64", "float64", Environment(precision="float64"), "float64"),
    ("float64", "float32", Environment(precision="float64"), "float32"),
    ("float32", "float32", Environment(device="cuda"), "float32-gpu"),
    ("float32", "float32", Environment(device="cuda", tf32=True), "tf32"),
    ("float16", "float16", Environment(), "float16"),
    ("bfloat16", "float16", Environment(), "bfloat16"),
    ("float32", "float16", Environment(), "float32"),  # casting to half does not loosen the check
    ("float64", "bfloat16", Environment(), "float32"),
    ("int64", "int32", Environment(), "exact"),
])
def test_precision_rows(expected, actual, env, row):
    assert resolve_precision(expected, actual, env) == row


def test_policy_table_matches_architecture():
    table = {name: (tol.rtol, tol.atol) for name, tol in POLICY.items()}
    assert table == {"float64": (1e-9, 1e-12), "float32": (1e-5, 1e-6), "float32-gpu": (1e-4, 1e-5),
                     "tf32": (2e-3, 1e-2), "float16": (3e-3, 1e-2), "bfloat16": (2e-2, 5e-2)}


# -- exact edges ------------------------------------------------------------------------------------

def _edge(rtol, atol, expected, factor):
    """actual = expected + factor * bound, with the bound of the policy formula."""
    scale = np.max(np.abs(expected))
    bound = atol * scale + rtol * np.abs(expected)
    return expected + factor * bound


@pytest.mark.parametrize("row", ["float32", "float64"])
def test_tolerance_edge_inside_and_outside(row):
    tol = POLICY[row]
    env = Environment(precision=row)
    expected = np.array([1.0, -2.0, 300.0, 0.5])
    inside = _edge(tol.rtol, tol.atol, expected, 0.999)
    outside = _edge(tol.rtol, tol.atol, expected, 1.001)
    dtype = np.float64
    assert compare(inside.astype(dtype), expected, env=env).ok
    outcome = compare(outside.astype(dtype), expected, env=env)
    assert not outcome.ok and "4 von 4 Elementen" in outcome.message


def test_atol_is_scaled_by_the_largest_expected_magnitude():
    expected = np.array([1000.0, 0.0])
    # 1e-6 * 1000 = 1e-3 absolute slack everywhere, also at the zero
    assert compare(np.array([1000.0, 9e-4]), expected).ok
    assert not compare(np.array([1000.0, 1.1e-3]), expected).ok


def test_all_zero_reference_uses_unscaled_atol():
    assert compare(np.array([1e-7, 0.0]), np.zeros(2)).ok
    assert not compare(np.array([1e-5, 0.0]), np.zeros(2)).ok


def test_recurrent_doubles_atol():
    expected = np.array([1.0, 0.0])
    actual = np.array([1.0, 1.5e-6])
    assert not compare(actual, expected).ok
    assert compare(actual, expected, recurrent=True).ok


def test_check_overrides_replace_defaults():
    assert compare(np.array([1.01]), np.array([1.0]), rtol=0.02).ok
    assert not compare(np.array([1.01]), np.array([1.0]), rtol=0.005).ok


# -- shapes, dtypes, special values -----------------------------------------------------------------

def test_no_silent_broadcasting():
    outcome = compare(np.ones((3, 1)), np.ones(3))
    assert not outcome.ok and "falsche Form" in outcome.message and "(3,)" in outcome.message


def test_transposed_matrix_gets_a_hint():
    outcome = compare(np.ones((4, 3)), np.ones((3, 4)))
    assert "transponiert" in outcome.message


def test_scalar_versus_one_element_array():
    assert not compare([0.5], 0.5).ok
    assert compare(np.float32(0.5), 0.5).ok


@pytest.mark.parametrize("actual, expected, word", [
    (np.array([1, 2]), np.array([1.0, 2.0]), "Ganzzahlen"),
    (np.array([True, False]), np.array([1.0, 0.0]), "Wahrheitswerte"),
    (np.array([1.0, 2.0]), np.array([1, 2]), "Gleitkommazahlen"),
])
def test_dtype_kind_is_checked(actual, expected, word):
    outcome = compare(actual, expected)
    assert not outcome.ok and "Datentyp" in outcome.message and word in outcome.message


def test_dtype_kind_check_can_be_disabled():
    assert compare(np.array([1, 2]), np.array([1.0, 2.0]), check_dtype=False).ok


def test_nan_equal_only_where_reference_has_nan():
    assert compare(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])).ok
    outcome = compare(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    assert not outcome.ok and "NaN" in outcome.message and "(0,)" in outcome.message
    assert not compare(np.array([0.0, 1.0]), np.array([np.nan, 1.0])).ok


def test_infinities_must_match_in_place_and_sign():
    assert compare(np.array([np.inf, -np.inf]), np.array([np.inf, -np.inf])).ok
    assert not compare(np.array([-np.inf, -np.inf]), np.array([np.inf, -np.inf])).ok
    assert not compare(np.array([1e308, 0.0]), np.array([np.inf, 0.0])).ok


def test_integers_compare_exactly():
    assert not compare(np.array([1, 2, 3]), np.array([1, 2, 4])).ok
    assert compare(np.array([1, 2, 3], dtype=np.int32), np.array([1, 2, 3])).ok


def test_complex_values():
    assert compare(np.array([1 + 1j]), np.array([1 + 1j])).ok
    assert not compare(np.array([1 + 1.1j]), np.array([1 + 1j])).ok


def test_containers_and_strings():
    assert compare({"a": [1.0, 2.0], "b": "x"}, {"a": [1.0, 2.0], "b": "x"}).ok
    assert not compare({"a": 1.0}, {"a": 1.0, "b": 2.0}).ok
    assert not compare("Hund", "Katze").ok
    assert not compare((np.ones(2), 1.0), (np.ones(2), 2.0)).ok


# -- messages: helpful, never the reference ---------------------------------------------------------

def test_message_names_count_largest_differences_and_where():
    expected = np.arange(12, dtype=float).reshape(3, 4) + 1.0
    actual = expected.copy()
    actual[2, 3] += 2.0  # largest absolute difference (relative 2/12)
    actual[0, 0] *= 1.5  # largest relative difference (absolute 0.5)
    outcome = compare(actual, expected)
    assert "2 von 12 Elementen" in outcome.message
    assert "absolute Abweichung ≈ 2 bei Index (2, 3)" in outcome.message
    assert "relative Abweichung ≈ 0.5 bei Index (0, 0)" in outcome.message


def test_message_never_contains_reference_values():
    rng = np.random.default_rng(7)
    expected = rng.normal(size=(5, 5)) * 123.456789
    actual = expected + rng.normal(size=(5, 5))
    message = compare(actual, expected).message
    for value in expected.ravel():
        for text in (f"{value:.6g}", f"{value:.4f}", repr(float(value))):
            assert text not in message


# -- conversion without trusting the object ---------------------------------------------------------

class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        return np.array([1.0, 2.0, 3.0])

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, *args, **kwargs):
        return np.array([1.0, 2.0, 3.0])


class LyingFloat(float):
    def __eq__(self, other):
        return True

    def __float__(self):
        return 1.0

    def __sub__(self, other):
        return 0.0

    def __abs__(self):
        return 0.0


class Impostor:
    """Claims to be an ndarray through __class__ and __array__."""
    __class__ = np.ndarray

    def __array__(self, *args, **kwargs):
        return np.array([1.0, 2.0, 3.0])

    def __eq__(self, other):
        return True


def test_lying_ndarray_subclass_is_read_as_its_real_data():
    lying = np.array([9.0, 9.0, 9.0]).view(LyingArray)
    assert not compare(lying, [1.0, 2.0, 3.0]).ok


def test_lying_float_subclass_is_read_as_its_real_value():
    assert not compare(LyingFloat(5.0), 1.0).ok
    assert compare(LyingFloat(1.0), 1.0).ok


def test_impostor_objects_are_refused():
    with pytest.raises(ConversionError):
        to_plain(Impostor())
    with pytest.raises(ConversionError):
        to_plain(np.array([object()], dtype=object))


def test_lying_torch_subclass():
    torch = pytest.importorskip("torch")

    class LyingTensor(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return torch.tensor([1.0, 2.0, 3.0])

        def __eq__(self, other):
            return True

        def numpy(self):
            return np.array([1.0, 2.0, 3.0])

    lying = torch.tensor([9.0, 9.0, 9.0]).as_subclass(LyingTensor)
    assert not compare(lying, [1.0, 2.0, 3.0]).ok
    assert compare(torch.tensor([1.0, 2.0, 3.0]).as_subclass(LyingTensor), [1.0, 2.0, 3.0]).ok


def test_torch_tensors_any_dtype_with_grad():
    torch = pytest.importorskip("torch")
    value = torch.tensor([0.5, 1.5], requires_grad=True) * 2
    assert compare(value, [1.0, 3.0]).ok
    bf16 = torch.tensor([1.0, 2.0], dtype=torch.bfloat16)
    plain = to_plain(bf16)
    assert plain.dtype == "bfloat16" and plain.value.dtype == np.float32
    assert compare(bf16, torch.tensor([1.0, 2.0], dtype=torch.bfloat16)).precision == "bfloat16"
    assert compare(torch.tensor([1, 2]), np.array([1, 2])).ok


def test_tensorflow_and_keras_values():
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    assert compare(tf.constant([[1.0, 2.0]]), np.array([[1.0, 2.0]])).ok
    assert compare(tf.Variable([1.0, 2.0]), [1.0, 2.0]).ok
    assert compare(keras.Variable([3.0]), [3.0]).ok
    layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    assert compare(layer(np.ones((1, 3), dtype="float32")), np.full((1, 2), 3.0)).ok
    assert to_plain(tf.constant([1.5], dtype=tf.bfloat16)).dtype == "bfloat16"


def test_tf_symbolic_tensor_is_refused():
    tf = pytest.importorskip("tensorflow")

    with tf.Graph().as_default():
        symbolic = tf.constant([1.0]) * 2
        with pytest.raises(ConversionError, match="Symbolische"):
            to_plain(symbolic)


def test_assert_close_raises_with_the_german_message():
    with pytest.raises(AssertionError, match="falsche Form"):
        graders.assert_close(np.ones(2), np.ones(3))


# -- properties -------------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(dtype=st.sampled_from(FLOAT_DTYPES), shape=hnp.array_shapes(max_dims=3, max_side=5),
                  elements=finite))
def test_any_array_equals_itself_in_every_framework(arr):
    assert compare(arr, arr.copy()).ok
    torch = pytest.importorskip("torch")
    assert compare(torch.from_numpy(arr.copy()), arr).ok


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(dtype=np.float64, shape=hnp.array_shapes(max_dims=2, max_side=6),
                  elements=st.floats(-1e3, 1e3, allow_nan=False)),
       st.floats(0.5, 0.99))
def test_perturbation_within_bound_passes_beyond_fails(expected, fraction):
    tol = POLICY["float32"]
    scale = float(np.max(np.abs(expected)))
    atol = tol.atol * scale if scale > 0 else tol.atol
    bound = atol + tol.rtol * np.abs(expected)
    assert compare(expected + fraction * bound, expected).ok
    worse = expected.copy()
    index = np.unravel_index(0, expected.shape)
    worse[index] += bound[index] * (2 - fraction) + 1e-300
    outcome = compare(worse, expected)
    assert not outcome.ok and "1 von" in outcome.message


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(dtype=np.float32, shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite))
def test_float32_rounding_of_a_float64_reference_passes(arr):
    expected = arr.astype(np.float64) * (1 + 1e-7)
    assert compare(expected.astype(np.float32), expected).ok


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(dtype=np.float32, shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), elements=finite))
def test_tensorflow_and_torch_agree_with_numpy(arr):
    tf = pytest.importorskip("tensorflow")
    torch = pytest.importorskip("torch")
    plain_np, plain_tf, plain_torch = (to_plain(arr), to_plain(tf.constant(arr)), to_plain(torch.from_numpy(arr.copy())))
    for other in (plain_tf, plain_torch):
        assert other.dtype == "float32" and np.array_equal(other.value, plain_np.value)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=8))
def test_python_lists_and_tuples_convert_like_numpy(values):
    assert compare(values, np.array(values)).ok
    assert compare(tuple(values), np.array(values)).ok
    assert math.isfinite(sum(values))


def test_compare_plain_rejects_non_plain_reference():
    with pytest.raises(TypeError):
        compare_plain(Array(np.ones(1), "float64"), object(), options=Options())


def test_message_has_no_infinite_relative_deviation_and_single_spacing():
    from graders import compare

    zero = compare(np.array([0.5, 0.0]), np.zeros(2), what="x")
    assert not zero.ok and "unendlich" not in zero.message and "relative" not in zero.message
    mixed = compare(np.array([1.5, 0.5]), np.array([1.0, 0.0]), what="x")
    assert "relative Abweichung ≈ 0.5 bei Index (0,)" in mixed.message
    scalar = compare(3.0, 2.0, what="x")
    assert "bei Index ()" not in scalar.message
    for message in (zero.message, mixed.message, scalar.message):
        assert "  " not in message and ".." not in message
