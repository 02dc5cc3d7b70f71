"""docs/authoring.md cannot rot: its marked example blocks are built into an assignment, released,
validated and graded; README and the guide give the same order (release, then validate)."""

from __future__ import annotations

import json
import re
import shutil

import nbformat

from graders.course import Course
from graders.new import _cell

from .conftest import ROOT

GUIDE = ROOT / "docs" / "authoring.md"
_BLOCK = re.compile(r"<!-- example: (?P<spec>[^>]*?) -->\n```\w*\n(?P<code>.*?)\n```", re.S)
AID = "98-beispiel"


def examples() -> list[tuple[list[str], str]]:
    return [(m.group("spec").split(), m.group("code")) for m in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def build(course: Course) -> None:
    """The guide's example cells in order as source/<AID>/beispiel.ipynb, its wrong answers beside."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                                            "language": "python", "name": "python3"}})
    for spec, code in examples():
        if spec[0] == "wrong_answers":
            course.wrong_answers(AID).parent.mkdir(parents=True)
            course.wrong_answers(AID).write_text(code + "\n", encoding="utf-8")
            continue
        role, gid, *options = spec
        options = dict(option.split("=", 1) for option in options)
        nb.cells.append(_cell(role, gid, code, float(options.get("points", 0)),
                              options.get("topics", "").split(",") if role == "test" else []))
    course.source(AID).mkdir(parents=True)
    (course.source(AID) / "beispiel.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def test_the_guide_marks_an_example_of_each_pattern():
    specs = [spec for spec, _ in examples()]
    roles = [spec[0] for spec in specs]
    assert roles.count("test") >= 3 and "solution" in roles and "locked" in roles and "wrong_answers" in roles
    code = "\n".join(code for _, code in examples())
    assert "inputs=[]" in code and "default_rng" in code  # a generator through a helper without arguments
    setup = examples()[0][1]
    assert "assert_close" in setup and "check_function" in setup  # the import line has what the page uses


def test_readme_and_guide_say_release_then_validate():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("**Release**") < readme.index("**Validate**")
    checklist = GUIDE.read_text(encoding="utf-8").split("## Checklist", 1)[1]
    assert checklist.index("graders release") < checklist.index("graders validate")


def test_the_guide_example_builds_validates_and_grades(tmp_path, engine):
    from graders.autograde import autograde
    from graders.release import release
    from graders.validate import validate

    (tmp_path / "source").mkdir()
    (tmp_path / "bank").mkdir()
    shutil.copyfile(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copyfile(ROOT / "bank" / "topics.yaml", tmp_path / "bank" / "topics.yaml")
    course = Course(tmp_path)
    build(course)
    release(course, AID)
    report = validate(course, AID, engine=engine)
    assert report.ok, report.errors
    assert "beispiel.ipynb: blank release 0/5" in report.facts
    # the checklist's trial: the blank release and a copy of the executed solution, submitted by hand
    shutil.copytree(course.release(AID), course.submitted("leer", AID))
    course.submitted("probe", AID).mkdir(parents=True)
    shutil.copyfile(course.solutions(AID) / "beispiel.ipynb", course.submitted("probe", AID) / "beispiel.ipynb")
    autograde(course, AID, engine=engine)
    scores = {s: json.loads((course.autograded(s, AID) / "grades.json").read_text())["score"] for s in ("leer", "probe")}
    assert scores == {"leer": 0, "probe": 5}
