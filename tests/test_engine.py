"""The warm engine: every run is a fresh forked child of a zygote that imported the frameworks.

Forking a process that has imported TensorFlow and PyTorch is only safe while the parent has run
no framework op; these tests run real TF, Keras and PyTorch work in consecutive children of one
zygote and check that nothing leaks from one run to the next.
"""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from graders._plaindata import read_plain
from graders._runner import Engine, Limits, default_engine, run_cells

pytestmark = pytest.mark.slow

FRAMEWORK_WORK = """
import numpy as np, tensorflow as tf, torch, keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((16, 4)), np.ones(16), epochs=2, verbose=0)
x = torch.ones(3, requires_grad=True)
(x * x).sum().backward()
grad = x.grad.numpy()
"""


@pytest.fixture(scope="module")
def engine():
    """One warm worker, so consecutive runs are children of the same zygote: the default engine
    (one worker), which ``test_default_engine_is_shared`` then finds already started. It lives
    until the session ends (atexit), as it does for any caller that brings no engine."""
    return default_engine()


def _one(engine, source, captures=(), limits=Limits(cell_timeout=60, notebook_timeout=120)):
    cells = [{"source": source, "captures": [{"key": f"k{i}", "kind": "value", "name": n}
                                             for i, n in enumerate(captures)]}]
    return engine.run(cells, {}, limits=limits)


def test_framework_ops_run_in_consecutive_forked_children(engine):
    for _ in range(3):
        result = _one(engine, FRAMEWORK_WORK, ["grad"])
        try:
            assert result.cells[0].status == "ok", result.cells[0]
            assert np.array_equal(read_plain(result.captures / "k0")["value"].value, [2.0, 2.0, 2.0])
        finally:
            result.cleanup()


def test_no_state_survives_a_run(engine):
    first = _one(engine, "import numpy, os\nnumpy.SECRET = 42\nos.environ['LEAK'] = '1'\nGLOBAL = 1\n"
                         "open('scratch.txt', 'w').write('x')")
    first.cleanup()
    second = _one(engine, "import numpy, os\nleaks = [hasattr(numpy, 'SECRET'), 'LEAK' in os.environ, "
                          "'GLOBAL' in globals(), os.path.exists('scratch.txt')]", ["leaks"])
    try:
        assert second.cells[0].status == "ok"
        assert read_plain(second.captures / "k0")["value"].value.tolist() == [False, False, False, False]
    finally:
        second.cleanup()


def test_nothing_a_run_writes_reaches_the_next_run(engine):
    write = ("import os, tempfile\nplaces = ['left.txt', os.path.join(tempfile.gettempdir(), 'left.txt')]\n"
             "places += ['/dev/shm/left.txt'] if os.access('/dev/shm', os.W_OK) else []\n"
             "for p in places: open(p, 'w').write('x')\nwritten = len(places)")
    look = ("import os, tempfile\nseen = [p for p in ['left.txt', os.path.join(tempfile.gettempdir(), 'left.txt'), "
            "'/dev/shm/left.txt'] if os.path.exists(p)]")
    a, b = _one(engine, write, ["written"]), _one(engine, look, ["seen"])
    try:
        assert a.cells[0].status == "ok" and int(read_plain(a.captures / "k0")["value"].value) >= 2
        assert b.cells[0].status == "ok" and read_plain(b.captures / "k0")["value"] == []
    finally:
        a.cleanup()
        b.cleanup()


@pytest.mark.parametrize("source, status", [
    ("import time\nwhile True: time.sleep(0.1)", "timeout"),
    ("import os\nos._exit(3)", "crashed"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "crashed"),
    ("x = bytearray(8 * 1024 ** 3)", "memory"),
    ("raise SystemExit(1)", "error"),
    ("raise KeyboardInterrupt", "error"),
])
def test_faults_end_the_run_with_a_status(engine, source, status):
    cells = [{"source": "a = 1", "captures": []}, {"source": source, "captures": []},
             {"source": "b = 2", "captures": []}]
    result = engine.run(cells, {}, limits=Limits(cell_timeout=3, notebook_timeout=30, memory_gib=1))
    try:
        assert result.cells[0].status == "ok"
        assert result.cells[1].status == status, result.cells[1]
    finally:
        result.cleanup()


def test_a_flood_of_output_is_cut_not_fatal(engine):
    result = _one(engine, "import sys, os\nfor _ in range(2000): print('x' * 10000)\n"
                          "os.write(1, b'y' * 5_000_000)\nok = 1", ["ok"])
    try:
        assert result.cells[0].status == "ok"
        assert "abgeschnitten" in result.cells[0].stdout and len(result.cells[0].stdout) < 100_000
        assert len(result.log) < 100_000
    finally:
        result.cleanup()


def test_a_dead_zygote_is_replaced():
    with Engine(workers=1, warm=()) as pool:
        first = _one(pool, "import os\nzygote = os.getppid()", ["zygote"])
        zygote_pid = int(read_plain(first.captures / "k0")["value"].value)
        first.cleanup()
        os.kill(zygote_pid, signal.SIGKILL)
        second = _one(pool, "x = 1")  # noticed, replaced, or reported as crashed; never a hang
        third = _one(pool, "x = 2", ["x"])
        try:
            assert second.cells[0].status in ("ok", "crashed")
            assert third.cells[0].status == "ok" and int(read_plain(third.captures / "k0")["value"].value) == 2
        finally:
            second.cleanup()
            third.cleanup()


def test_default_engine_is_shared(engine):
    assert default_engine() is engine and engine.workers == 1
    result = run_cells([{"source": "y = 3", "captures": [{"key": "y", "kind": "value", "name": "y"}]}], {})
    try:
        assert int(read_plain(result.captures / "y")["value"].value) == 3
    finally:
        result.cleanup()
