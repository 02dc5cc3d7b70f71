"""Plain data on disk: the only form in which values cross between processes.

A folder holds ``manifest.json`` (the tree: ``{"array": "3.npy", "dtype": "bfloat16"}``,
``{"str": ...}``, ``{"none": true}``, ``{"dict": {...}}``, ``{"list": [...]}``) and one ``.npy``
file per array. Reading never unpickles, refuses object dtypes and caps sizes, because the folder
may have been written by a student's process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ._convert import Array

MAX_MANIFEST_BYTES = 1 << 20
MAX_ARRAY_BYTES = 256 << 20
_NPY_NAME = re.compile(r"^[0-9]{1,6}\.npy$")


class PlainDataError(ValueError):
    """The folder does not hold valid plain data (German message)."""


def write_plain(tree, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1_000_000))

    def encode(node):
        if isinstance(node, Array):
            name = f"{next(counter)}.npy"
            np.save(folder / name, node.value, allow_pickle=False)
            return {"array": name, "dtype": node.dtype}
        if isinstance(node, str):
            return {"str": node}
        if node is None:
            return {"none": True}
        if isinstance(node, dict):
            return {"dict": {key: encode(value) for key, value in node.items()}}
        if isinstance(node, list):
            return {"list": [encode(value) for value in node]}
        raise TypeError(f"not plain data: {type(node)!r}")

    (folder / "manifest.json").write_text(json.dumps(encode(tree)), encoding="utf-8")


def read_plain(folder: Path):
    manifest = folder / "manifest.json"
    try:
        if manifest.is_symlink() or manifest.stat().st_size > MAX_MANIFEST_BYTES:
            raise PlainDataError("Das Ergebnis ist zu groß oder ungültig.")
        tree = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlainDataError(f"Das Ergebnis konnte nicht gelesen werden ({type(exc).__name__}).") from None
    budget = [MAX_ARRAY_BYTES]
    return _decode(tree, folder, budget, depth=0)


def _decode(node, folder: Path, budget: list[int], depth: int):
    if depth > 64 or not isinstance(node, dict) or len(node) not in (1, 2):
        raise PlainDataError("Das Ergebnis hat ein ungültiges Format.")
    if "array" in node:
        name, dtype = node.get("array"), node.get("dtype")
        if not isinstance(name, str) or not _NPY_NAME.match(name) or not isinstance(dtype, str):
            raise PlainDataError("Das Ergebnis hat ein ungültiges Format.")
        path = folder / name
        if path.is_symlink() or not path.is_file() or path.stat().st_size > budget[0]:
            raise PlainDataError("Ein Ergebnis-Array fehlt oder ist zu groß.")
        budget[0] -= path.stat().st_size
        try:
            value = np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise PlainDataError(f"Ein Ergebnis-Array ist ungültig ({exc}).") from None
        if value.dtype.hasobject or value.dtype.kind not in "biufc":
            raise PlainDataError("Ein Ergebnis-Array hat einen ungültigen Datentyp.")
        return Array(value, dtype)
    if "str" in node and isinstance(node["str"], str):
        return node["str"]
    if node.get("none") is True:
        return None
    if isinstance(node.get("dict"), dict):
        return {str(k): _decode(v, folder, budget, depth + 1) for k, v in node["dict"].items()}
    if isinstance(node.get("list"), list):
        return [_decode(v, folder, budget, depth + 1) for v in node["list"]]
    raise PlainDataError("Das Ergebnis hat ein ungültiges Format.")
