"""``graders validate`` can fail: a "wrong answer" that is right, on the source and on a sampled variant,
a test name that does not exist, hidden tests left without a rejecting wrong answer, and a release that
gives the solution away. (test_content shows the shipped assignments pass; this shows the verdicts are real.)"""

from __future__ import annotations

import pytest
import yaml

from graders import _markup as markup, _variants
from graders.validate import planned_runs, validate

from .conftest import copy_course

pytestmark = pytest.mark.slow

AID = "16-mlops-drift"  # variants, and no training: a run takes a fraction of a second
NB = "mlops_drift.ipynb"


def test_validate_names_what_is_unsound(tmp_path, engine):
    course = copy_course(tmp_path, (f"source/{AID}", f"release/{AID}", f"solutions/{AID}", f"content/{AID}",
                                    "bank/topics.yaml", "nbgrader_config.py"))
    source = markup.read_notebook(course.source(AID) / NB)
    solution = next(c.source for c in source.cells if markup.grade_id(c) == "psi")
    course.wrong_answers(AID).write_text(yaml.safe_dump([
        {"name": "die-loesung-selbst", "notebook": NB, "cell": "psi", "code": solution,
         "rejected_by": ["test_psi"]},
        {"name": "falscher-testname", "notebook": NB, "cell": "psi", "code": "def psi(*a, **k):\n    return 0.0\n",
         "rejected_by": ["test_gibt_es_nicht"]},
    ], allow_unicode=True), encoding="utf-8")
    released = markup.read_notebook(course.release(AID) / NB)  # a release that gives the psi answer away
    for cell in released.cells:
        if markup.grade_id(cell) == "psi":
            cell.source = solution
    markup.write_notebook(released, course.release(AID) / NB)

    steps = []
    report = validate(course, AID, engine=engine, on_run=steps.append, mutants=0)

    first, second = _variants.sample(course, AID)
    # references, solution, release, 2 wrong answers; per variant references and solution; each wrong
    # answer on one variant, in turn
    assert len(steps) == planned_runs(course, AID, mutants=0) == 5 + 2 * 2 + 2
    assert f"{AID}/{NB}: Variante {first}: falsche Antwort die-loesung-selbst" in steps
    assert f"{AID}/{NB}: Variante {second}: falsche Antwort falscher-testname" in steps
    errors = "\n".join(report.errors)
    assert f"{NB}: test_psi accepts the wrong answer 'die-loesung-selbst' (tolerance too loose" in errors
    assert f"{NB} (variant {first}): test_psi accepts the wrong answer 'die-loesung-selbst'" in errors
    assert f"{NB}: wrong answer 'falscher-testname' names unknown test 'test_gibt_es_nicht'" in errors
    assert f"{NB} (variant {second}): wrong answer 'falscher-testname' names unknown test" in errors
    assert f"{NB}: hidden test test_psi has no wrong answer that it rejects" in errors
    assert f"{NB}: the release scores " in errors and f"release/{AID}/{NB} leaks: 'return \"signifikant\"'" in errors
    assert not [e for e in report.errors if "the solution fails" in e]  # on the source and both variants
    assert len([f for f in report.facts if "solution " in f]) == 3
