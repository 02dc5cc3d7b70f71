"""``parse``: ``ast.parse`` behind one lock for the whole grader.

``ast.parse`` is not thread-safe before CPython 3.11.8/3.12.1 (gh-106905: "SystemError: AST constructor
recursion depth mismatch"), and the grader assembles, parses hidden tests and checks variants in several
threads at once: every parse in the grader goes through here, so none runs beside another.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(code: str) -> ast.Module:
    with _LOCK:
        return ast.parse(code)
