"""Question Markdown to HTML for exports, exam pages and the notebook widget.

Formulas (``$…$``, ``$$…$$``) are taken out before Markdown sees them (so ``*`` and ``_`` inside stay
as written) and come back as ``\\(…\\)`` / ``\\[…\\]``, the delimiters MathJax in Moodle and Anki
understands (exam pages turn them into MathML: ``graders._math``); an inline formula may span a line break
(not a blank line). Code spans and blocks keep their dollars. Where no formula renders (Moodle's matching
answers), ``plain`` writes it as Unicode text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from ._latex_text import latex_to_text

_MD = MarkdownIt("commonmark", {"html": False, "breaks": False}).enable("table")
_PROTECT = re.compile(r"(?P<fence>^[ \t]*```.*?^[ \t]*```[ \t]*$)|(?P<code>`[^`\n]+`)"
                      r"|\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^\s$](?:(?:[^$\n]|\n(?![ \t]*\n))*?[^\s$])?)\$",
                      re.DOTALL | re.MULTILINE)
_TOKEN = "GRADERSMATH{}X"
_TOKEN_RE = re.compile(r"GRADERSMATH(\d+)X")


def _stash(text: str) -> tuple[str, list[str]]:
    formulas: list[str] = []

    def replace(match: re.Match) -> str:
        if match.group("fence") or match.group("code"):
            return match.group(0)
        if match.group("display") is not None:
            formulas.append(f"\\[{match.group('display')}\\]")
        else:
            formulas.append(f"\\({match.group('inline')}\\)")
        return _TOKEN.format(len(formulas) - 1)

    return _PROTECT.sub(replace, text), formulas


def _restore(rendered: str, formulas: list[str]) -> str:
    return _TOKEN_RE.sub(lambda m: html.escape(formulas[int(m.group(1))], quote=False), rendered)


@lru_cache(maxsize=16384)
def to_html(markdown: str) -> str:
    """A block of Markdown (question text, feedback) as HTML."""
    text, formulas = _stash(markdown)
    return _restore(_MD.render(text), formulas).strip()


@lru_cache(maxsize=16384)
def inline_html(markdown: str) -> str:
    """One line of Markdown (an answer, a step) as inline HTML, no ``<p>``."""
    text, formulas = _stash(markdown)
    return _restore(_MD.renderInline(text), formulas).strip()


def math_as_code(markdown: str) -> str:
    """Markdown for the terminal: formulas as code spans, so Markdown keeps their backslashes and braces."""
    def replace(match: re.Match) -> str:
        if match.group("fence") or match.group("code"):
            return match.group(0)
        formula = match.group("display") if match.group("display") is not None else match.group("inline")
        ticks = "``" if "`" in formula else "`"
        return f"{ticks} {formula} {ticks}" if ticks == "``" else f"`{formula}`"

    return _PROTECT.sub(replace, markdown)


def plain(markdown: str) -> str:
    """Readable plain text (Moodle matching answers are plain): code backticks dropped, formulas as Unicode."""
    def replace(match: re.Match) -> str:
        if match.group("fence") or match.group("code"):
            return match.group(0)
        return latex_to_text(match.group("display") if match.group("display") is not None else match.group("inline"))

    return re.sub(r"`([^`\n]+)`", r"\1", _PROTECT.sub(replace, markdown)).strip()
