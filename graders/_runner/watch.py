"""One notebook run under watch: hand the job to a zygote, enforce the time and memory limits on
the forked child, and read back what it produced as untrusted plain data."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from .._plaindata import write_plain
from .types import CellRun, Limits, RunResult
from .worker import Zygote, ZygoteError

MAX_LOG_BYTES = 64 * 1024
MAX_RESULTS_BYTES = 16 << 20
MAX_CAPTURE_BYTES = 1 << 30  # everything a run hands back (captured arrays), together


def _run(zygote: Zygote, cells, inputs, files, limits: Limits) -> RunResult:
    if not zygote.wipe():
        raise ZygoteError("the scratch folder of the last run could not be emptied")
    job, job_inside = zygote.scratch / "job", f"{zygote.scratch_inside}/job"
    work = job / "work"
    if files is not None and files.is_dir():
        shutil.copytree(files, work, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    work.mkdir(parents=True, exist_ok=True)
    for key, tree in inputs.items():
        write_plain(tree, job / "inputs" / key)
    (job / "job.json").write_text(json.dumps({"cells": cells}), encoding="utf-8")

    progress_r, progress_w = os.pipe()
    output_r, output_w = os.pipe()
    started = time.monotonic()
    try:
        zygote.start(job_inside, f"{job_inside}/work", int(limits.memory_gib * (1 << 30)), progress_w, output_w)
    except ZygoteError:
        for fd in (progress_r, output_r):
            os.close(fd)
        raise
    finally:
        os.close(progress_w)
        os.close(output_w)
    reader = _CappedReader(os.fdopen(output_r, "rb"))
    reader.start()
    child = _Child(zygote)
    # RLIMIT_AS breaks CUDA, so on GPU runners the grader watches the run's resident memory instead
    memory_cap = None if zygote.device == "cpu" else int(limits.memory_gib * (1 << 30))
    current, killed_for = _watch(child, progress_r, limits, started, memory_cap)
    os.close(progress_r)
    reader.join(timeout=5)
    # copy what the run handed back out of the scratch, as plain files only, then forget the scratch
    tmp = tempfile.TemporaryDirectory(prefix="graders-run-")
    out = Path(tmp.name)
    _copy_results(job / "out", out)
    if not zygote.wipe():
        zygote.proc.kill()  # the engine starts a fresh sandbox for the next run
    runs = _read_cells(out / "cells.jsonl", len(cells))
    _fill_unfinished(runs, current, killed_for, child.returncode)
    return RunResult(cells=runs, captures=out / "captures", wall_s=time.monotonic() - started,
                     cpu_s=child.cpu_s, peak_rss_mib=child.maxrss_kib / 1024, log=reader.text(),
                     device_id=zygote.device_id, gpu=zygote.gpu if zygote.device == "cuda" else None,
                     sandboxed=zygote.sandboxed, _tmp=tmp)


def _copy_results(source: Path, target: Path) -> None:
    """Regular files only, no links, within a size budget: the run's folder is the student's."""
    budget, todo = MAX_CAPTURE_BYTES, [(source, target, 0)]
    while todo:
        folder, into, depth = todo.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        into.mkdir(parents=True, exist_ok=True)
        for entry in entries[:10_000]:
            if entry.is_symlink() or entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False) and depth < 4:
                todo.append((Path(entry.path), into / entry.name, depth + 1))
            elif entry.is_file(follow_symlinks=False):
                size = entry.stat(follow_symlinks=False).st_size
                if size > budget:
                    continue
                budget -= size
                with open(entry.path, "rb", opener=_no_follow) as src, open(into / entry.name, "wb") as dst:
                    shutil.copyfileobj(src, dst)


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


class _Child:
    """One forked run, as the grader sees it."""

    def __init__(self, zygote: Zygote):
        self.zygote = zygote
        self.returncode: int | None = None
        self.cpu_s = 0.0
        self.maxrss_kib = 0

    def poll(self, timeout: float = 0.0) -> bool:
        if self.returncode is not None:
            return True
        try:
            status = self.zygote.exit_status(timeout)
        except ZygoteError:
            self.zygote.kill_run()  # the zygote is gone; make sure its processes are too
            self.returncode = -signal.SIGKILL
            return True
        if status is None:
            return False
        self.returncode, self.cpu_s, self.maxrss_kib = status["exit"], status["cpu_s"], status["maxrss_kib"]
        return True

    def kill(self) -> None:
        self.zygote.kill_run()
        self.poll(timeout=30.0)


class _CappedReader(threading.Thread):
    """Drains a pipe to the end, keeping only the first bytes: floods cost the student, not us."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self._stream, self.kept, self.dropped = stream, bytearray(), 0

    def run(self) -> None:
        with self._stream:
            while chunk := self._stream.read1(65536):
                room = MAX_LOG_BYTES - len(self.kept)
                self.kept += chunk[:max(room, 0)]
                self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        note = f"\n[... {self.dropped} Bytes abgeschnitten]" if self.dropped else ""
        return self.kept.decode("utf-8", "replace") + note


def _watch(child: _Child, progress_r: int, limits: Limits, started: float,
           memory_cap: int | None = None) -> tuple[int | None, str]:
    """Follow the progress pipe; returns (index of the unfinished cell or None, kill reason)."""
    current, cell_started, buffer = None, started, b""
    while True:
        now = time.monotonic()
        if memory_cap is not None and child.zygote.run_rss_bytes() > memory_cap:
            child.kill()
            return current, "memory"
        if now - started > limits.notebook_timeout:
            child.kill()
            return current, "notebook-timeout"
        if current is not None and now - cell_started > limits.cell_timeout:
            child.kill()
            return current, "cell-timeout"
        ready, _, _ = select.select([progress_r], [], [], 0.2)
        if ready:
            chunk = os.read(progress_r, 4096)
            if not chunk:  # the child ended (or closed the pipe): wait for it within the limit
                return current, _wait(child, started, limits)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                word, _, arg = line.decode(errors="replace").partition(" ")
                if word == "start" and arg.isdigit():
                    current, cell_started = int(arg), time.monotonic()
                elif word == "end":
                    current = None
                elif word == "done":
                    return None, _wait(child, started, limits)
        elif child.poll():
            return current, ""


def _wait(child: _Child, started: float, limits: Limits) -> str:
    while not child.poll(timeout=0.2):
        if time.monotonic() - started > limits.notebook_timeout:
            child.kill()
            return "notebook-timeout"
    return ""  # the zygote killed what the notebook left behind before it reported the exit


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
                                     ("status", "ename", "evalue", "traceback", "stdout", "stderr")},
                                  wall_s=max(0.0, float(record.get("wall_s", 0.0))))
        except (ValueError, KeyError, TypeError):
            continue
    for run in runs:
        if run.status not in ("ok", "error", "not-run"):
            run.status = "error"
        if run.status == "error" and run.ename.endswith("MemoryError"):  # numpy's _ArrayMemoryError too
            run.status = "memory"
    return runs


def _fill_unfinished(runs: list[CellRun], current: int | None, killed_for: str, returncode: int | None) -> None:
    """Name why the cell that was running never finished."""
    if current is None or not (0 <= current < len(runs)) or runs[current].status != "not-run":
        return
    if killed_for in ("cell-timeout", "notebook-timeout"):
        runs[current].status = "timeout"
    elif killed_for == "memory" or returncode == -signal.SIGKILL:
        runs[current].status = "memory"  # killed from outside but not by us: the OOM killer
    else:
        runs[current].status = "crashed"
        runs[current].evalue = f"Exit-Code {returncode}"
