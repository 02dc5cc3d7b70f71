"""Fill a parameterized question's template (``str.format`` syntax) with its values, numbers in German.

Each placeholder is formatted for where it stands: in plain text ``0,5``, inside ``$…$`` ``0{,}5``,
inside a code span as Python writes it. Lists become ``(0,5; 1,2)`` (a comma would be ambiguous
next to decimal commas), strings from a generator get the same treatment for the decimals inside
them. ``{answer}`` shows the digits the question asks for (a spec such as ``{answer:.4f}`` cannot
show more); other explicit specs (``{h1:.3f}``) are applied first and then written in German.
"""

from __future__ import annotations

import re
import string
from typing import Any, Mapping

from ._numbers import Precision, format_de, germanize

TEXT, MATH, DISPLAY, CODE = "text", "math", "display", "code"
_FORMATTER = string.Formatter()
_DECIMAL = re.compile(r"(?<![\w.,{])(-?\d+)\.(\d+)(?![\w.])")


class _Context:
    """Where a position in Markdown is: plain text, inline or display math, or a code span/block."""

    def __init__(self, state: str = TEXT):
        self.state = state
        self._ticks = ""

    def feed(self, text: str) -> None:
        i = 0
        while i < len(text):
            char = text[i]
            if self.state == CODE:
                if text.startswith(self._ticks, i):
                    self.state, i = TEXT, i + len(self._ticks)
                    continue
            elif char == "\\":
                i += 2
                continue
            elif char == "`" and self.state == TEXT:
                run = len(text[i:]) - len(text[i:].lstrip("`"))
                self.state, self._ticks, i = CODE, "`" * run, i + run
                continue
            elif text.startswith("$$", i) and self.state in (TEXT, DISPLAY):
                self.state, i = (DISPLAY if self.state == TEXT else TEXT), i + 2
                continue
            elif char == "$" and self.state in (TEXT, MATH):
                self.state = MATH if self.state == TEXT else TEXT
            i += 1

    @property
    def math(self) -> bool:
        return self.state in (MATH, DISPLAY)


def render(template: str, values: Mapping[str, Any], answer: Precision | None = None) -> str:
    """The template with ``values`` filled in; raises ``KeyError``/``IndexError``/``ValueError`` as ``format``."""
    out: list[str] = []
    context = _Context()
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        out.append(literal)
        context.feed(literal)
        if name is None:
            continue
        value, _ = _FORMATTER.get_field(name, (), values)
        if conversion:
            value = _FORMATTER.convert_field(value, conversion)
        spec = _FORMATTER.vformat(spec, (), values) if spec else ""
        if name == "answer" and answer is not None:
            # the asked digits win over a spec written for the old plain format ({answer:.4f})
            text = answer.format(value, context.math)
        else:
            text = _value(value, spec, context)
        out.append(text)
        context.feed(text)
    return "".join(out)


def _value(value: Any, spec: str, context: _Context) -> str:
    if context.state == CODE:
        return format(value, spec)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if spec:
            formatted = format(value, spec)
            return germanize(formatted, context.math) if _PLAIN_NUMBER.match(formatted) else formatted
        return format_de(value, math_mode=context.math)
    if isinstance(value, (list, tuple)):
        items = [_value(v, spec, context) for v in value]
        decimal = any(isinstance(v, float) and not float(v).is_integer() for v in value)
        separator = (";\\ " if context.math else "; ") if decimal else ", "
        return "(" + separator.join(items) + ")"
    if isinstance(value, str):
        return german_decimals(format(value, spec), context.state)
    return format(value, spec)


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def german_decimals(text: str, state: str = TEXT) -> str:
    """Decimal points of the numbers in ``text`` as commas (``{,}`` in math), code spans untouched."""
    out, context, last = [], _Context(state), 0
    for match in _DECIMAL.finditer(text):
        before = text[last:match.start()]
        context.feed(before)
        out.append(before)
        if context.state == CODE:
            out.append(match.group(0))
        else:
            out.append(match.group(1) + ("{,}" if context.math else ",") + match.group(2))
        context.feed(match.group(0))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
