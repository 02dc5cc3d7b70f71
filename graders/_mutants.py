"""Mutants of a solution cell: small plausible mistakes made to the solution's own code.

Each operator changes one node of the cell's syntax tree inside a ``### BEGIN SOLUTION`` region (what
a student writes) and the mutant is the cell's text with only that node's text replaced, so its diff
is one line. The operator set follows mutmut and cosmic-ray (comparison boundaries, arithmetic,
constants, boolean operators, dropped statements and arguments) and adds what goes wrong in deep
learning code: reductions and axes, dtypes, copies, framework tensor vs NumPy, pooling, activations,
losses, optimizers and learning rates, the data split, class weights and layers.

Identity of a mutant: ``<cell>:<operator>:<line>:<hash>``; the hash covers the mutated code, so an
entry of ``equivalent_mutants.yaml`` stops matching when the solution changes.
"""

from __future__ import annotations

import ast
import copy
import difflib
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._markup import SOLUTION_BEGIN, SOLUTION_END
from ._syntax import parse as parse_code

DEFAULT_PER_CELL = 24  # mutants run per solution cell unless all are asked for (a fixed, seeded sample)

# keyword arguments whose value is no recipe: changing them makes equivalent mutants, not mistakes
_FREE_KEYWORDS = {"verbose", "seed", "random_state", "name", "batch_size", "shuffle", "epochs", "max_iter",
                  "n_init", "workers", "label", "color", "figsize", "end", "sep", "file", "flush"}
_OUTPUT_CALLS = {"print", "display", "summary", "plot", "show", "figure", "subplots", "title", "xlabel",
                 "ylabel", "legend", "imshow", "scatter", "hist", "set_title", "tight_layout", "savefig"}

_COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                  ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
_ARITHMETIC_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                     ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.MatMult: ast.Mult, ast.Mod: ast.FloorDiv}
_SYMBOL_SWAPS = {  # operator -> {name: replacement}; names as attributes, functions or strings
    "reduction": {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "argmax": "argmin",
                  "argmin": "argmax", "amax": "amin", "amin": "amax", "maximum": "minimum", "minimum": "maximum",
                  "std": "var", "var": "std", "nanmean": "nansum", "logsumexp": "sum", "cumsum": "cumprod"},
    "dtype": {"float64": "float32", "float32": "float64", "int64": "int32", "int32": "int64", "double": "float",
              "long": "int", "bool_": "int8"},
    "pooling": {"MaxPooling1D": "AveragePooling1D", "MaxPooling2D": "AveragePooling2D",
                "AveragePooling1D": "MaxPooling1D", "AveragePooling2D": "MaxPooling2D",
                "GlobalMaxPooling1D": "GlobalAveragePooling1D", "GlobalMaxPooling2D": "GlobalAveragePooling2D",
                "GlobalAveragePooling1D": "GlobalMaxPooling1D", "GlobalAveragePooling2D": "GlobalMaxPooling2D",
                "MaxPool1d": "AvgPool1d", "MaxPool2d": "AvgPool2d", "AvgPool1d": "MaxPool1d", "AvgPool2d": "MaxPool2d",
                "AdaptiveMaxPool2d": "AdaptiveAvgPool2d", "AdaptiveAvgPool2d": "AdaptiveMaxPool2d",
                "max_pool2d": "avg_pool2d", "avg_pool2d": "max_pool2d", "max_pool1d": "avg_pool1d",
                "avg_pool1d": "max_pool1d"},
    "loss": {"mse": "mae", "mae": "mse", "mean_squared_error": "mean_absolute_error",
             "mean_absolute_error": "mean_squared_error", "MeanSquaredError": "MeanAbsoluteError",
             "MeanAbsoluteError": "MeanSquaredError", "MSELoss": "L1Loss", "L1Loss": "MSELoss",
             "mse_loss": "l1_loss", "l1_loss": "mse_loss", "cross_entropy": "nll_loss", "nll_loss": "cross_entropy",
             "CrossEntropyLoss": "NLLLoss", "NLLLoss": "CrossEntropyLoss", "BCEWithLogitsLoss": "BCELoss",
             "BCELoss": "BCEWithLogitsLoss", "binary_cross_entropy_with_logits": "binary_cross_entropy",
             "binary_cross_entropy": "binary_cross_entropy_with_logits", "binary_crossentropy": "mse",
             "BinaryCrossentropy": "MeanSquaredError", "huber": "mse", "Huber": "MeanSquaredError",
             "HuberLoss": "MSELoss"},
    "optimizer": {"Adam": "SGD", "SGD": "Adam", "AdamW": "Adam", "RMSprop": "SGD", "Adagrad": "SGD",
                  "adam": "sgd", "sgd": "adam", "rmsprop": "sgd"},
    "activation": {"ReLU": "Identity", "Sigmoid": "Identity", "Tanh": "Identity", "GELU": "Identity",
                   "LeakyReLU": "ReLU", "Softmax": "Identity", "relu": "linear", "sigmoid": "linear",
                   "tanh": "linear", "softmax": "linear", "gelu": "linear", "elu": "linear", "leaky_relu": "relu",
                   "log_softmax": "softmax"},
}
_ACTIVATION_FUNCTIONS = {"relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "leaky_relu", "log_softmax",
                         "selu", "softplus", "silu"}
_TO_FRAMEWORK = {"tensor", "as_tensor", "from_numpy", "convert_to_tensor", "constant", "Variable"}
_TO_NUMPY = {"numpy", "item", "tolist", "asarray", "array", "detach", "cpu"}
_COPIES = {"copy", "clone", "deepcopy"}
_LEARNING_RATE = {"lr", "learning_rate"}
_AXIS = {"axis", "dim", "axes"}
_LAYER_CONTAINERS = {"Sequential", "ModuleList"}


@dataclass(frozen=True)
class Mutant:
    id: str
    notebook: str
    cell: str  # the solution cell's grade_id
    operator: str
    line: int  # 1-based, in the cell
    description: str
    code: str  # the whole mutated cell
    original: str
    error: str = ""  # why the mutant cannot be built (it is then reported, never run)

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.original.splitlines(keepends=True),
                                            self.code.splitlines(keepends=True), f"{self.cell} (Lösung)",
                                            f"{self.cell} ({self.operator})", n=1))


def mutants_of(code: str, notebook: str, cell: str, known_names: set[str] = frozenset()) -> list[Mutant]:
    """Every distinct mutant of one solution cell; one that does not compile carries its ``error``.
    ``known_names``: names defined anywhere in the notebook (the split operator swaps ``X_train`` for
    ``X_test`` or ``X`` only where those exist)."""
    try:
        tree = parse_code(code)
    except SyntaxError:
        return []
    lines = code.splitlines(keepends=True)
    regions = _solution_lines(lines)
    seen, out = {ast.dump(tree)}, []
    for node, replacement, operator, description in _sites(tree, known_names):
        if not _inside(node, regions):
            continue
        mutated = _splice(lines, node, replacement)
        error = ""
        try:
            mutated_tree = parse_code(mutated)
            compile(mutated_tree, "<mutant>", "exec")
            dump = ast.dump(mutated_tree)
        except (SyntaxError, ValueError) as exc:  # e.g. a replacement its context does not allow
            error, dump = f"{type(exc).__name__}: {exc}", mutated
        if dump in seen:
            continue
        seen.add(dump)
        digest = hashlib.sha256(mutated.encode()).hexdigest()[:8]
        out.append(Mutant(f"{cell}:{operator}:{node.lineno}:{digest}", notebook, cell, operator, node.lineno,
                          description, mutated, code, error))
    return out


def sample(mutants: list[Mutant], limit: int | None, salt: str = "") -> list[Mutant]:
    """At most ``limit`` mutants, the same ones on every run: operators take turns so that each kind of
    mistake is represented, each operator's mutants in a seeded order."""
    if limit is None or len(mutants) <= limit:
        return list(mutants)
    rng = random.Random(salt)
    by_operator: dict[str, list[Mutant]] = {}
    for mutant in sorted(mutants, key=lambda m: m.id):
        by_operator.setdefault(mutant.operator, []).append(mutant)
    queues = [rng.sample(group, len(group)) for _, group in sorted(by_operator.items())]
    chosen = []
    while len(chosen) < limit:
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop())
    return sorted(chosen, key=lambda m: m.id)


def _solution_lines(lines: list[str]) -> list[tuple[int, int]]:
    """1-based inclusive line ranges inside solution regions; the whole cell when it has no markers."""
    regions, start = [], None
    for number, line in enumerate(lines, 1):
        if line.strip() == SOLUTION_BEGIN:
            start = number + 1
        elif line.strip() == SOLUTION_END and start is not None:
            regions.append((start, number - 1))
            start = None
    return regions or [(1, len(lines))]


def _inside(node: ast.AST, regions) -> bool:
    return any(first <= node.lineno and node.end_lineno <= last for first, last in regions)


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """Character offset of an ast position (columns count UTF-8 bytes)."""
    before = sum(len(line) for line in lines[:lineno - 1])
    return before + len(lines[lineno - 1].encode()[:col].decode(errors="ignore"))


def _splice(lines: list[str], node: ast.AST, replacement: str) -> str:
    text = "".join(lines)
    start = _offset(lines, node.lineno, node.col_offset)
    end = _offset(lines, node.end_lineno, node.end_col_offset)
    return text[:start] + replacement + text[end:]


def _expr(node: ast.AST) -> str:
    text = ast.unparse(node)
    atomic = (ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Tuple, ast.Dict)
    return text if isinstance(node, atomic) else f"({text})"


def _changed(node: ast.AST, **fields) -> ast.AST:
    new = copy.deepcopy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _sites(tree: ast.AST, known_names: set[str]) -> Iterator[tuple[ast.AST, str, str, str]]:
    """(node, replacement text, operator, description) for every mutation of every node."""
    skip = set()  # nodes under output calls (print, plots) and free keywords: no recipe there
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in _OUTPUT_CALLS:
            skip |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.keyword) and node.arg in _FREE_KEYWORDS:
            skip |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, ast.JoinedStr):
            skip |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        for site in _node_sites(node, known_names):
            yield site


def _node_sites(node: ast.AST, known_names: set[str]) -> Iterator[tuple[ast.AST, str, str, str]]:
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE_SWAPS:
        new_op = _COMPARE_SWAPS[type(node.ops[0])]()
        yield node, _expr(_changed(node, ops=[new_op])), "compare", "Vergleich an der Grenze geändert"
    elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC_SWAPS:
        yield node, _expr(_changed(node, op=_ARITHMETIC_SWAPS[type(node.op)]())), "arithmetic", "Rechenzeichen getauscht"
    elif isinstance(node, ast.AugAssign) and type(node.op) in _ARITHMETIC_SWAPS:
        yield node, ast.unparse(_changed(node, op=_ARITHMETIC_SWAPS[type(node.op)]())), "arithmetic", \
            "Rechenzeichen getauscht"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield node, _expr(node.operand), "unary", "Vorzeichen bzw. Negation entfernt"
    elif isinstance(node, ast.BoolOp):
        yield node, _expr(_changed(node, op=ast.Or() if isinstance(node.op, ast.And) else ast.And())), "boolean", \
            "and/or getauscht"
    elif isinstance(node, ast.Constant):
        yield from _constant_sites(node)
    elif isinstance(node, ast.Call):
        yield from _call_sites(node, known_names)
    elif isinstance(node, ast.Attribute):
        yield from _symbol_sites(node, node.attr, lambda new: _expr(_changed(node, attr=new)))
    elif isinstance(node, ast.Name):
        yield from _name_sites(node, known_names)
    elif isinstance(node, ast.Assign):
        yield from _assign_sites(node)
    if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import,
                                                              ast.ImportFrom, ast.Pass)):
        quiet = isinstance(node, ast.Expr) and (isinstance(node.value, ast.Constant)  # a docstring
                                                or isinstance(node.value, ast.Call)
                                                and _call_name(node.value) in _OUTPUT_CALLS)
        if not quiet:
            yield node, "pass", "statement", "Anweisung weggelassen"


def _constant_sites(node: ast.Constant) -> Iterator[tuple[ast.AST, str, str, str]]:
    value = node.value
    if isinstance(value, bool):
        yield node, repr(not value), "constant", "Wahrheitswert umgedreht"
    elif isinstance(value, int):
        for new in ({0: [1], 1: [0, 2]}.get(value) or [value + 1, value - 1]):
            yield node, repr(new), "constant", f"Konstante {value} → {new}"
    elif isinstance(value, float):
        for new in ([1.0] if value == 0 else [value * 2] + ([0.0] if abs(value) < 1e-3 else [])):
            yield node, repr(new), "constant", f"Konstante {value:g} → {new:g}"
    elif isinstance(value, str):
        yield from _symbol_sites(node, value, lambda new: repr(new))


def _symbol_sites(node, symbol: str, render) -> Iterator[tuple[ast.AST, str, str, str]]:
    for operator, swaps in _SYMBOL_SWAPS.items():
        if symbol in swaps:
            yield node, render(swaps[symbol]), operator, f"{symbol} → {swaps[symbol]}"


def _name_sites(node: ast.Name, known_names: set[str]) -> Iterator[tuple[ast.AST, str, str, str]]:
    if not isinstance(node.ctx, ast.Load):
        return
    yield from _symbol_sites(node, node.id, lambda new: new)
    if "train" in node.id:  # the wrong split: test data in training, or preprocessing fitted on all data
        for other in (node.id.replace("train", "test"), node.id.replace("train", "val"),
                      re.sub(r"_?train_?", "", node.id)):
            if other != node.id and other in known_names:
                yield node, other, "split", f"{node.id} → {other}"


def _call_sites(call: ast.Call, known_names: set[str]) -> Iterator[tuple[ast.AST, str, str, str]]:
    name = _call_name(call)
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    # a call replaced by its data: framework conversion, NumPy conversion, a copy, an activation
    if name in _TO_NUMPY and receiver is not None and not call.args and not call.keywords:
        yield call, _expr(receiver), "framework", f".{name}() weggelassen"
    elif len(call.args) >= 1 and not isinstance(call.args[0], ast.Starred):
        first = call.args[0]
        if name in _TO_FRAMEWORK | {"asarray", "array"}:
            yield call, _expr(first), "framework", f"{name}(...) weggelassen"
        elif name in _ACTIVATION_FUNCTIONS and len(call.args) == 1:
            yield call, _expr(first), "activation", f"{name}(...) weggelassen"
        elif name in _COPIES and len(call.args) == 1:
            yield call, _expr(first), "copy", f"{name}(...) weggelassen: das Original wird verändert"
    if name in _COPIES and receiver is not None and not call.args:
        yield call, _expr(receiver), "copy", f".{name}() weggelassen: das Original wird verändert"
    for index, keyword in enumerate(call.keywords):
        if keyword.arg is None or keyword.arg in _FREE_KEYWORDS:
            continue
        rest = call.keywords[:index] + call.keywords[index + 1:]
        yield call, _expr(_changed(call, keywords=rest)), "argument", f"Argument {keyword.arg}= weggelassen"
        value = keyword.value
        if keyword.arg in _LEARNING_RATE and isinstance(value, ast.Constant) and isinstance(value.value, (int, float)):
            for factor in (10, 0.1):
                new = copy.deepcopy(call)
                new.keywords[index].value = ast.Constant(value.value * factor)
                yield call, _expr(new), "learning-rate", f"{keyword.arg} × {factor:g}"
        if keyword.arg in _AXIS and isinstance(value, ast.Constant) and isinstance(value.value, int):
            new = copy.deepcopy(call)
            new.keywords[index].value = ast.Constant(0 if value.value != 0 else 1)
            yield call, _expr(new), "axis", f"{keyword.arg}={value.value} → {new.keywords[index].value.value}"
    if len(call.args) == 2 and all(isinstance(a, (ast.Name, ast.Attribute, ast.Subscript)) for a in call.args):
        if ast.dump(call.args[0]) != ast.dump(call.args[1]):
            yield call, _expr(_changed(call, args=call.args[::-1])), "argument", "Argumente vertauscht"
    if name in _LAYER_CONTAINERS:  # a layer removed from a Sequential model
        layers = call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], (ast.List, ast.Tuple)) \
            else call.args
        for index in range(len(layers)) if len(layers) >= 2 else ():
            if isinstance(layers[index], ast.Call) and _call_name(layers[index]) not in {"Input", "InputLayer"}:
                new = copy.deepcopy(call)
                container = new.args[0].elts if layers is not call.args else new.args
                del container[index]
                yield call, _expr(new), "layer", f"Schicht {_call_name(layers[index])} entfernt"


def _assign_sites(node: ast.Assign) -> Iterator[tuple[ast.AST, str, str, str]]:
    """``x = x + y`` → ``x += y``: the caller's array is changed in place."""
    value = node.value
    if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and isinstance(value, ast.BinOp)
            and isinstance(value.left, ast.Name) and value.left.id == node.targets[0].id):
        augmented = ast.AugAssign(target=node.targets[0], op=value.op, value=value.right)
        yield node, ast.unparse(augmented), "copy", "in-place statt Kopie"
