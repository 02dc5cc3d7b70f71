"""The sandbox as a notebook sees it, the refusal without it, and the same run without it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from graders import cli
from graders._convert import Array
from graders._plaindata import read_plain
from graders._runner import Engine, Limits, SandboxUnavailable, sandbox

pytestmark = pytest.mark.slow
needs_sandbox = pytest.mark.skipif(sandbox.problem() is not None, reason=f"no sandbox here: {sandbox.problem()}")

LOOK_AROUND = """
import os, socket
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
facts = {
    "uid": os.getuid(),
    "caps": status["CapEff"].strip() + status["CapBnd"].strip(),
    "no_new_privs": status["NoNewPrivs"].strip(),
    "course_visible": os.path.exists(COURSE),
    "home_entries": sorted(os.listdir(HOME)) if os.path.isdir(HOME) else [],
    "shadow_visible": os.path.exists("/etc/shadow"),
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())[:3],
}
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    facts["inet"] = "allowed"
except OSError as exc:
    facts["inet"] = exc.errno
try:
    open("/usr/graders-write-test", "w")
    facts["usr_writable"] = True
except OSError:
    facts["usr_writable"] = False
"""


def _facts(engine: Engine, course: Path) -> dict:
    prelude = f"COURSE, HOME = {str(course)!r}, {str(Path.home())!r}\n"
    result = engine.run([{"source": prelude + LOOK_AROUND, "captures": [{"key": "k", "kind": "value", "name": "facts"}]}],
                        {}, limits=Limits(cell_timeout=60, notebook_timeout=120))
    try:
        assert result.cells[0].status == "ok", result.cells[0]
        return {key: value.value.tolist() if isinstance(value, Array) else value
                for key, value in read_plain(result.captures / "k")["value"].items()}
    finally:
        result.cleanup()


@needs_sandbox
def test_a_notebook_in_the_sandbox_sees_and_may_little(course, engine):
    assert engine.sandboxed  # the session's warm workers: sandboxed wherever the sandbox can run
    facts = _facts(engine, course.root)
    assert facts["uid"] == sandbox.SANDBOX_UID
    assert facts["caps"] == "0000000000000000" * 2 and facts["no_new_privs"] == "1"
    assert not facts["course_visible"] and not facts["shadow_visible"]
    # of the grader's home only the way to the Python installation, where that lies below it
    python_dirs = {Path(p).relative_to(Path.home()).parts[0] for p in (sys.prefix, sys.base_prefix)
                   if Path(p).is_relative_to(Path.home())}
    assert set(facts["home_entries"]) <= python_dirs
    assert facts["pids"][0] == 1  # its own PID namespace, the zygote is PID 1
    assert facts["inet"] == 13  # EACCES from the seccomp filter, loopback included
    assert facts["usr_writable"] is False


def test_without_the_sandbox_the_same_notebook_runs_and_its_daemons_die(course, tmp_path):
    """--no-sandbox: no isolation, but the zygote still reaps what a notebook leaves running."""
    marker = tmp_path / "daemon-wrote"
    daemon = (f"import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              f"        time.sleep(3)\n        open({str(marker)!r}, 'w').write('x')\n    os._exit(0)\n")
    # no frameworks to warm: what is under test (no isolation, the zygote reaps) does not depend on them
    with Engine(workers=1, sandbox=False, warm=()) as engine:
        facts = _facts(engine, course.root)
        run = engine.run([{"source": daemon, "captures": []}], {}, limits=Limits(cell_timeout=60, notebook_timeout=120))
        run.cleanup()
    assert facts["course_visible"] and not run.sandboxed
    time.sleep(4)
    assert not marker.exists()


def test_autograde_refuses_without_bubblewrap(course, monkeypatch, capsys):
    def missing():
        raise SandboxUnavailable("bubblewrap ist nicht installiert")

    monkeypatch.setattr(sandbox, "require", missing)
    monkeypatch.chdir(course.root)
    assert cli.main(["autograde", "01-perzeptron"]) == 2
    err = capsys.readouterr().err
    assert "Sandbox" in err and "--no-sandbox" in err and "bubblewrap ist nicht installiert" in err
