"""The student kit (``graders kit``): current, closed, secret-free, Python 3.10+, and used as a student
would: a fresh venv with only the kit, NumPy and ipykernel, a released notebook through a real kernel."""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import graders
import graders_student
from graders import _kit, _markup as markup
from graders.course import Course

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
WHEEL = COURSE.kit_folder() / _kit.wheel_name()
# imported lazily, inside functions, where the student's kernel has them: never required by the kit
# (nbformat: only _markup's notebook reading and writing for the instructor's side, which check() never calls)
OPTIONAL = {"torch", "tensorflow", "keras", "google", "ipykernel", "jupyter_core", "nbformat"}


def _kit_sources() -> dict[str, str]:
    with zipfile.ZipFile(WHEEL) as wheel:
        return {name: wheel.read(name).decode() for name in wheel.namelist()}


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kit")
    with zipfile.ZipFile(WHEEL) as wheel:
        wheel.extractall(folder)
    return folder


def test_the_committed_kit_is_the_current_build():
    assert _kit.problems(COURSE) == []
    assert _kit.wheel_bytes() == _kit.wheel_bytes()  # reproducible, byte for byte


def test_a_stale_or_missing_kit_is_named(tmp_path):
    course = Course(tmp_path)
    assert "fehlt" in _kit.problems(course)[0]
    _kit.build(course).write_bytes(b"alt")
    assert "nicht aktuell" in _kit.problems(course)[0]


def test_the_kit_holds_the_graders_own_modules_and_a_record_pip_accepts():
    sources = _kit_sources()
    package = ROOT / "graders"
    assert sources["graders_student/__init__.py"] == (package / _kit.FRONT).read_text()
    for name in _kit.MODULES:
        assert sources[f"graders_student/{name}"] == (package / name).read_text()  # same tolerances, same words
    record = sources[f"graders_student-{graders.__version__}.dist-info/RECORD"]
    assert {line.split(",")[0] for line in record.splitlines()} == set(sources)
    assert "Requires-Dist: numpy" in sources[f"graders_student-{graders.__version__}.dist-info/METADATA"]


def test_the_kit_imports_only_the_standard_library_numpy_and_itself():
    for name, text in _kit_sources().items():
        if not name.endswith(".py"):
            continue
        tree = ast.parse(text)
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert f"{node.module}.py" in _kit.MODULES or node.module is None, f"{name}: .{node.module}"
                continue
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module] if isinstance(node, ast.ImportFrom) else [])
            for module in modules:
                root = module.split(".")[0]
                if root in sys.stdlib_module_names or root == "numpy" or root == "__future__":
                    continue
                assert root in OPTIONAL and id(node) not in top_level, f"{name} imports {module}"


def test_the_kit_runs_on_python_3_10_to_3_13(kit_dir):
    """Only 3.11 is on these machines: vermin checks the syntax and library use statically."""
    vermin = Path(sys.executable).with_name("vermin")
    result = subprocess.run([str(vermin), "--target=3.10-", "--no-tips", "--violations", "--eval-annotations",
                             str(kit_dir / "graders_student")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _hidden_and_solution_lines() -> set[str]:
    lines = set()
    for aid in COURSE.assignments():
        for path in COURSE.notebooks(aid):
            for cell in markup.read_notebook(path).cells:
                hidden = markup.split_hidden(cell.source)[1] if markup.role(cell) == "test" else ""
                inside, solution = False, []
                for line in cell.source.splitlines():  # the solution region, not the stub students get
                    inside = (inside or line.strip() == markup.SOLUTION_BEGIN) and line.strip() != markup.SOLUTION_END
                    solution.append(line if inside else "")
                for line in (hidden + "\n" + "\n".join(solution)).splitlines():
                    line = line.strip()
                    if len(line) >= 16 and not line.startswith("#"):
                        lines.add(line)
    return lines


def test_the_kit_holds_no_hidden_test_no_solution_and_no_reference_value():
    from graders._references import load_references

    text = "\n".join(_kit_sources().values())
    secret_lines = _hidden_and_solution_lines()
    assert len(secret_lines) > 500  # the search has something to find
    assert not [line for line in secret_lines if line in text]
    assert "source/" not in text and "solutions/" not in text and "content/" not in text
    refs = load_references(COURSE, "01-perzeptron", COURSE.notebooks("01-perzeptron")[0])  # cached after release
    numbers = set()
    for key in refs.values:
        value = getattr(refs.capture(key).value, "value", None)
        if value is not None and value.dtype.kind == "f":
            numbers |= {repr(float(v)) for v in value.ravel()[:64] if len(repr(float(v))) >= 8}
    assert numbers and not [n for n in numbers if n in text]


def test_release_notebooks_import_the_kit_never_graders():
    for path in sorted((ROOT / "release").glob("*/*.ipynb")):
        code = "\n".join(c.source for c in markup.read_notebook(path).cells if c.cell_type == "code")
        assert not re.search(r"^\s*(from|import) graders\b(?!_student)", code, re.MULTILINE), path
        assert "from graders_student import" in code and "%pip install" in code, path


def test_the_instructors_graders_student_is_the_kits_front():
    from graders import _student_api

    assert graders_student.check is _student_api.check and graders_student.__all__ == _student_api.__all__
    assert set(_student_api.__all__) <= set(graders.__all__)  # the kit offers nothing the grader lacks
    assert graders_student.assert_close is graders.assert_close


# -- every release notebook, opened and checked with the kit only -------------------------------------

_OPEN_ALL = textwrap.dedent('''
    import io, json, os, sys, contextlib
    from pathlib import Path
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    # the blank answers raise in about 200 cells: colored, source-annotated tracebacks would take half
    # the run, and what is checked here is the import cell and check()'s report, not a traceback
    shell.run_line_magic("xmode", "Minimal")
    found = {}
    for path in map(Path, sys.argv[1:]):
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        shell.reset(new_session=False)
        shell.user_ns["__session__"] = str(path)  # what JupyterLab tells its kernel
        os.chdir(path.parent)
        setup = shell.run_cell("".join(cells[0]["source"]), silent=True)
        for cell in cells[1:]:
            shell.run_cell("".join(cell["source"]), silent=True)  # blank answers raise: as a student meets them
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            shell.run_cell("check()", silent=True)
        found[str(path)] = {"setup_ok": setup.success, "kit": shell.user_ns["graders_student"].__file__,
                            "check": out.getvalue()}
    print("RESULT" + json.dumps(found))
''')


def test_every_release_notebook_opens_and_checks_with_the_kit_alone(kit_dir, tmp_path):
    """All release notebooks, blank as released: the import cell works with the kit (not the project), and
    check() finds the notebook and reports every test cell as not yet done."""
    notebooks = sorted((ROOT / "release").glob("*/*.ipynb"))
    copies = []
    for path in notebooks:
        target = tmp_path / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
        for data in path.parent.iterdir():
            if data.is_file() and data.suffix != ".ipynb":
                (target.parent / data.name).write_bytes(data.read_bytes())
        copies.append(target)
    env = {**os.environ, "PYTHONPATH": str(kit_dir), "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", _OPEN_ALL, *map(str, copies)], capture_output=True, text=True,
                            env=env, timeout=600)
    line = next((l for l in result.stdout.splitlines() if l.startswith("RESULT")), None)
    assert line, result.stdout[-3000:] + result.stderr[-3000:]
    found = json.loads(line.removeprefix("RESULT"))
    assert len(found) == len(notebooks) >= 19
    for path in copies:
        seen = found[str(path)]
        assert seen["setup_ok"], path
        assert seen["kit"].startswith(str(kit_dir)), seen["kit"]  # the kit, not the project's graders
        tests = [markup.grade_id(c) for c in markup.read_notebook(path).cells if markup.role(c) == "test"]
        for grade_id in tests:  # blank answers fail; a test of given code may pass already
            assert f"✘ {grade_id} (" in seen["check"] or f"✔ {grade_id} (" in seen["check"], (path, seen["check"])
        assert "noch nicht bearbeitet" in seen["check"], seen["check"]
        assert f"von {len(tests)} Testzellen" in seen["check"] or len(tests) == 1, seen["check"]


# -- a student's fresh venv: the kit, NumPy and ipykernel, nothing else ---------------------------------

def _versions(*names: str) -> list[str]:
    from importlib.metadata import version

    return [f"{name}=={version(name)}" for name in names]


@pytest.fixture(scope="module")
def student_python(tmp_path_factory) -> Path:
    """A venv as a student makes one: NumPy and ipykernel from the package index (the versions this project
    pins, so pip takes them from its cache), no project, no torch. The kit comes later, from its wheel."""
    venv = tmp_path_factory.mktemp("student") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                *_versions("numpy", "ipykernel")], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return python


def _student_env() -> dict[str, str]:
    """The student's environment: nothing of this project on the path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _kernel(python: Path, folder: Path) -> str:
    """A kernelspec for the student's venv, found through JUPYTER_PATH."""
    spec = folder / "kernels" / "studi"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Studi", "language": "python"}))
    return "studi"


def test_a_student_with_only_the_kit_checks_a_released_notebook(student_python, tmp_path, monkeypatch):
    """09's NumPy part in the student's venv: the import cell installs the kit from the wheel beside the
    notebook (no index), check() passes the right answers and gives the grader's message for a wrong one."""
    for module in ("torch", "graders", "graders_student"):  # no torch, no project, no kit yet
        probe = subprocess.run([str(student_python), "-c", f"import {module}"], capture_output=True, cwd=tmp_path,
                               env=_student_env())
        assert probe.returncode != 0, module
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    kernel = _kernel(student_python, tmp_path / "jupyter")
    name = "lstm_gru_zellen.ipynb"
    release = markup.read_notebook(ROOT / "release" / "09-rnn-lstm-gru" / name)
    solution = {markup.grade_id(c): c.source for c in markup.read_notebook(
        ROOT / "solutions" / "09-rnn-lstm-gru" / name).cells}
    cut = [markup.grade_id(c) for c in release.cells].index("test_lstm_sequenz") + 1
    release.cells = release.cells[:cut] + [nbformat.v4.new_code_cell("check()")]
    for cell in release.cells:
        if markup.role(cell) == "solution":
            cell.source = solution[markup.grade_id(cell)]
    wrong = copy.deepcopy(release)
    for cell in wrong.cells:
        if markup.grade_id(cell) == "gru_schritt":
            cell.source += "\n\n_richtig = gru_schritt\n\ndef gru_schritt(*args):\n    return 1.01 * _richtig(*args)\n"
    outputs = {}
    for label, nb in (("richtig", release), ("falsch", wrong)):
        folder = tmp_path / label
        folder.mkdir()
        (folder / WHEEL.name).write_bytes(WHEEL.read_bytes())  # as handed out beside the notebook
        markup.write_notebook(nb, folder / name)
        NotebookClient(nb, timeout=180, kernel_name=kernel, allow_errors=True,
                       resources={"metadata": {"path": str(folder)}}).execute(
            env={**_student_env(), "JPY_SESSION_NAME": str(folder / name)})
        outputs[label] = "\n".join(o.get("text", "") for o in nb.cells[-1].outputs)
        setup_errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
        assert not setup_errors, setup_errors
    assert "3 von 3 Testzellen: sichtbare Tests bestanden." in outputs["richtig"], outputs["richtig"]
    assert "✘ test_gru_schritt (3 Punkte): Ein sichtbarer Test ist fehlgeschlagen" in outputs["falsch"], outputs
    assert "h_neu stimmt bei Nullgewichten nicht" in outputs["falsch"] and "2 von 3 Testzellen" in outputs["falsch"]
    assert "Zeile 4 des Tests: assert np.allclose(h_neu, 0.5 * h_alt)" in outputs["falsch"]
    installed = subprocess.run([str(student_python), "-m", "pip", "list", "--format=json"], capture_output=True,
                               text=True, check=True, env=_student_env()).stdout
    assert "graders-student" in installed and '"torch"' not in installed
