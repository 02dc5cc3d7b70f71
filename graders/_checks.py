"""Declarative checks: what a hidden test asks for, read from its code without running it.

A hidden test region holds statements such as::

    check("z")
    check("genauigkeit", min=0.9)
    check_function("forward", inputs=[rand(4, 3, seed=1), 0.5], rtol=1e-6)
    check_function("model.predict", inputs=[randn(8, 4, seed=2)], tensors="tf")
    check_function("normiere", inputs=[rand(4, seed=3)], exact_dtype=True, same_type=True, unchanged=True)
    check_structure("modell", ignore=["trainable"])

They are parsed here with ``ast``; arguments may only be literals and the seeded generators of
``_inputs``. Any other statement stays a plain nbgrader test and runs in the student's kernel.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field

import numpy as np

from ._compare import Options
from ._convert import Array, to_plain
from ._inputs import GENERATORS
from ._syntax import parse as parse_code

CHECK_CALLS = ("check", "check_function", "check_structure")
_KINDS = {"check": "value", "check_function": "call", "check_structure": "structure"}
TENSOR_KINDS = (None, "torch", "tf")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OPTION_KEYS = {"rtol", "atol", "recurrent", "check_dtype", "exact_dtype", "precision", "min", "max", "same_type",
                "unchanged"}
_FLAGS = ("recurrent", "check_dtype", "exact_dtype", "same_type", "unchanged")


class CheckSyntaxError(ValueError):
    """A hidden test that is not a valid declarative check (instructor-facing, English)."""


@dataclass(frozen=True)
class CheckSpec:
    kind: str  # "value", "call" or "structure"
    name: str  # a variable, or a dotted path to a callable or a model
    inputs: tuple = ()
    kwargs: dict = field(default_factory=dict)
    tensors: str | None = None
    options: Options = Options()
    minimum: float | None = None
    maximum: float | None = None
    same_type: bool = False  # the kind of object (NumPy, PyTorch, list, ...) must be the solution's
    unchanged: bool = False  # the call must leave its arguments as they were passed
    ignore: tuple[str, ...] = ()  # structure properties not compared

    @property
    def is_threshold(self) -> bool:
        return self.minimum is not None or self.maximum is not None

    @property
    def label(self) -> str:
        """How messages name the checked thing (no inputs: they belong to the hidden test)."""
        return f"{self.name}(...)" if self.kind == "call" else f"`{self.name}`"

    @property
    def key(self) -> str:
        """Identity of the captured value (not of the tolerance): names the reference in the cache."""
        payload = {"kind": self.kind, "name": self.name, "tensors": self.tensors,
                   "inputs": [_digest(to_plain(v)) for v in self.inputs],
                   "kwargs": {k: _digest(to_plain(v)) for k, v in sorted(self.kwargs.items())}}
        if self.unchanged:  # its capture holds the arguments after the call too
            payload["unchanged"] = True
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]


def resolve_target(namespace: dict, dotted: str):
    """What a check names: a variable of the notebook, or an attribute path below one."""
    head, *rest = dotted.split(".")
    if head not in namespace:
        raise NameError(f"`{head}` ist nicht definiert")
    value = namespace[head]
    for part in rest:
        value = getattr(value, part)
    return value


def _digest(plain) -> object:
    if isinstance(plain, Array):
        value = np.ascontiguousarray(plain.value)
        return ["array", plain.dtype, list(value.shape), hashlib.sha256(value.tobytes()).hexdigest()]
    if isinstance(plain, dict):
        return {k: _digest(v) for k, v in plain.items()}
    if isinstance(plain, list):
        return [_digest(v) for v in plain]
    return plain


def make_spec(call: str, name, *, inputs=(), kwargs=None, tensors=None, ignore=(), **options) -> CheckSpec:
    """Build a spec from already evaluated arguments (shared by the parser and the compat API)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise CheckSyntaxError(f"{call}: the first argument must be a (dotted) Python name, got {name!r}")
    unknown = set(options) - _OPTION_KEYS
    if unknown:
        raise CheckSyntaxError(f"{call}({name!r}): unknown options {sorted(unknown)}")
    if options.get("precision") not in (None, "float64", "float32"):
        raise CheckSyntaxError(f"{call}({name!r}): precision must be 'float64' or 'float32'")
    if tensors not in TENSOR_KINDS:
        raise CheckSyntaxError(f"{call}({name!r}): tensors must be one of {TENSOR_KINDS}")
    if call != "check_function" and (inputs or kwargs or tensors):
        raise CheckSyntaxError(f"{call}({name!r}) takes no inputs; use check_function")
    for flag in _FLAGS:
        if type(options.get(flag, False)) is not bool:
            raise CheckSyntaxError(f"{call}({name!r}): {flag} must be True or False")
    if call == "check_structure" and options:
        raise CheckSyntaxError(f"check_structure({name!r}) takes only ignore=[...], not {sorted(options)}")
    if call != "check_structure" and ignore:
        raise CheckSyntaxError(f"{call}({name!r}): ignore= belongs to check_structure")
    if not isinstance(ignore, (list, tuple)) or not all(isinstance(p, str) and _IDENTIFIER.match(p) for p in ignore):
        raise CheckSyntaxError(f"{call}({name!r}): ignore must be a list of property names")
    if options.get("unchanged") and call != "check_function":
        raise CheckSyntaxError(f"{call}({name!r}): unchanged=True needs a call; use check_function")
    if options.get("exact_dtype") and options.get("check_dtype") is False:
        raise CheckSyntaxError(f"{call}({name!r}): exact_dtype=True contradicts check_dtype=False")
    if (options.get("exact_dtype") or options.get("same_type")) and ("min" in options or "max" in options):
        raise CheckSyntaxError(f"{call}({name!r}): exact_dtype and same_type compare with the solution, "
                               "a threshold (min/max) does not")
    return CheckSpec(
        kind=_KINDS[call], name=name, inputs=tuple(inputs),
        kwargs=dict(kwargs or {}), tensors=tensors,
        options=Options(rtol=options.get("rtol"), atol=options.get("atol"),
                        recurrent=options.get("recurrent", False),
                        check_dtype=options.get("check_dtype", True),
                        exact_dtype=options.get("exact_dtype", False),
                        precision=options.get("precision")),
        minimum=options.get("min"), maximum=options.get("max"),
        same_type=options.get("same_type", False), unchanged=options.get("unchanged", False),
        ignore=tuple(ignore))


def parse_hidden(code: str) -> tuple[list[CheckSpec], str]:
    """Split hidden-test code into declarative checks and the remaining plain test code."""
    try:
        tree = parse_code(code)
    except SyntaxError as exc:
        raise CheckSyntaxError(f"hidden test does not parse: {exc}") from None
    specs, rest = [], []
    lines = code.splitlines()
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
        if call is not None and isinstance(call.func, ast.Name) and call.func.id in CHECK_CALLS:
            args = [_evaluate(arg) for arg in call.args]
            if len(args) != 1:
                raise CheckSyntaxError(f"line {stmt.lineno}: {call.func.id} takes exactly one positional argument")
            kwargs = {kw.arg: _evaluate(kw.value) for kw in call.keywords if kw.arg is not None}
            specs.append(make_spec(call.func.id, args[0], **kwargs))
        else:
            rest.append("\n".join(lines[stmt.lineno - 1:stmt.end_lineno]))
    return specs, "\n".join(rest)


def _evaluate(node: ast.AST):
    """Literals and calls of the seeded generators only."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        if not isinstance(value, (int, float)):
            raise CheckSyntaxError(f"line {node.lineno}: unary minus needs a number")
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [_evaluate(e) for e in node.elts]
        return values if isinstance(node, ast.List) else tuple(values)
    if isinstance(node, ast.Dict):
        return {_evaluate(k): _evaluate(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GENERATORS:
        args = [_evaluate(a) for a in node.args]
        kwargs = {kw.arg: _evaluate(kw.value) for kw in node.keywords}
        return GENERATORS[node.func.id](*args, **kwargs)
    raise CheckSyntaxError(
        f"line {getattr(node, 'lineno', '?')}: check arguments may only be literals and "
        f"{sorted(GENERATORS)} calls, not {ast.unparse(node)!r}")
