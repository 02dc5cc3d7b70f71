"""release/ and solutions/ stay in sync with source/, and leak nothing of solutions or hidden tests."""

import pytest

from graders import _markup as markup
from graders.course import Course
from graders._student_version import sync_problems
from graders.validate import _leaks

from .conftest import ROOT

COURSE = Course(ROOT)
AIDS = COURSE.assignments()


def test_there_are_assignments():
    assert "01-perzeptron" in AIDS


@pytest.mark.parametrize("aid", AIDS)
def test_release_and_solutions_in_sync(aid):
    assert sync_problems(COURSE, aid) == []


@pytest.mark.parametrize("aid", AIDS)
def test_release_holds_no_solution_or_hidden_test(aid):
    for notebook in COURSE.notebooks(aid):
        assert _leaks(COURSE, aid, notebook) == []
        released = markup.read_notebook(COURSE.release(aid) / notebook.name)
        text = "\n".join(c.source for c in released.cells)
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
        solved = markup.read_notebook(COURSE.solutions(aid) / notebook.name)
        assert "BEGIN HIDDEN TESTS" not in "\n".join(c.source for c in solved.cells)


def test_sync_check_notices_an_edit(tmp_path):
    from .conftest import copy_course

    course = copy_course(tmp_path, ("source", "release", "solutions", "nbgrader_config.py"))
    released = course.release("01-perzeptron") / "perzeptron.ipynb"
    released.write_text(released.read_text().replace("Perzeptron", "Perceptron", 1))
    assert any("nicht aktuell" in p for p in sync_problems(course, "01-perzeptron"))


def test_sync_check_ignores_a_jupyterlab_save_and_names_the_fix(tmp_path):
    import nbformat

    from .conftest import copy_course

    course = copy_course(tmp_path, ("source", "release", "solutions", "nbgrader_config.py"))
    released = course.release("01-perzeptron") / "perzeptron.ipynb"
    nb = nbformat.read(str(released), as_version=4)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.9", "mimetype": "text/x-python"}
    nb.metadata["kernelspec"]["display_name"] = "Python 3"
    nbformat.write(nb, str(released))  # as JupyterLab saves it: other metadata, other formatting
    assert sync_problems(course, "01-perzeptron") == []
    released.unlink()
    problems = sync_problems(course, "01-perzeptron")
    assert problems and all("graders release 01-perzeptron" in p for p in problems)
