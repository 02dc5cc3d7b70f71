"""Per-student variants: which assignments have them, which variant a student gets, and the notebooks of a
variant (the source with the student's number written into its ``variante()`` calls).

A student's variant is HMAC-SHA256(course secret, assignment + student id) modulo the course's number of
variants: unpredictable without the secret, the same on every run, derived from the student id alone (the
number a submitted notebook names is never read). The secret lives outside the course files:
``GRADERS_VARIANT_SECRET`` or ``c.Variants.secret_file`` (default ``.graders-secret``, not committed).
References are computed per variant, from the variant's notebook, and cached like any solution's.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import os
import re
from pathlib import Path

from traitlets import Integer, Unicode
from traitlets.config import Configurable

from . import _markup as markup
from ._syntax import parse as parse_code
from .course import Course, CourseError

_CALL = re.compile(r"\bvariante\(\s*\)")
ENV = "GRADERS_VARIANT_SECRET"


class VariantError(CourseError):
    """A variant cannot be derived (no secret); German, for the instructor and in grades.json."""


class Variants(Configurable):
    """``nbgrader_config.py``: ``c.Variants.count = 16``, ``c.Variants.secret_file = ".graders-secret"``."""

    count = Integer(16, help="How many variants an assignment with variante() has.").tag(config=True)
    secret_file = Unicode(".graders-secret", help="File (relative to the course) holding the course secret; "
                                                  "GRADERS_VARIANT_SECRET overrides it.").tag(config=True)


def _settings(course: Course) -> Variants:
    from ._nbgrader import course_config

    config = course_config(course.root)
    return Variants(config=config) if config is not None else Variants()


def uses_variants(course: Course, aid: str) -> bool:
    """Whether a code cell of the assignment's source calls ``variante()``."""
    for path in course.notebooks(aid):
        for cell in markup.read_notebook(path).cells:
            if cell.cell_type == "code" and _CALL.search(cell.source) and _calls_variante(cell.source):
                return True
    return False


def _calls_variante(code: str) -> bool:
    try:
        tree = parse_code(code)
    except SyntaxError:
        return False
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "variante" and not n.args
               for n in ast.walk(tree))


def count(course: Course, settings: Variants | None = None) -> int:
    number = (settings or _settings(course)).count
    if number < 2:
        raise CourseError(f"c.Variants.count = {number}: mindestens 2 Varianten.")
    return number


def secret(course: Course, settings: Variants | None = None) -> bytes:
    settings = settings or _settings(course)
    value = os.environ.get(ENV, "")
    if not value:
        path = course.root / settings.secret_file
        value = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    if len(value) < 16:
        raise VariantError(f"Kein Kursgeheimnis für die Varianten: setze {ENV} oder lege die Datei "
                           f"{settings.secret_file} mit mindestens 16 zufälligen Zeichen an (nicht "
                           "einchecken, nie in release/), z. B. python -c \"import secrets; print(secrets.token_hex(32))\".")
    return value.encode()


def of_student(course: Course, aid: str, student: str) -> int:
    """The student's variant of ``aid`` (0 … count-1)."""
    settings = _settings(course)  # the course config, read once per student
    digest = hmac.new(secret(course, settings), f"{aid}\0{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % count(course, settings)


def with_number(code: str, number: int) -> str:
    """A cell's code with the variant written into its ``variante()`` calls."""
    return _CALL.sub(f"variante({number})", code)


def notebooks(course: Course, aid: str, number: int) -> list[Path]:
    """The assignment's source notebooks of variant ``number`` (same names), written once into the cache:
    what the grader runs for a student of that variant and what the references are computed from."""
    folder = course.cache / "variants" / aid / str(number)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path in course.notebooks(aid):
        nb = markup.read_notebook(path)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = with_number(cell.source, number)
        nb.metadata.setdefault("graders", {})["variante"] = number
        target = folder / path.name
        text = _text(nb)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)  # several graders may write the same variant at once
        out.append(target)
    return out


def _text(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"


def sample(course: Course, aid: str, how_many: int = 2) -> list[int]:
    """Variants that ``validate`` checks besides the source's own (0): spread over the range, fixed."""
    total = count(course)
    return sorted({round(i * total / (how_many + 1)) for i in range(1, how_many + 1)} - {0})
