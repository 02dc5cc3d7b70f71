"""Feedback pages help students without handing them the hidden tests."""

from __future__ import annotations

import re

import numpy as np
import pytest

from graders import _markup as markup
from graders._assemble import assemble
from graders._references import load_references
from graders.feedback import feedback

from .conftest import SAMPLE_AID

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(course, graded):
    # other tests add students to the shared course; these pages are the samples'
    return {page: page.read_text(encoding="utf-8") for page in feedback(course, SAMPLE_AID, sorted(graded))}


def test_one_page_per_sample_with_scores_and_messages(pages, graded):
    assert len(pages) == len(graded)
    page = next(text for path, text in pages.items() if "s03-knapp-daneben" in str(path))
    assert "12 von 14" in page and "außerhalb der Toleranz" in page and "graders drill --student" in page


def test_no_hidden_test_code_in_any_page(course, pages):
    source = markup.read_notebook(course.notebooks(SAMPLE_AID)[0])
    hidden = [line.strip() for cell in source.cells if markup.role(cell) == "test"
              for line in markup.split_hidden(cell.source)[1].splitlines() if line.strip()]
    assert hidden
    for text in pages.values():
        plain = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#34;", '"')
        assert "HIDDEN TESTS" not in plain
        for line in hidden:
            assert line not in plain
            assert re.sub(r"\s+", "", line) not in re.sub(r"\s+", "", plain)


def test_no_reference_value_of_a_hidden_input_in_any_page(course, pages, engine):
    notebook = course.notebooks(SAMPLE_AID)[0]
    source = markup.read_notebook(notebook)
    refs = load_references(course, SAMPLE_AID, notebook, engine=engine)
    keys = {spec.key for test in assemble(source, source).tests for spec in test.specs if spec.kind == "call"}
    values = [float(v) for key in keys for leaf in _leaves(refs.get(key)) for v in np.ravel(leaf)
              if np.isfinite(v) and abs(v) > 1e-3 and float(v) != round(float(v), 2)]
    assert len(values) > 20
    for text in pages.values():
        for value in values:
            for written in (repr(value), f"{value:.6g}", f"{value:.5f}"):
                if len(re.sub(r"[^0-9]", "", written).lstrip("0")) >= 5:  # specific enough to be a leak
                    assert written not in text, written


def _leaves(plain):
    from graders._convert import Array

    if isinstance(plain, Array):
        return [plain.value]
    if isinstance(plain, list):
        return [leaf for item in plain for leaf in _leaves(item)]
    if isinstance(plain, dict):
        return [leaf for item in plain.values() for leaf in _leaves(item)]
    return []
