"""``parse``: ``ast.parse`` behind one lock for the whole grader, retried on CPython's race.

``ast.parse`` is not thread-safe before CPython 3.11.8/3.12.1 (gh-106905: "SystemError: AST constructor
recursion depth mismatch"), and the grader assembles, parses hidden tests and checks variants in several
threads at once: every parse in the grader goes through here, so none runs beside another. The lock
cannot cover the standard library's own parses (3.11's ``traceback`` parses the source line of every
frame it formats, in whatever thread), so a parse that meets one of those fails with that SystemError
and is simply repeated: the error says only that another thread converted an AST at the same time.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()
_RETRIES = 4


def parse(code: str) -> ast.Module:
    with _LOCK:
        for _ in range(_RETRIES):
            try:
                return ast.parse(code)
            except SystemError as exc:
                if "recursion depth mismatch" not in str(exc):
                    raise
        return ast.parse(code)
