"""Mutation analysis: the operators, the verdicts, the equivalents file and the record."""

from __future__ import annotations

import ast
import json

import nbformat
import pytest

from graders import _mutants, _mutation as mutation
from graders._mutants import mutants_of, sample
from graders._runner import Limits
from graders.course import Course
from graders.grading import Settings
from graders.mutate import mutate

from .conftest import nbgrader_cell

SOLUTION = '''\
def klemme(x, grenze, eps=1e-8):
    """Werte über grenze auf grenze setzen."""
    ### BEGIN SOLUTION
    aus = x.copy()
    aus[aus > grenze] = grenze
    return aus / (1 + eps)
    ### END SOLUTION
'''


def _ops(code: str, names=frozenset()) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for mutant in mutants_of(code, "nb.ipynb", "zelle", set(names)):
        out.setdefault(mutant.operator, []).append(mutant.code)
    return out


def test_mutants_change_one_node_inside_the_solution_region_only():
    mutants = mutants_of(SOLUTION, "nb.ipynb", "klemme")
    assert mutants
    for mutant in mutants:
        ast.parse(mutant.code)  # every mutant builds
        assert mutant.code.splitlines()[:3] == SOLUTION.splitlines()[:3]  # def line, docstring, marker untouched
        changed = [i for i, (a, b) in enumerate(zip(SOLUTION.splitlines(), mutant.code.splitlines())) if a != b]
        assert len(changed) == 1 and 3 <= changed[0] <= 5, mutant.diff()
    assert len({m.id for m in mutants}) == len(mutants) == len({m.code for m in mutants})
    ops = {m.operator for m in mutants}
    assert {"compare", "arithmetic", "constant", "statement", "copy"} <= ops
    assert any("aus >= grenze" in m.code for m in mutants)  # the boundary
    assert any("aus = x\n" in m.code for m in mutants)  # in place instead of a copy


@pytest.mark.parametrize("code, operator, expected", [
    ("### BEGIN SOLUTION\ny = np.sum(x, axis=1)\n### END SOLUTION", "reduction", "np.mean(x, axis=1)"),
    ("### BEGIN SOLUTION\ny = np.sum(x, axis=1)\n### END SOLUTION", "axis", "np.sum(x, axis=0)"),
    ("y = x.astype(np.float64)", "dtype", "np.float32"),
    ("y = t.numpy()", "framework", "y = t"),
    ("y = torch.tensor(x)", "framework", "y = x"),
    ("m = keras.layers.MaxPooling2D(2)", "pooling", "AveragePooling2D"),
    ("m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))", "activation", "nn.Identity()"),
    ("m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))", "layer", "nn.Sequential(nn.ReLU(), nn.Linear(3, 1))"),
    ("h = F.relu(z)", "activation", "h = z"),
    ("d = keras.layers.Dense(4, activation='relu')", "activation", "'linear'"),
    ("m.compile(loss='mse', optimizer='adam')", "loss", "loss='mae'"),
    ("m.compile(loss='mse', optimizer='adam')", "optimizer", "optimizer='sgd'"),
    ("o = torch.optim.Adam(p, lr=0.01)", "learning-rate", "lr=0.1"),
    ("l = nn.BCEWithLogitsLoss()", "loss", "nn.BCELoss()"),
    ("f = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)", "constant", "from_logits=False"),
    ("m.fit(X_train, y_train, class_weight=gewichte)", "argument", "m.fit(X_train, y_train)"),
    ("s.fit(X_train)", "split", "s.fit(X)"),
    ("z = (x - mu) / np.sqrt(var + eps)", "arithmetic", "(x + mu)"),
])
def test_operator(code, operator, expected):
    ops = _ops(code, names={"X", "X_test", "y_test"})
    assert operator in ops, ops
    assert any(expected in mutated for mutated in ops[operator]), ops[operator]


def test_no_mutants_of_output_or_free_keywords():
    ops = _ops('print(f"Genauigkeit {acc:.2f}", 3)\nmodell.fit(x, y, epochs=5, verbose=0, batch_size=32)')
    flat = [code for codes in ops.values() for code in codes]
    assert not any("print" in code and "3)" not in code for code in flat)
    assert not any("epochs=6" in code or "verbose=1" in code or "batch_size=33" in code for code in flat)


def test_a_mutant_that_cannot_be_built_is_reported_and_not_counted(monkeypatch):
    real = _mutants._splice
    monkeypatch.setattr(_mutants, "_splice", lambda lines, node, text: real(lines, node, text) + ("\n)" if text == "pass" else ""))
    mutants = mutants_of(SOLUTION, "nb.ipynb", "klemme")
    broken = [m for m in mutants if m.error]
    assert broken and {m.operator for m in broken} == {"statement"} and "SyntaxError" in broken[0].error
    group = mutation.Group("nb.ipynb", "klemme", ("test_klemme",), len(mutants), [
        mutation.Outcome(broken[0], "not-built", how=broken[0].error),
        mutation.Outcome(mutants[0], "killed", ("test_klemme",), "failed")])
    assert group.counted == 1 and group.score == 1.0


def test_sample_is_fixed_and_spreads_over_operators():
    mutants = mutants_of(SOLUTION * 1, "nb.ipynb", "klemme")
    first, again = sample(mutants, 5, salt="x"), sample(mutants, 5, salt="x")
    assert [m.id for m in first] == [m.id for m in again] and len(first) == 5
    assert len({m.operator for m in first}) == 5  # round robin over operators
    assert sample(mutants, None) == mutants


# -- end to end on a small course -----------------------------------------------------------------

def _course(tmp_path, hidden: str, loop: bool = False) -> Course:
    folder = tmp_path / "source" / "a1"
    folder.mkdir(parents=True)
    # a loop that some mutants make endless
    solution = SOLUTION + ("\n### BEGIN SOLUTION\nn = 0\nwhile n < 3:\n    n += 1\n### END SOLUTION\n" if loop else "")
    nb = nbformat.v4.new_notebook(cells=[
        nbgrader_cell("locked", "import numpy as np\nfrom graders import check, check_function, randn", "setup"),
        nbgrader_cell("solution", solution, "klemme"),
        nbgrader_cell("test", "assert klemme(np.zeros(2), 1.0).shape == (2,)\n### BEGIN HIDDEN TESTS\n" + hidden
              + "\n### END HIDDEN TESTS", "test_klemme", points=2),
    ])
    nbformat.write(nb, folder / "nb.ipynb")
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    return Course(tmp_path)


def test_weak_tests_leave_survivors_strong_tests_kill(tmp_path, engine):
    weak = _course(tmp_path / "weak", 'check_function("klemme", inputs=[randn(5, seed=1, scale=0.1), 10.0])')
    analysis = mutate(weak, "a1", engine=engine).analysis
    group = analysis.groups[0]
    assert group.tests == ("test_klemme",) and group.survivors
    assert any(">=" in o.mutant.code for o in group.survivors)  # the boundary is never tested
    strong = _course(tmp_path / "strong", "\n".join([
        'check_function("klemme", inputs=[randn(6, seed=1), 0.5])',
        'check_function("klemme", inputs=[[0.0, 0.5, 1.0], 0.5])',
        'check_function("klemme", inputs=[[2.0, 0.5], 0.5], kwargs={"eps": 0.5})',
    ]))
    strong_analysis = mutate(strong, "a1", engine=engine).analysis
    assert strong_analysis.groups[0].score > group.score
    page = strong.reports("a1") / "mutation.html"
    assert page.is_file() and "klemme" in page.read_text(encoding="utf-8")
    data = json.loads((strong.reports("a1") / "mutation.json").read_text(encoding="utf-8"))
    assert data["groups"][0]["score"] == strong_analysis.groups[0].score


def test_equivalents_are_not_run_and_stale_or_broken_entries_are_errors(tmp_path, engine):
    course = _course(tmp_path, 'check_function("klemme", inputs=[randn(5, seed=1, scale=0.1), 10.0])')
    survivors = mutate(course, "a1", engine=engine).analysis.groups[0].survivors
    chosen = survivors[0].mutant.id
    course.equivalent_mutants("a1").parent.mkdir(parents=True)
    course.equivalent_mutants("a1").write_text(f"- id: {chosen}\n  reason: gleichwertig\n", encoding="utf-8")
    again = mutate(course, "a1", engine=engine).analysis.groups[0]
    assert [o.verdict for o in again.outcomes if o.mutant.id == chosen] == ["equivalent"]
    assert len(again.survivors) == len(survivors) - 1
    course.equivalent_mutants("a1").write_text("- id: klemme:constant:9:deadbeef\n  reason: alt\n", encoding="utf-8")
    with pytest.raises(mutation.MutationError, match="klemme:constant:9:deadbeef"):
        mutation.plan(course, "a1")
    for broken in ("- id: x\n", "{nicht: [yaml", "- id: a\n  reason: r\n- id: a\n  reason: r\n"):
        course.equivalent_mutants("a1").write_text(broken, encoding="utf-8")
        with pytest.raises(mutation.MutationError, match="equivalent_mutants.yaml"):
            mutation.plan(course, "a1")


def test_a_mutant_that_loops_forever_is_stopped_and_killed_by_the_verdict(tmp_path, engine):
    course = _course(tmp_path, 'check_function("klemme", inputs=[randn(6, seed=1), 0.5])\ncheck("n")', loop=True)
    # a mutant's cell limit is the smaller of the course's and one derived from the solution (at least
    # 10 s): a course limit of 3 s stops the endless loops sooner than the derived one would
    analysis = mutation.analyse(course, "a1", engine=engine, only=None, settings=Settings(limits=Limits(cell_timeout=3.0)))
    loops = [o for o in analysis.groups[0].outcomes if "while n <= 3" in o.mutant.code or "n -= 1" in o.mutant.code]
    assert loops and all(o.verdict == "killed" for o in loops)
    assert any(o.how == "timeout" for o in loops)


def test_record_is_written_checked_and_goes_stale(tmp_path, engine):
    course = _course(tmp_path, 'check_function("klemme", inputs=[randn(5, seed=1, scale=0.1), 10.0])')
    assert "no mutation record" in mutation.record_problems(course, "a1")[0]
    written = mutate(course, "a1", engine=engine, record=True)
    assert written.record == course.mutation_record("a1")
    problems = mutation.record_problems(course, "a1")
    assert problems and all("kill" in p for p in problems)  # weak tests: below the threshold, not stale
    path = course.notebooks("a1")[0]
    nb = nbformat.read(path, 4)
    nb.cells[2].source += "\n"
    nbformat.write(nb, path)
    assert any("stale" in p for p in mutation.record_problems(course, "a1"))
