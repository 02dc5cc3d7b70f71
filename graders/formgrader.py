"""``graders formgrader``: nbgrader's formgrader on this course, for grading the manual cells.

JupyterLab with nbgrader's server extension, rooted at the course folder (nbgrader reads the
course's ``nbgrader_config.py`` from the working directory), on localhost with a fresh token.
Before it starts, each manual cell's rubric goes into the gradebook as the automatic comment, so
the grader sees it in formgrader's comment box.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import _manual, _markup as markup, _nbgrader
from .course import Course, CourseError

__all__ = ["Server", "show_rubrics", "start"]

DEFAULT_PORT = 8888


@dataclass
class Server:
    process: subprocess.Popen
    url: str  # the formgrader's start page, token included
    base: str  # http://127.0.0.1:<port>
    token: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def show_rubrics(course: Course) -> int:
    """Every assignment's rubrics into the gradebook (``_nbgrader.show_rubrics``)."""
    if not course.gradebook_path.is_file():
        return 0
    count = 0
    for aid in course.assignments():
        rubrics = {(path.stem, markup.grade_id(cell)): _manual.rubric_text(cell)
                   for path in course.notebooks(aid) for cell in _manual.cells(markup.read_notebook(path))}
        if rubrics:
            count += _nbgrader.show_rubrics(course.gradebook_url, aid, rubrics)
    return count


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(course: Course, port: int = DEFAULT_PORT, token: str | None = None, timeout: float = 60.0) -> Server:
    """Start JupyterLab with the formgrader and wait until it answers."""
    if not 0 < port < 65536:
        raise CourseError(f"--port {port}: erlaubt sind 1 bis 65535.")
    if not _free(port):
        raise CourseError(f"Port {port} ist belegt – einen anderen wählen: graders formgrader --port N")
    show_rubrics(course)
    token = token or secrets.token_hex(24)
    log = course.root / ".graders-cache" / "formgrader.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.root_dir={course.root}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               "--allow-root"]  # containers (and CI) run as root; the server listens on localhost only
    with log.open("w", encoding="utf-8") as out:
        # cwd: nbgrader's formgrader reads nbgrader_config.py from the working directory
        # the token through the environment: a command line is visible to every local user
        process = subprocess.Popen(command, cwd=course.root, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env={**os.environ, "JUPYTER_TOKEN": token})
    base = f"http://127.0.0.1:{port}"
    server = Server(process, f"{base}/formgrader?token={token}", base, token, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CourseError(f"JupyterLab hat sich beendet (Code {process.returncode}); siehe {log}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise CourseError(f"formgrader antwortet nach {timeout:g} s nicht; siehe {log}")
