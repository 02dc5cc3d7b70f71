"""LaTeX formulas as MathML, rendered on the server: pages show math offline, without MathJax or a CDN
(browsers render MathML natively). Used by the feedback pages and the exam pages.

Formulas are ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]``; code keeps its dollars. A formula
latex2mathml cannot read stays readable as its LaTeX source in a ``<code class="graders-tex">``.

    html = math_in_html(html)                   # formulas in an HTML page's text
    text, formulas = stash_math(markdown)       # before a Markdown renderer sees them …
    html = restore_math(rendered, formulas)     # … and back as MathML afterwards
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache

from latex2mathml.converter import convert

# in Markdown: fenced blocks and code spans first, so their dollars stay as written
_MD_FORMULA = re.compile(
    r"(?P<fence>^[ \t]*(?P<ticks>```+|~~~+).*?^[ \t]*(?P=ticks)[ \t]*$)|(?P<code>(?P<bt>`+).+?(?P=bt))"
    r"|\$\$(?P<display>.+?)\$\$|\\\[(?P<bdisplay>.+?)\\\]|\\\((?P<binline>.+?)\\\)"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)",
    re.DOTALL | re.MULTILINE)
# in HTML: elements whose text is no prose (kept whole), other tags and comments (kept), text between
_HTML_SKIP = re.compile(r"<(?P<tag>script|style|pre|code|textarea|math|kbd|samp)\b[^>]*>.*?</(?P=tag)\s*>"
                        r"|<!--.*?-->|<[^>]*>", re.DOTALL | re.IGNORECASE)
_HTML_FORMULA = re.compile(r"\$\$(?P<display>.+?)\$\$|\\\[(?P<bdisplay>.+?)\\\]|\\\((?P<binline>.+?)\\\)"
                           r"|(?<![\\$])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d)", re.DOTALL)
_ELEMENT = re.compile(r"<(script|style|pre|code|textarea|math|kbd|samp)\b", re.IGNORECASE)
_TOKEN = re.compile(r"GRADERSMATH[0-9a-f]+N\d+X")
# latex2mathml keeps an unknown command (``<mi>\foo</mi>``) or a stray brace as text: not a formula
_UNREAD = re.compile(r">\s*(\\[A-Za-z]+|[{}])\s*<")


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool

    @property
    def html(self) -> str:
        return to_mathml(self.tex, self.display)

    @property
    def delimited(self) -> str:
        return f"$${self.tex}$$" if self.display else f"${self.tex}$"


def _formula(match: re.Match, unescape: bool = False) -> Formula | None:
    for group, display in (("display", True), ("bdisplay", True), ("binline", False), ("inline", False)):
        if match.group(group) is not None:
            tex = match.group(group).strip()
            return Formula(html.unescape(tex) if unescape else tex, display)
    return None  # code


@lru_cache(maxsize=8192)
def to_mathml(tex: str, display: bool = False) -> str:
    """One formula as a ``<math>`` element; its LaTeX source in a ``<code>`` where it cannot be read."""
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds (missing braces, bad environments, …)
        mathml = ""
    if not mathml or _UNREAD.search(mathml):
        return f'<code class="graders-tex">{html.escape(Formula(tex, display).delimited)}</code>'
    # the page is HTML, not XML: no namespace needed, and an alttext for screen readers and copying
    return mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"',
                          f' alttext="{html.escape(tex, quote=True)}"', 1)


def math_in_html(page: str) -> str:
    """Every formula in the prose of an HTML page (outside code, scripts, styles and tags) as MathML."""
    def convert_text(text: str) -> str:
        if "$" not in text and "\\" not in text:
            return text
        return _HTML_FORMULA.sub(lambda m: _formula(m, unescape=True).html, text)

    return _walk(page, convert_text, lambda markup: markup)


def stash_math(markdown: str) -> tuple[str, dict[str, Formula]]:
    """The Markdown with each formula replaced by a plain-word token, and the formulas by token.

    Markdown then cannot touch a formula's ``*``, ``_`` or ``\\``; tokens carry a hash of the text,
    so no other text on the page is taken for one."""
    salt = hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:10]
    formulas: dict[str, Formula] = {}

    def replace(match: re.Match) -> str:
        formula = _formula(match)
        if formula is None:
            return match.group(0)
        token = f"GRADERSMATH{salt}N{len(formulas)}X"
        formulas[token] = formula
        return token

    return _MD_FORMULA.sub(replace, markdown), formulas


def restore_math(rendered: str, formulas: dict[str, Formula]) -> str:
    """The rendered HTML with each token back: MathML in prose, the LaTeX source in code, and plain
    words inside tags (a heading's id and anchor link are made from its text)."""
    if not formulas:
        return rendered

    def back(how):
        return lambda text: _TOKEN.sub(lambda m: how(formulas[m.group(0)]) if m.group(0) in formulas
                                       else m.group(0), text)

    in_text = back(lambda f: f.html)
    in_code = back(lambda f: html.escape(f.delimited, quote=False))
    in_tag = back(lambda f: re.sub(r"\W+", "", f.tex))
    return _walk(rendered, in_text, lambda markup: in_tag(markup) if markup.startswith("<") and
                 not _ELEMENT.match(markup) else in_code(markup))


def _walk(page: str, text, markup) -> str:
    """``text`` applied to the prose of an HTML page, ``markup`` to its tags, comments and code elements."""
    out, last = [], 0
    for skip in _HTML_SKIP.finditer(page):
        out += [text(page[last:skip.start()]), markup(skip.group(0))]
        last = skip.end()
    out.append(text(page[last:]))
    return "".join(out)
