"""A LaTeX formula as readable Unicode text, where no formula can render (Moodle's matching answers).

pylatexenc does the work (``\\sigma`` → σ, ``\\hat y`` → ŷ, ``\\sqrt{d}`` → √(d)); fractions get
parentheses where a bare slash would change the meaning: ``\\frac{2}{n_{in} + n_{out}}`` →
``2/(n_in + n_out)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_SIMPLE = re.compile(r"^[\w.,′']+$")


def _fraction(node, l2tobj) -> str:
    # pylatexenc passes the converter by this keyword
    numerator, denominator = (l2tobj.nodelist_to_text([arg]).strip() for arg in node.nodeargd.argnlist[-2:])
    return f"{_grouped(numerator)}/{_grouped(denominator)}"


def _grouped(text: str) -> str:
    return text if _SIMPLE.match(text) else f"({text})"


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category("graders-fractions", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=_fraction) for name in ("frac", "dfrac", "tfrac")])
    return LatexNodes2Text(latex_context=context, math_mode="text")


@lru_cache(maxsize=4096)
def latex_to_text(formula: str) -> str:
    return " ".join(_converter().latex_to_text(formula).split())
