"""``check("test_...")`` in a student's kernel: the visible tests of one test cell, with the grader's
German messages; never the hidden part. ``check("variable")`` stays the hidden value check."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import graders
from graders import _compat
from graders import _markup as markup
from graders._assemble import assemble
from graders._test_messages import failure_message
from graders.validate import ambiguous_checks

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = '''### BEGIN HIDDEN TESTS
print("GEHEIM 0.987654")
GELEAKT = True
### END HIDDEN TESTS
'''


def _cell(source: str, grade_id: str, **nbgrader) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **nbgrader}
    return cell


def _notebook(folder: Path, name: str = "aufgabe.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("def verdoppeln(x):\n    raise NotImplementedError()\n", "loesung", solution=True),
        _cell("assert_close(verdoppeln(np.array([1.0, 2.0])), [2.0, 4.0], what=\"verdoppeln(...)\")\n" + HIDDEN,
              "test_verdoppeln", grade=True, locked=True, points=2),
        _cell("assert verdoppeln(0.0) == 0.0\n", "test_null", grade=True, locked=True, points=1),
    ]
    path = folder / name
    markup.write_notebook(nb, path)
    return path


def _namespace(**names) -> dict:
    import numpy as np

    return {"np": np, "assert_close": graders.assert_close, "check": graders.check, **names}


def _run(code: str, namespace: dict) -> None:
    exec(code, namespace)  # as a notebook cell: check() sees this dict as its caller's globals


def test_correct_answer_passes_and_hidden_part_never_runs(tmp_path, capsys):
    path = _notebook(tmp_path)
    ns = _namespace(verdoppeln=lambda x: 2 * x, __session__=str(path))
    _run('check("test_verdoppeln")', ns)
    out = capsys.readouterr().out
    assert "✔ test_verdoppeln (2 Punkte): sichtbare Tests bestanden." in out
    assert "GEHEIM" not in out and "0.987654" not in out and "GELEAKT" not in ns


def test_wrong_answer_gets_the_graders_tolerance_message(tmp_path, capsys):
    path = _notebook(tmp_path)
    ns = _namespace(verdoppeln=lambda x: 2.001 * x, __session__=str(path))
    _run('check("test_verdoppeln")', ns)
    out = capsys.readouterr().out
    try:
        graders.assert_close(2.001 * ns["np"].array([1.0, 2.0]), [2.0, 4.0], what="verdoppeln(...)")
    except AssertionError as exc:
        expected = failure_message("AssertionError", str(exc))[1]
    assert f"✘ test_verdoppeln (2 Punkte): {expected}" in out
    assert "2 von 2 Elementen liegt außerhalb der Toleranz" in out or "2 von 2 Elementen liegen" in out
    assert "Zeile 1 des Tests: assert_close(verdoppeln(" in out
    assert "GEHEIM" not in out


def test_unfinished_answer_says_so(tmp_path, capsys):
    def verdoppeln(x):
        raise NotImplementedError()

    path = _notebook(tmp_path)
    _run('check("test_null")', _namespace(verdoppeln=verdoppeln, __session__=str(path)))
    out = capsys.readouterr().out
    assert "✘ test_null (1 Punkt): Der Test brach mit NotImplementedError ab" in out
    assert "noch nicht bearbeitet" in out


def test_check_without_a_name_runs_every_test_cell_found_in_the_working_folder(tmp_path, capsys, monkeypatch):
    _notebook(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    _run("check()", _namespace(verdoppeln=lambda x: 2 * x + 1))  # wrong at 0 only
    out = capsys.readouterr().out
    assert "✔ test_verdoppeln" not in out and "✘ test_verdoppeln" in out and "✘ test_null" in out
    assert "0 von 2 Testzellen: sichtbare Tests bestanden." in out


def test_the_session_names_the_notebook_among_several(tmp_path, capsys):
    other = _notebook(tmp_path, "anderes.ipynb")
    nb = markup.read_notebook(other)
    nb.cells[1].source = "raise AssertionError('falsches Notebook')\n"
    markup.write_notebook(nb, other)
    path = _notebook(tmp_path)
    _run('check("test_verdoppeln")', _namespace(verdoppeln=lambda x: 2 * x, __session__=str(path)))
    assert "✔ test_verdoppeln" in capsys.readouterr().out
    _run('check("test_verdoppeln", notebook=nb_path)', _namespace(verdoppeln=lambda x: 2 * x, nb_path=str(other)))
    assert "falsches Notebook" in capsys.readouterr().out


def test_an_unknown_question_lists_the_test_cells(tmp_path):
    path = _notebook(tmp_path)
    with pytest.raises(AssertionError, match="weder eine Testzelle von aufgabe.ipynb noch eine Variable. "
                                             "Testzellen: test_verdoppeln, test_null"):
        _run('check("test_verdopeln")', _namespace(__session__=str(path)))


def test_a_variable_is_the_hidden_value_check(tmp_path, monkeypatch):
    path = _notebook(tmp_path)
    seen = []
    monkeypatch.setattr(_compat, "check", lambda name, namespace, **options: seen.append((name, options)))
    _run('check("z", rtol=1e-3)', _namespace(z=1.0, __session__=str(path)))
    assert seen == [("z", {"rtol": 1e-3})]


def test_a_question_takes_no_tolerance_options(tmp_path):
    path = _notebook(tmp_path)
    with pytest.raises(TypeError, match="nimmt keine Optionen"):
        _run('check("test_null", rtol=1e-3)', _namespace(__session__=str(path)))


def test_validate_rejects_a_hidden_check_of_a_variable_named_like_a_test_cell(tmp_path):
    nb = markup.read_notebook(_notebook(tmp_path))
    assert ambiguous_checks(assemble(nb, nb)) == []
    nb.cells[2].source += '### BEGIN HIDDEN TESTS\ncheck("test_verdoppeln")\n### END HIDDEN TESTS\n'
    assert ambiguous_checks(assemble(nb, nb)) == [
        "test_null: check('test_verdoppeln') names a test cell, not a variable; rename the variable"]


def _check_outputs(nb) -> str:
    return "\n".join(output.get("text", "") + output.get("evalue", "") for cell in nb.cells
                     if "check(" in cell.source and markup.role(cell) != "test" for output in cell.get("outputs", []))


def test_check_in_a_real_kernel_on_the_released_perzeptron(tmp_path):
    """The released 01-perzeptron up to its ReLU test, solved right (kernel told its notebook by JupyterLab's
    JPY_SESSION_NAME) and with a leaky ReLU (kernel started in the notebook's folder). The ReLU test cell
    also carries a hidden region, as in source/: check() must not run it."""
    release = markup.read_notebook(ROOT / "release" / "01-perzeptron" / "perzeptron.ipynb")
    solution = {markup.grade_id(c): c.source for c in markup.read_notebook(
        ROOT / "solutions" / "01-perzeptron" / "perzeptron.ipynb").cells}
    cut = [markup.grade_id(c) for c in release.cells].index("test_relu") + 1
    for cell in release.cells[:cut]:
        if markup.role(cell) == "solution":
            cell.source = solution[markup.grade_id(cell)]
        if markup.grade_id(cell) == "test_relu":
            cell.source += "\n" + HIDDEN
    release.cells = release.cells[:cut] + [nbformat.v4.new_code_cell('check("test_relu")'),
                                           nbformat.v4.new_code_cell("check()")]
    wrong = copy.deepcopy(release)
    for cell in wrong.cells:
        if markup.grade_id(cell) == "aktivierungen":
            cell.source += "\n\ndef relu(z):\n    return np.maximum(0.01 * z, z)\n"
    outputs = {}
    for name, nb in (("richtig", release), ("falsch", wrong)):
        folder = tmp_path / name
        folder.mkdir()
        markup.write_notebook(nb, folder / "perzeptron.ipynb")  # what JupyterLab saved
        env = dict(os.environ)
        env.pop("JPY_SESSION_NAME", None)
        cwd = folder
        if name == "richtig":
            env["JPY_SESSION_NAME"], cwd = str(folder / "perzeptron.ipynb"), tmp_path
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute(env=env)
        outputs[name] = _check_outputs(nb)
    assert "✔ test_relu (1 Punkt): sichtbare Tests bestanden." in outputs["richtig"]
    assert "✔ test_sprung" in outputs["richtig"] and "✔ test_sigmoid" in outputs["richtig"]
    assert "4 von 4 Testzellen: sichtbare Tests bestanden." in outputs["richtig"]
    assert ("✘ test_relu (1 Punkt): Ein sichtbarer Test ist fehlgeschlagen: relu(...): 1 von 3 Elementen liegt "
            "außerhalb der Toleranz") in outputs["falsch"]
    assert "✔ test_sprung" in outputs["falsch"] and "3 von 4 Testzellen" in outputs["falsch"]
    for text in outputs.values():
        assert "GEHEIM" not in text and "0.987654" not in text


# -- which notebook: every front end a student uses -----------------------------------------------------

def _found(namespace: dict) -> str | None:
    from graders import _local_check

    notebook = _local_check.kernel_notebook(namespace)
    return None if notebook is None else notebook.name


def test_jupyterlab_and_jupyterhub_name_the_notebook_relative_to_the_servers_root(tmp_path, monkeypatch):
    path = _notebook(tmp_path, "uebung.ipynb")
    _notebook(tmp_path, "neuer.ipynb")
    monkeypatch.chdir(tmp_path)  # the kernel runs in the notebook's folder
    assert _found({"__session__": "kurs/release/01/uebung.ipynb"}) == "uebung.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert _found({}) == "uebung.ipynb"


def test_vs_code_names_the_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    path = _notebook(tmp_path, "vscode.ipynb")
    assert _found({"__vsc_ipynb_file__": str(path)}) == "vscode.ipynb"


def test_colab_hands_over_the_notebook_it_keeps_in_drive(tmp_path, monkeypatch, capsys):
    import sys
    import types

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)  # /content: no notebook on the kernel's disk
    cells = markup.read_notebook(_notebook(tmp_path / "drive")).cells
    message = types.ModuleType("google.colab._message")
    message.blocking_request = lambda kind, timeout_sec: {"ipynb": {"cells": cells}} if kind == "get_ipynb" else None
    colab = types.ModuleType("google.colab")
    colab._message = message
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    _run("check()", _namespace(verdoppeln=lambda x: 2 * x))
    out = capsys.readouterr().out
    assert "✔ test_verdoppeln" in out and "2 von 2 Testzellen" in out


def test_the_classic_notebook_server_is_asked_which_session_has_this_kernel(tmp_path, monkeypatch):
    import http.server
    import json
    import threading

    import ipykernel
    import jupyter_core.paths

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    root = tmp_path / "home"
    _notebook(root / "kurs", "klassisch.ipynb")
    _notebook(root / "kurs", "zuletzt_gespeichert.ipynb")  # newer: the folder guess would take it
    monkeypatch.chdir(root / "kurs")
    sessions = [{"kernel": {"id": "anderer"}, "notebook": {"path": "kurs/zuletzt_gespeichert.ipynb"}},
                {"kernel": {"id": "abc-123"}, "notebook": {"path": "kurs/klassisch.ipynb"}}]

    class Sessions(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            ok = self.path == "/api/sessions?token=geheim"
            self.send_response(200 if ok else 403)
            self.end_headers()
            self.wfile.write(json.dumps(sessions if ok else {}).encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Sessions)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "nbserver-4242.json").write_text(json.dumps(
        {"url": f"http://127.0.0.1:{server.server_port}/", "token": "geheim", "notebook_dir": str(root)}))
    monkeypatch.setattr(jupyter_core.paths, "jupyter_runtime_dir", lambda: str(runtime))
    monkeypatch.setattr(ipykernel, "get_connection_file", lambda: str(runtime / "kernel-abc-123.json"))
    try:
        assert _found({}) == "klassisch.ipynb"
    finally:
        server.shutdown()


def test_nowhere_named_the_student_is_told_how_to_name_it(tmp_path, monkeypatch, capsys):
    from graders import _student_api

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    _run("check()", {"check": _student_api.check})
    assert 'check(notebook="mein_notebook.ipynb")' in capsys.readouterr().out


def test_the_kit_prints_an_unknown_name_and_points_hidden_checks_to_the_grader(tmp_path, capsys):
    from graders import _student_api

    path = _notebook(tmp_path)
    ns = {"check": _student_api.check, "check_function": _student_api.check_function, "__session__": str(path)}
    _run('check("test_verdopeln")', ns)  # no traceback around the German answer
    assert "Testzellen: test_verdoppeln, test_null" in capsys.readouterr().out
    _run('check_function("verdoppeln", inputs=[1.0])', ns)
    assert "läuft erst bei der Bewertung" in capsys.readouterr().out


@pytest.mark.parametrize("hidden", [False, True])
@pytest.mark.parametrize("ename,evalue", [("NotImplementedError", ""), ("AssertionError", "x stimmt nicht."),
                                          ("NameError", "name 'x' is not defined"), ("ValueError", "  ")])
def test_failure_messages_are_single_spaced_sentences(ename, evalue, hidden):
    from graders._test_messages import failure_message

    for cause in ("", "die noch nicht bearbeitete Lösungszelle 'x' (NotImplementedError)"):
        _, message = failure_message(ename, evalue, hidden=hidden, failed_solution=cause)
        assert "  " not in message and ".." not in message and ": ." not in message, message
        assert message.endswith("."), message
