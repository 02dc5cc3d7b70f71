"""Formulas as MathML on the server (graders._math): converted where they are prose, left alone in code,
readable where latex2mathml cannot read them, and every formula of the course converts."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from graders._math import math_in_html, restore_math, stash_math, to_mathml
from graders.bank import load_bank, variant
from graders.bank.exam import generate
from graders.feedback import render_html

from .browser import render, skip_reason
from .conftest import ROOT


def test_a_formula_becomes_mathml_inline_or_as_a_block():
    inline = to_mathml(r"\frac{a}{b}")
    assert inline.startswith('<math alttext="\\frac{a}{b}" display="inline">') and "<mfrac>" in inline
    assert 'display="block"' in to_mathml(r"\sum_i x_i", display=True)


@pytest.mark.parametrize("tex", [r"\frac{a}{", r"a^{", r"\gibtsnicht{x}", r"x}"])
def test_an_unreadable_formula_stays_readable_as_its_source(tex):
    assert to_mathml(tex) == f'<code class="graders-tex">${tex}$</code>'


def test_html_prose_is_converted_code_scripts_and_tags_are_not():
    page = ('<p title="$a$">Es gilt \\(x &lt; \\sqrt{y}\\) und $z_1$ sowie</p>\\[e^x\\]'
            '<code>$code$</code><pre>\\(pre\\)</pre><script>var s = "$x$";</script><p>5 $ und 6 $</p>')
    out = math_in_html(page)
    assert out.count("<math") == 3 and "<mo>&#x0003C;</mo>" in out and "<msqrt>" in out
    assert 'display="block"' in out
    assert '<p title="$a$">' in out and "<code>$code$</code>" in out and "<pre>\\(pre\\)</pre>" in out
    assert 'var s = "$x$";' in out and "<p>5 $ und 6 $</p>" in out


def test_markdown_cannot_touch_a_stashed_formula():
    markdown = "Mit $a_1 * b_2 * c$ und *kursiv* und `$nicht$`\n\n```\n$auch nicht$\n```\n\n$$\\frac{1}{n}$$"
    text, formulas = stash_math(markdown)
    assert len(formulas) == 2 and "$nicht$" in text and "$auch nicht$" in text
    out = restore_math(MarkdownIt().render(text), formulas)
    assert out.count("<math") == 2 and out.count("<em>") == 1 and "<msub>" in out and "<mfrac>" in out
    assert "<code>$nicht$</code>" in out and "GRADERSMATH" not in out


def test_a_feedback_page_shows_mathml_and_keeps_headings_valid():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("## Die Summe $\\sum_i w_i x_i$\n\nSigmoid: "
                                                  "$\\sigma(z) = \\dfrac{1}{1 + e^{-z}}$, auch \\(z \\ge 0\\)."))
    nb.cells.append(nbformat.v4.new_code_cell("preis = '$5$'"))
    page = render_html(nb)
    assert page.count("<math") == 3 and "GRADERSMATH" not in page
    assert not re.search(r"<[^>]*<math", page)  # no formula inside a tag (the heading's id)
    assert "\\dfrac" not in re.sub(r'alttext="[^"]*"', "", page)
    assert "&#39;$5$&#39;" in page or "'$5$'" in page


def test_every_formula_of_the_course_converts():
    """The assignments' Markdown and every bank question (generated ones in one variant)."""
    texts = []
    for notebook in sorted((ROOT / "source").glob("*/*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    for q in load_bank(ROOT / "bank").questions:
        v = variant(q, 0)
        texts += [v.text, v.feedback] + [c.text + " " + c.feedback for c in q.choices]
    formulas = [f for text in texts for f in stash_math(text)[1].values()]
    unread = sorted({f.tex for f in formulas if "graders-tex" in f.html})
    assert len(formulas) > 1000
    assert unread == []


# -- in Chromium: what a student or an examiner sees, offline -------------------------------------------

browser = pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    """An exam of the real bank on two formula-heavy topics (the default paper, ``muster``)."""
    out = tmp_path_factory.mktemp("exam")
    bank = load_bank(ROOT / "bank")
    topics = ["aktivierungsfunktionen", "attention"]
    generate(bank, len(bank.select(topics).questions), 7, out, topics=topics)
    return out


def test_exam_pages_carry_mathml_and_load_nothing(exam):
    for page in (exam / "muster" / "pruefung.html", exam / "muster" / "loesung.html", exam / "loesungen.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("<math") > 20 and "mathjax" not in text.lower() and "<script" not in text
        assert "\\(" not in re.sub(r'alttext="[^"]*"', "", text)


@browser
@pytest.mark.parametrize("name", ["pruefung", "loesung"])
def test_exam_in_chromium_shows_rendered_formulas(exam, name):
    page = exam / "muster" / f"{name}.html"
    shot = exam / f"{name}.png"
    seen = render(page, ["math", ".question"], screenshot=shot)
    assert seen.errors == [] and seen.requests == [] and seen.invisible() == []
    assert len(seen.sizes["math"]) > 20
    assert not re.search(r"\\(frac|sqrt|sigma|cdot|text)|\\\(|\$", seen.text)
    assert shot.stat().st_size > 10_000
