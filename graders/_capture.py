"""One capture: what the notebook's process records for a check, and the grader's untrusting read of it.

The envelope is plain data: ``{"value": ..., "type": "numpy", "args_after": {"args": [...], "kwargs": {...}}}``.
``value`` is the checked value (for ``check_structure`` its description), ``type`` the kind of the
object (``_convert.value_kind``), ``args_after`` the call's arguments after the call, only when the
check asks for ``unchanged=True``. The student's process writes it, so ``unpack`` trusts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._convert import to_plain
from ._plaindata import PlainDataError

KIND_WORDS = {  # (nominative, accusative): "erwartet wird ein ..., erhalten einen ..."
    "numpy": ("ein NumPy-Array", "ein NumPy-Array"),
    "torch": ("ein PyTorch-Tensor", "einen PyTorch-Tensor"),
    "tensorflow": ("ein TensorFlow-Tensor", "einen TensorFlow-Tensor"),
    "python": ("eine Python-Zahl", "eine Python-Zahl"),
    "list": ("eine Liste", "eine Liste"),
    "tuple": ("ein Tupel", "ein Tupel"),
    "dict": ("ein Dictionary", "ein Dictionary"),
    "str": ("ein Text (str)", "einen Text (str)"),
    "none": ("None", "None"),
    "other": ("ein anderes Objekt", "ein anderes Objekt"),
}


@dataclass(frozen=True)
class Capture:
    value: object  # plain data
    kind: str  # a key of KIND_WORDS
    args_after: dict | None = None  # {"args": [plain, ...], "kwargs": {name: plain}}


def pack(value, kind: str, arguments: tuple[list, dict] | None = None) -> dict:
    """The envelope of one capture (runs in the notebook's process)."""
    envelope = {"value": to_plain(value), "type": kind}
    if arguments is not None:
        args, kwargs = arguments
        envelope["args_after"] = {"args": [to_plain(a) for a in args],
                                  "kwargs": {k: to_plain(v) for k, v in kwargs.items()}}
    return envelope


def unpack(tree, *, unchanged: bool) -> Capture:
    """A ``Capture`` from plain data read back; ``PlainDataError`` (German) when it is not an envelope."""
    if not isinstance(tree, dict) or "value" not in tree or tree.get("type") not in KIND_WORDS \
            or not set(tree) <= {"value", "type", "args_after"}:
        raise PlainDataError("Das Ergebnis hat ein ungültiges Format.")
    after = tree.get("args_after")
    if unchanged and not (isinstance(after, dict) and set(after) == {"args", "kwargs"}
                          and isinstance(after["args"], list) and isinstance(after["kwargs"], dict)):
        raise PlainDataError("Das Ergebnis hat ein ungültiges Format (Argumente nach dem Aufruf fehlen).")
    return Capture(tree["value"], tree["type"], after if unchanged else None)
