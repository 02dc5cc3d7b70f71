"""Declarative hidden tests are parsed, never executed; assembling takes test cells from source/."""

import nbformat
import numpy as np
import pytest

from graders import _markup as markup
from graders._assemble import assemble
from graders._checks import CheckSyntaxError, parse_hidden


def test_parse_hidden_extracts_checks_and_keeps_plain_asserts():
    specs, rest = parse_hidden(
        'check("z")\n'
        'check_function("f", inputs=[rand(2, 3, seed=1), 0.5, -2], kwargs={"k": array([1, 2])}, rtol=1e-6)\n'
        'assert z.sum() > 0\n'
        'check("acc", min=0.9)\n')
    assert [s.kind for s in specs] == ["value", "call", "value"]
    assert specs[1].inputs[0].shape == (2, 3) and specs[1].inputs[2] == -2
    assert specs[1].options.rtol == 1e-6 and specs[2].minimum == 0.9 and specs[2].is_threshold
    assert rest.strip() == "assert z.sum() > 0"


def test_parse_options_for_what_values_cannot_show():
    call, structure = parse_hidden(
        'check_function("f", inputs=[rand(3, seed=1)], exact_dtype=True, same_type=True, unchanged=True)\n'
        'check_structure("modell", ignore=["trainable", "params"])\n')[0]
    assert call.options.exact_dtype and call.same_type and call.unchanged and call.kind == "call"
    assert structure.kind == "structure" and structure.ignore == ("trainable", "params")
    assert structure.label == "`modell`" and not structure.is_threshold
    plain, = parse_hidden('check_function("f", inputs=[rand(3, seed=1)])')[0]
    value, = parse_hidden('check("modell")')[0]
    assert call.key != plain.key  # the capture of an unchanged check also holds the arguments
    assert len({plain.key, value.key, structure.key}) == 3


def test_spec_key_depends_on_inputs_not_on_tolerance():
    a, = parse_hidden('check_function("f", inputs=[rand(3, seed=1)])')[0]
    b, = parse_hidden('check_function("f", inputs=[rand(3, seed=1)], rtol=0.1)')[0]
    c, = parse_hidden('check_function("f", inputs=[rand(3, seed=2)])')[0]
    assert a.key == b.key != c.key


@pytest.mark.parametrize("code, match", [
    ('check(z)', "literals"),
    ('check("z", inputs=[1])', "no inputs"),
    ('check_function("f", inputs=[__import__("os")])', "literals"),
    ('check("a b")', "Python name"),
    ('check("z", tolerance=1)', "unknown options"),
    ('check_function("f", tensors="jax")', "tensors"),
    ('check("z"', "does not parse"),
    ('check("z", exact_dtype=1)', "True or False"),
    ('check("z", unchanged=True)', "needs a call"),
    ('check_structure("m", unchanged=True)', "only ignore"),
    ('check_structure("m", rtol=0.1)', "only ignore"),
    ('check_structure("m", inputs=[1])', "no inputs"),
    ('check_structure("m", ignore="trainable")', "list of property names"),
    ('check_structure("m", ignore=["a b"])', "list of property names"),
    ('check("z", ignore=["trainable"])', "belongs to check_structure"),
    ('check("z", exact_dtype=True, check_dtype=False)', "contradicts"),
    ('check("acc", min=0.9, same_type=True)', "threshold"),
])
def test_bad_hidden_tests_are_refused(code, match):
    with pytest.raises(CheckSyntaxError, match=match):
        parse_hidden(code)


def test_generators_are_deterministic():
    from graders import rand, randint, randn

    assert np.array_equal(rand(3, 2, seed=5), rand(3, 2, seed=5))
    assert not np.array_equal(randn(4, seed=1), randn(4, seed=2))
    assert randint(0, 3, 10, seed=0).dtype == np.int64


def _cell(kind, source, gid, **extra):
    cell = nbformat.v4.new_code_cell(source)
    meta = {"grade_id": gid, "schema_version": 3, "locked": kind != "solution",
            "solution": kind == "solution", "grade": kind == "test"}
    if kind == "test":
        meta["points"] = extra.get("points", 1)
    cell.metadata["nbgrader"] = meta
    return cell


def _source():
    return nbformat.v4.new_notebook(cells=[
        _cell("locked", "import numpy as np", "setup"),
        _cell("solution", "### BEGIN SOLUTION\nz = 1\n### END SOLUTION", "answer"),
        _cell("test", "assert z == 1\n### BEGIN HIDDEN TESTS\ncheck(\"z\")\n### END HIDDEN TESTS", "test_z", points=2),
    ])


def test_tests_come_from_source_whatever_the_submission_does():
    source = _source()
    submission = _source()
    submission.cells[1].source = "z = 2"
    submission.cells[2].source = "pass  # test edited away"
    submission.cells.append(_cell("test", "pass", "test_z"))  # duplicated test cell
    submission.cells.insert(0, submission.cells.pop(2))  # test cell moved to the top
    plan = assemble(source, submission)
    sources = [c["source"] for c in plan.cells]
    assert sources == ["import numpy as np", "z = 2", "assert z == 1\n"]
    assert plan.tests[0].grade_id == "test_z" and plan.tests[0].points == 2
    assert [c["name"] for c in plan.cells[2]["captures"]] == ["z"]
    assert "check(" not in "".join(c.source for c in plan.notebook.cells)  # no hidden code in graded nb


def test_students_extra_cells_run_where_they_put_them():
    submission = _source()
    submission.cells.insert(2, nbformat.v4.new_code_cell("helper = 3"))
    plan = assemble(_source(), submission)
    assert "z = 1" in plan.cells[1]["source"] and plan.cells[2]["source"] == "helper = 3"
    assert "assert z == 1" in plan.cells[3]["source"]


def test_missing_solution_cell_runs_nothing_for_it():
    submission = _source()
    del submission.cells[1]
    plan = assemble(_source(), submission)
    assert plan.cells[1]["source"] == ""


def test_split_hidden():
    visible, hidden = markup.split_hidden("a = 1\n### BEGIN HIDDEN TESTS\ncheck('a')\n### END HIDDEN TESTS\n")
    assert visible == "a = 1\n" and hidden.strip() == "check('a')"


def test_hidden_tests_are_parsed_one_thread_at_a_time(monkeypatch):
    """CPython before 3.11.8 raises "AST constructor recursion depth mismatch" when threads parse at
    once (gh-106905); validate and autograde assemble notebooks in several threads."""
    import ast
    import threading
    import time

    from graders import _checks

    inside, overlaps, real_parse = [0], [], ast.parse

    def slow_parse(code, *args, **kwargs):
        inside[0] += 1
        if inside[0] > 1:
            overlaps.append(inside[0])
        time.sleep(0.01)  # long enough that an unserialised caller would overlap
        inside[0] -= 1
        return real_parse(code, *args, **kwargs)

    monkeypatch.setattr(_checks.ast, "parse", slow_parse)
    threads = [threading.Thread(target=_checks.parse_hidden, args=("check('x')",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def test_a_parse_that_meets_cpythons_ast_race_is_repeated(monkeypatch):
    """CPython 3.11.7 fails a parse with a SystemError when another thread converts an AST meanwhile
    (gh-106905; seen in CI while validate ran): the grader parses again; any other SystemError stands."""
    import ast

    from graders import _syntax

    real, calls = ast.parse, []

    def racing(code):
        calls.append(code)
        if len(calls) < 3:
            raise SystemError("AST constructor recursion depth mismatch (before=33, after=51)")
        return real(code)

    monkeypatch.setattr(ast, "parse", racing)
    assert isinstance(_syntax.parse("x = 1"), ast.Module) and len(calls) == 3

    def broken(code):
        raise SystemError("something else")

    monkeypatch.setattr(ast, "parse", broken)
    with pytest.raises(SystemError, match="something else"):
        _syntax.parse("x = 1")
