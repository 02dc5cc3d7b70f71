"""Fingerprints of the code and text a student wrote, for ``graders similar``.

Code is tokenised with ``tokenize`` and normalised with the help of its ``ast``: every name the
submission binds (variables, parameters, functions, classes) becomes a placeholder by role, numbers and
strings become one token each, comments, docstrings, ``pass`` and bare ``print(...)`` calls disappear.
What stays verbatim is what a copier cannot rename without breaking the code: keywords, attribute
names, keyword-argument names and names the submission does not bind (``np``, ``len``, the setup
cells' names). Each top-level definition (and each method) is fingerprinted on its own, and each run
of other top-level statements as one, so reordering definitions changes nothing.

Fingerprints are chosen by winnowing (Schleimer, Wilkerson, Aiken 2003, as in MOSS, copydetect and
Dolos): hash every k-gram of tokens, keep the smallest hash of each window of ``w`` consecutive
k-grams. Any shared run of at least ``k + w - 1`` tokens is guaranteed to leave a shared fingerprint.
Markdown answers are fingerprinted the same way as word k-grams.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field

from ._syntax import parse as parse_code

__all__ = ["Fingerprinter", "Fingerprints"]

_DROPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12 splits f-strings into tokens
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_MAGIC = re.compile(r"^[ \t]*[%!]")  # IPython magics and shell escapes: not Python
_WORD = re.compile(r"\w+")


@dataclass
class Fingerprints:
    """One document's fingerprints: hash -> the token positions of each k-gram that has it, and where
    each token is."""
    hashes: dict[int, list[tuple[int, ...]]] = field(default_factory=dict)
    where: list[tuple[int, int]] = field(default_factory=list)  # token position -> (part index, line)
    unit: list[int] = field(default_factory=list)  # token position -> its unit (a definition, a cell's rest)

    def lines(self, kgrams) -> set[tuple[int, int]]:
        """The (part, line) pairs that ``kgrams`` (token positions) touch."""
        return {self.where[i] for kgram in kgrams for i in kgram}


def _role(node: ast.AST) -> tuple[str, str] | None:
    """(name, placeholder) where ``node`` binds a name: F (function), C (class), V (anything else).
    Names bound by ``import`` stay themselves: ``np`` is ``np`` whoever imports it."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name, "F"
    if isinstance(node, ast.ClassDef):
        return node.name, "C"
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return node.id, "V"
    if isinstance(node, ast.arg):
        return node.arg, "V"
    if isinstance(node, ast.ExceptHandler) and node.name:
        return node.name, "V"
    return None


def _is_noise(node: ast.stmt) -> bool:
    """Statements that change nothing a grader sees: docstrings and other bare strings, ``pass``,
    ``...`` and debug output."""
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Constant):
            return True
        return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in ("print", "display"))
    return False


@dataclass
class _Cell:
    """One code part, parsed: the names it binds, what to drop, and the units."""
    source: str
    roles: dict[str, str] = field(default_factory=dict)  # bound name -> placeholder
    noise: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # statements left out: start -> end
    keywords: set[tuple[int, int]] = field(default_factory=set)  # positions of keyword-argument names
    unit_of_line: dict[int, int] = field(default_factory=dict)  # line -> unit number inside this part


def _units(tree: ast.Module) -> dict[int, int]:
    """Line -> unit: each top-level function, each method, and a class's or the module's remaining
    statements (consecutive ones together)."""
    unit_of_line: dict[int, int] = {}
    counter = iter(range(1_000_000))

    def span(node) -> range:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return range(first, (node.end_lineno or node.lineno) + 1)

    def assign(body, rest: int | None):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                unit = next(counter)
                unit_of_line.update((line, unit) for line in span(node))
                rest = None
            elif isinstance(node, ast.ClassDef):
                unit = next(counter)
                unit_of_line.update((line, unit) for line in span(node))
                assign(node.body, unit)  # methods get their own units, the rest stays the class's
                rest = None
            else:
                if rest is None:
                    rest = next(counter)
                unit_of_line.update((line, rest) for line in span(node))

    assign(tree.body, None)
    return unit_of_line


def _parse(source: str) -> _Cell:
    source = "\n".join("" if _MAGIC.match(line) else line for line in source.split("\n"))
    cell = _Cell(source)
    try:
        tree = parse_code(source)
    except (SyntaxError, ValueError):  # broken code is still compared, token by token
        return cell
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and _is_noise(node):
            cell.noise[node.lineno, node.col_offset] = (node.end_lineno, node.end_col_offset)
        elif isinstance(node, ast.keyword) and node.arg:
            cell.keywords.add((node.lineno, node.col_offset))
        elif (bound := _role(node)) is not None and cell.roles.get(bound[0]) != "F":
            cell.roles[bound[0]] = bound[1]
    cell.unit_of_line = _units(tree)
    return cell


def _raw_tokens(source: str):
    """``tokenize``'s tokens, or, where the code does not tokenise, words and single characters."""
    try:
        yield from list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        for number, line in enumerate(source.split("\n"), 1):
            for match in re.finditer(r"\w+|\S", line):
                text = match.group()
                kind = tokenize.NAME if text[0].isalpha() or text[0] == "_" else (
                    tokenize.NUMBER if text[0].isdigit() else tokenize.OP)
                yield tokenize.TokenInfo(kind, text, (number, match.start()), (number, match.end()), line)
            yield tokenize.TokenInfo(tokenize.NEWLINE, "\n", (number, len(line)), (number, len(line) + 1), line)


class Fingerprinter:
    """Turns documents (lists of ``(kind, source)`` parts, kind ``code`` or ``markdown``) into
    fingerprints. One instance per comparison: it numbers the tokens it meets, so that hashes are
    deterministic (a tuple of ints hashes the same in every Python process)."""

    def __init__(self, k: int, w: int, k_text: int):
        self.k, self.w, self.k_text = k, w, k_text
        self._ids: dict[str, int] = {}

    def _id(self, token: str) -> int:
        return self._ids.setdefault(token, len(self._ids))

    def _code_tokens(self, cell: _Cell, roles: dict[str, str]):
        """(normalised token, line, unit) of one code part."""
        previous, unit, line = None, -1, 1
        in_fstring = 0
        dropped_until = None
        for tok in _raw_tokens(cell.source):
            kind, text, start = tok.type, tok.string, tok.start
            if kind in _DROPPED or (kind == tokenize.NEWLINE and previous in (None, "\n")):
                continue
            if dropped_until is not None and start <= dropped_until:
                continue
            if start in cell.noise:  # leave out the whole statement and its line end
                dropped_until = cell.noise[start]
                continue
            if kind == _FSTRING_START:
                in_fstring += 1
                continue
            if in_fstring:
                in_fstring -= kind == _FSTRING_END
                if in_fstring:
                    continue
                token = "S"
            elif kind == tokenize.NAME:
                if previous == "." or start in cell.keywords or keyword.iskeyword(text):
                    token = text
                else:
                    token = roles.get(text, text)
            elif kind == tokenize.NUMBER:
                token = "N"
            elif kind == tokenize.STRING:
                token = "S"
            elif kind == tokenize.NEWLINE:
                token = "\n"
            elif kind == tokenize.INDENT:
                token = "{"
            elif kind == tokenize.DEDENT:
                token = "}"
            else:
                token = text
            previous = token
            if kind not in (tokenize.INDENT, tokenize.DEDENT):  # a block's edges belong to the line before
                unit, line = cell.unit_of_line.get(start[0], -1), start[0]
            yield token, line, unit

    def _tokens(self, parts: list[tuple[str, str]]):
        """(token id, part index, line, unit key) for every token of the document."""
        cells = {i: _parse(source) for i, (kind, source) in enumerate(parts) if kind == "code"}
        roles: dict[str, str] = {}  # across the cells: a helper defined in one is called in another
        for cell in cells.values():
            for name, role in cell.roles.items():
                roles[name] = "F" if "F" in (role, roles.get(name)) else roles.get(name, role)
        for i, (kind, source) in enumerate(parts):
            if kind == "code":
                for token, line, unit in self._code_tokens(cells[i], roles):
                    yield self._id(token), i, line, (i, unit)
            else:
                for number, line in enumerate(source.split("\n"), 1):
                    for word in _WORD.findall(line.lower()):
                        yield self._id("w:" + word), i, number, (i, "text")

    def _by_unit(self, parts):
        """Token ids per unit (in order), and where each token is."""
        units: dict[tuple, list[int]] = {}
        positions: dict[tuple, list[int]] = {}
        result = Fingerprints()
        for ident, part, line, unit in self._tokens(parts):
            units.setdefault(unit, []).append(ident)
            positions.setdefault(unit, []).append(len(result.where))
            result.where.append((part, line))
            result.unit.append(list(units).index(unit))
        return units, positions, result

    def _k(self, unit) -> int:
        return self.k_text if unit[1] == "text" else self.k

    def document(self, parts: list[tuple[str, str]]) -> Fingerprints:
        units, positions, result = self._by_unit(parts)
        for unit, ids in units.items():
            k = self._k(unit)
            hashes = [hash(tuple(ids[i:i + k])) for i in range(len(ids) - k + 1)]
            for i in _winnow(hashes, self.w):
                result.hashes.setdefault(hashes[i], []).append(tuple(positions[unit][i:i + k]))
        return result

    def all_kgrams(self, parts: list[tuple[str, str]]) -> set[int]:
        """Every k-gram hash (not only the winnowed ones): what starter code to leave out."""
        units, _, _ = self._by_unit(parts)
        return {hash(tuple(ids[i:i + self._k(unit)])) for unit, ids in units.items()
                for i in range(len(ids) - self._k(unit) + 1)}


def _winnow(hashes: list[int], w: int) -> list[int]:
    """Robust winnowing: in each window of ``w`` hashes the rightmost smallest, each position once."""
    if len(hashes) <= w:
        return [min(range(len(hashes)), key=lambda i: (hashes[i], -i))] if hashes else []
    chosen: list[int] = []
    for start in range(len(hashes) - w + 1):
        best = min(range(start, start + w), key=lambda i: (hashes[i], -i))
        if not chosen or chosen[-1] != best:
            chosen.append(best)
    return chosen
