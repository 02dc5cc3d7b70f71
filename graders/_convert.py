"""Turn whatever a notebook produced into plain data, without trusting the object.

Plain data is a tree of ``Array`` leaves (a base-class ``numpy.ndarray`` that owns its memory,
never of object dtype, plus the name of the dtype the value had before conversion, e.g.
``bfloat16``), ``str``, ``None``, ``dict[str, ...]`` and ``list``. Objects are read through the
unbound methods of the real base classes (``numpy.ndarray``, ``torch.Tensor``, TensorFlow's eager
tensor and resource variable), so overriding ``__eq__``, ``__array__``, ``__array_function__``,
``__torch_function__``, ``__class__`` or a method on a subclass changes nothing. Only modules the
process has already imported are consulted: converting never imports a framework.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 32
MAX_ELEMENTS = 50_000_000


class ConversionError(TypeError):
    """A value that cannot be graded; the message is German and addressed to the student."""


@dataclass(frozen=True, eq=False)
class Array:
    """A converted numeric leaf."""

    value: np.ndarray
    dtype: str  # the dtype the object had, before any widening (bfloat16 -> float32)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


def to_plain(obj, _depth: int = 0):
    """Convert ``obj`` to plain data (see the module doc); raises ``ConversionError``."""
    if _depth > MAX_DEPTH:
        raise ConversionError("Der Wert ist zu tief verschachtelt.")
    kind = type(obj)  # type() cannot be faked, unlike obj.__class__
    if obj is None or kind is str:
        return obj
    if kind in (bool, int, float, complex):
        return _from_ndarray(np.array(obj))
    for base in (int, float, complex):  # a subclass of a number: read its own value, not its methods
        if base in kind.__mro__ and np.generic not in kind.__mro__:
            return _from_ndarray(np.array(getattr(base, f"__{base.__name__}__")(obj)))
    if str in kind.__mro__:
        return str.__str__(obj)
    if np.generic in kind.__mro__:
        return _from_ndarray(_numpy_scalar(obj, kind))
    if np.ndarray in kind.__mro__:
        return _from_ndarray(np.ndarray.view(obj, np.ndarray))
    if dict in kind.__mro__:
        return _from_dict(obj, _depth)
    if list in kind.__mro__ or tuple in kind.__mro__:
        return _from_sequence(obj, _depth)
    for converter in (_from_torch, _from_keras, _from_tensorflow):
        converted = converter(obj, kind)
        if converted is not None:
            return converted if isinstance(converted, Array) else to_plain(converted, _depth + 1)
    raise ConversionError(
        f"Ein Wert vom Typ {kind.__module__}.{kind.__qualname__} kann nicht bewertet werden. "
        "Gib ein NumPy-Array, eine Zahl, eine Liste, einen Text oder einen TensorFlow-/PyTorch-Tensor zurück."
    )


def value_kind(obj) -> str:
    """What kind of object a value is, for checks that ask for the solution's kind (``same_type``):
    "numpy", "torch", "tensorflow", "python" (a number or bool), "list", "tuple", "dict", "str", "none"
    or "other". Read from ``type(obj)`` and its MRO, which a student cannot fake."""
    kind = type(obj)
    mro = kind.__mro__
    if obj is None:
        return "none"
    if np.generic in mro or np.ndarray in mro:  # before numbers: np.float64 is a float
        return "numpy"
    torch = sys.modules.get("torch")
    if torch is not None and torch.Tensor in mro:
        return "torch"
    if _tensorflow_value(mro):
        return "tensorflow"
    for base, name in ((bool, "python"), (int, "python"), (float, "python"), (complex, "python"), (str, "str"),
                       (dict, "dict"), (list, "list"), (tuple, "tuple")):
        if base in mro:
            return name
    return "other"


def _tensorflow_value(mro) -> bool:
    """A TensorFlow tensor or variable, or a Keras variable (it holds a TensorFlow value)."""
    if "tensorflow" in sys.modules:
        from tensorflow.python.framework import tensor as tensor_lib
        from tensorflow.python.ops import resource_variable_ops

        if tensor_lib.Tensor in mro or resource_variable_ops.BaseResourceVariable in mro:
            return True
    if "keras" in sys.modules:
        from keras.src.backend.common.variables import Variable

        return Variable in mro
    return False


def _numpy_scalar(obj, kind) -> np.ndarray:
    dtype = np.dtype(kind)  # from the class, so a subclass's own ``dtype`` attribute is not consulted
    if dtype.hasobject or dtype.kind == "V" and dtype.name != "bfloat16":
        raise ConversionError("Objekt-Werte (dtype=object) können nicht bewertet werden.")
    return np.frombuffer(bytes(memoryview(obj)), dtype=dtype).reshape(())


def _from_ndarray(arr: np.ndarray, dtype_name: str | None = None) -> Array:
    if arr.dtype.kind in "OV" and arr.dtype.name != "bfloat16" or arr.dtype.hasobject:
        raise ConversionError("Objekt-Arrays (dtype=object) können nicht bewertet werden; "
                              "verwende einen numerischen Datentyp.")
    if arr.dtype.kind in "SUMm":
        raise ConversionError(f"Arrays vom Datentyp {arr.dtype} können nicht bewertet werden.")
    if arr.size > MAX_ELEMENTS:
        raise ConversionError(f"Das Array ist zu groß ({arr.size} Elemente).")
    name = dtype_name or arr.dtype.name
    if arr.dtype.name == "bfloat16":  # ml_dtypes' bfloat16 (TensorFlow); widening is exact
        arr = arr.astype(np.float32)
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("="))
    return Array(np.array(arr, copy=True, order="C"), name)


def _from_dict(obj, depth: int):
    items = list(dict.items(obj))
    for key, _ in items:
        if type(key) is not str:
            raise ConversionError("Nur Dictionaries mit Text-Schlüsseln können bewertet werden.")
    return {key: to_plain(value, depth + 1) for key, value in items}


def _from_sequence(obj, depth: int):
    elements = [to_plain(item, depth + 1) for item in (list.__iter__(obj) if list in type(obj).__mro__ else tuple.__iter__(obj))]
    if elements and all(isinstance(e, Array) for e in elements):
        shapes = {e.shape for e in elements}
        if len(shapes) == 1:  # a rectangular nest of numbers is one array, as np.array would make it
            stacked = np.stack([e.value for e in elements])
            return Array(stacked, _widest_dtype([e for e in elements], stacked))
    return elements


def _widest_dtype(elements: list[Array], stacked: np.ndarray) -> str:
    names = {e.dtype for e in elements}
    return names.pop() if len(names) == 1 else stacked.dtype.name


def _from_torch(obj, kind):
    torch = sys.modules.get("torch")
    if torch is None or torch.Tensor not in kind.__mro__:
        return None
    with torch._C.DisableTorchFunctionSubclass():
        tensor = torch.Tensor.as_subclass(obj, torch.Tensor)
        tensor = torch.Tensor.detach(tensor)
        dtype_name = str(tensor.dtype).removeprefix("torch.")
        if tensor.layout != torch.strided:
            tensor = torch.Tensor.to_dense(tensor)
        tensor = torch.Tensor.cpu(tensor)
        tensor = torch.Tensor.resolve_neg(torch.Tensor.resolve_conj(tensor))
        if tensor.dtype == torch.bfloat16:
            tensor = torch.Tensor.float(tensor)  # numpy has no bfloat16; widening is exact
        try:
            arr = torch.Tensor.numpy(tensor)
        except (TypeError, RuntimeError) as exc:
            raise ConversionError(f"Der PyTorch-Tensor ({dtype_name}) kann nicht gelesen werden: {exc}") from None
    return _from_ndarray(arr, dtype_name)


def _from_tensorflow(obj, kind):
    if "tensorflow" not in sys.modules:
        return None
    from tensorflow.python.framework import ops, tensor as tensor_lib
    from tensorflow.python.ops import resource_variable_ops

    if ops.EagerTensor in kind.__mro__:
        dtype_name = ops._EagerTensorBase.dtype.fget(obj).name
        return _from_ndarray(ops.EagerTensor._numpy_internal(obj), dtype_name)
    base_variable = resource_variable_ops.BaseResourceVariable
    if base_variable in kind.__mro__:
        import tensorflow as tf

        handle = base_variable.handle.fget(obj)
        return tf.raw_ops.ReadVariableOp(resource=handle, dtype=base_variable.dtype.fget(obj))
    if tensor_lib.Tensor in kind.__mro__:
        raise ConversionError("Symbolische TensorFlow-Tensoren (aus tf.function oder einem Keras-Graphen) "
                              "haben keinen Wert; gib ein ausgewertetes Ergebnis zurück.")
    return None


def _from_keras(obj, kind):
    if "keras" not in sys.modules:
        return None
    from keras.src.backend.common.variables import Variable

    if Variable in kind.__mro__:
        return Variable.value.fget(obj)
    return None
