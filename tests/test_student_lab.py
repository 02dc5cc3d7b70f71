"""``make lab`` shows students no nbgrader instructor parts: its config folder turns them off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

LAB_CONFIG = ROOT / "tools" / "student-lab"
INSTRUCTOR = ("formgrader", "validate_assignment", "course_list")


def _run(*command: str) -> str:
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(LAB_CONFIG), "JUPYTER_PREFER_ENV_PATH": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def _jupyter(*args: str) -> str:
    return _run(str(Path(sys.executable).with_name("jupyter")), *args)


def test_makefile_lab_uses_the_student_config():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "JUPYTER_CONFIG_DIR=$(CURDIR)/tools/student-lab" in lab and "JUPYTER_PREFER_ENV_PATH=0" in lab


def test_student_lab_turns_off_the_instructor_extensions():
    server = _jupyter("server", "extension", "list")
    for name in INSTRUCTOR:
        lines = [line for line in server.splitlines() if f"nbgrader.server_extensions.{name} " in line]
        assert any("disabled" in line for line in lines), server
    # the venv's own config enables them: ours must come first, i.e. win (jupyter_core's priority order)
    first = _run(sys.executable, "-c", "from jupyter_core.paths import jupyter_config_path; print(jupyter_config_path()[0])")
    assert Path(first.strip()) == LAB_CONFIG
    lab = _jupyter("labextension", "list").split("Disabled extensions:", 1)[1]
    for plugin in ("create-assignment", "formgrader", "validate-assignment", "menu"):
        assert f"@jupyter/nbgrader:{plugin}" in lab
