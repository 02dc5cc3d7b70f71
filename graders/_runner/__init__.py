"""Run notebook cells in a separate process, under limits, and read back what it produced.

The process runs ``graders._runner.harness``. The grader watches its progress pipe to enforce a
time limit per cell and per notebook, kills the whole process group on a violation, and reads the
results as untrusted plain data.
"""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._plaindata import write_plain

MAX_LOG_BYTES = 64 * 1024
MAX_RESULTS_BYTES = 16 << 20


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 120.0
    notebook_timeout: float = 900.0
    memory_gib: float = 4.0
    startup_timeout: float = 60.0


@dataclass
class CellRun:
    status: str  # ok, error, timeout, memory, crashed, not-run
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    stdout: str = ""
    stderr: str = ""


@dataclass
class RunResult:
    cells: list[CellRun]
    captures: Path  # folder of captured plain data; lives as long as the RunResult's tempdir
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    log: str = ""
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _runner_env(device: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADERS_", "JPY_"))}
    env.update({
        "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "TF_DETERMINISTIC_OPS": "1",
        "TF_ENABLE_ONEDNN_OPTS": "0", "KERAS_BACKEND": "tensorflow", "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    })
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env


def _set_limits(memory_gib: float):
    def apply():
        limit = int(memory_gib * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class _CappedReader(threading.Thread):
    """Drains a pipe to the end, keeping only the first bytes: floods cost the student, not us."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self._stream, self.kept, self.dropped = stream, bytearray(), 0

    def run(self) -> None:
        while chunk := self._stream.read(65536):
            room = MAX_LOG_BYTES - len(self.kept)
            self.kept += chunk[:max(room, 0)]
            self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        note = f"\n[... {self.dropped} Bytes abgeschnitten]" if self.dropped else ""
        return self.kept.decode("utf-8", "replace") + note


def run_cells(cells: list[dict], inputs: dict[str, object], *, files: Path | None = None,
              limits: Limits = Limits(), device: str = "cpu") -> RunResult:
    """Execute ``cells`` (``{"source": str, "captures": [...]}``) in a fresh process.

    ``inputs`` maps capture keys to plain data ``{"args": [...], "kwargs": {...}}``; ``files`` is
    a folder whose contents are copied into the process's working directory (data files).
    """
    tmp = tempfile.TemporaryDirectory(prefix="graders-run-")
    job = Path(tmp.name)
    work = job / "work"
    if files is not None and files.is_dir():
        shutil.copytree(files, work, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    work.mkdir(exist_ok=True)
    for key, tree in inputs.items():
        write_plain(tree, job / "inputs" / key)
    (job / "job.json").write_text(json.dumps({"cells": cells}), encoding="utf-8")

    progress_r, progress_w = os.pipe()
    env = _runner_env(device)
    env["GRADERS_PROGRESS_FD"] = str(progress_w)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graders._runner.harness", str(job)], cwd=work, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        pass_fds=(progress_w,), start_new_session=True, preexec_fn=_set_limits(limits.memory_gib))
    os.close(progress_w)
    reader = _CappedReader(proc.stdout)
    reader.start()
    usage: list = []
    current, killed_for = _watch(proc, progress_r, limits, started, usage)
    os.close(progress_r)
    reader.join(timeout=5)
    wall = time.monotonic() - started
    runs = _read_cells(job / "out" / "cells.jsonl", len(cells))
    _fill_unfinished(runs, current, killed_for, proc.returncode)
    return RunResult(
        cells=runs, captures=job / "out" / "captures", wall_s=wall,
        cpu_s=usage[0].ru_utime + usage[0].ru_stime if usage else 0.0,
        peak_rss_mib=usage[0].ru_maxrss / 1024 if usage else 0.0, log=reader.text(), _tmp=tmp)


def _watch(proc, progress_r: int, limits: Limits, started: float, usage: list) -> tuple[int | None, str]:
    """Follow the progress pipe; returns (index of the unfinished cell or None, kill reason).

    The process is reaped here with ``wait4`` so that ``usage`` gets its own CPU time and peak memory.
    """
    current, cell_started, buffer = None, started, b""
    deadline_cell = limits.startup_timeout
    while True:
        now = time.monotonic()
        if now - started > limits.notebook_timeout:
            return current, _kill(proc, "notebook-timeout", usage)
        remaining = min(deadline_cell - (now - cell_started), limits.notebook_timeout - (now - started))
        if remaining <= 0:
            return current, _kill(proc, "cell-timeout" if current is not None else "startup-timeout", usage)
        ready, _, _ = select.select([progress_r], [], [], min(remaining, 1.0))
        if ready:
            chunk = os.read(progress_r, 4096)
            if not chunk:  # pipe closed: the process ended (or closed it); wait within the limit
                return current, _wait(proc, started, limits.notebook_timeout, usage)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                word, _, arg = line.decode(errors="replace").partition(" ")
                if word == "start" and arg.isdigit():
                    current, cell_started, deadline_cell = int(arg), time.monotonic(), limits.cell_timeout
                elif word == "end":
                    current = None
                elif word == "done":
                    return None, _wait(proc, started, limits.notebook_timeout, usage)
        elif _reap(proc, usage, block=False):
            return current, ""


def _reap(proc, usage: list, block: bool) -> bool:
    """Collect the exit status and resource usage of ``proc``; False if it still runs."""
    if proc.returncode is not None:
        return True
    pid, status, rusage = os.wait4(proc.pid, 0 if block else os.WNOHANG)
    if pid == 0:
        return False
    proc.returncode = os.waitstatus_to_exitcode(status)
    usage.append(rusage)
    return True


def _wait(proc, started: float, notebook_timeout: float, usage: list) -> str:
    deadline = started + max(notebook_timeout, time.monotonic() - started + 1.0)
    while not _reap(proc, usage, block=False):
        if time.monotonic() > deadline:
            return _kill(proc, "notebook-timeout", usage)
        time.sleep(0.02)
    _kill_group(proc)  # grandchildren the notebook left behind
    return ""


def _kill_group(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill(proc, reason: str, usage: list) -> str:
    _kill_group(proc)
    _reap(proc, usage, block=True)
    return reason


def _read_cells(path: Path, n_cells: int) -> list[CellRun]:
    runs = [CellRun("not-run") for _ in range(n_cells)]
    if not path.is_file() or path.is_symlink():
        return runs
    with open(path, "rb") as handle:
        data = handle.read(MAX_RESULTS_BYTES)
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
            index = record["index"]
            if not (isinstance(index, int) and 0 <= index < n_cells):
                continue
            runs[index] = CellRun(**{k: str(record.get(k, "")) for k in
                                     ("status", "ename", "evalue", "traceback", "stdout", "stderr")})
        except (ValueError, KeyError, TypeError):
            continue
    for run in runs:
        if run.status not in ("ok", "error", "not-run"):
            run.status = "error"
        if run.status == "error" and run.ename == "MemoryError":
            run.status = "memory"
    return runs


def _fill_unfinished(runs: list[CellRun], current: int | None, killed_for: str, returncode: int | None) -> None:
    """Name why the cell that was running never finished."""
    if current is None or not (0 <= current < len(runs)) or runs[current].status != "not-run":
        if killed_for == "startup-timeout" and runs:
            runs[0].status = "timeout"
        return
    if killed_for in ("cell-timeout", "notebook-timeout"):
        runs[current].status = "timeout"
    elif returncode == -signal.SIGKILL:
        runs[current].status = "memory"  # killed from outside but not by us: the OOM killer
    else:
        runs[current].status = "crashed"
        runs[current].evalue = f"Exit-Code {returncode}"
