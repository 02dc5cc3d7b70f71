"""Run notebook cells in a separate process, under limits, and read back what it produced.

Every run is a fresh child forked from a warm zygote (``zygote.py``), so framework imports are
paid once per worker, not once per notebook. By default the zygote runs in the bubblewrap sandbox
(``sandbox.py``). The grader watches the child's progress pipe to enforce a time limit per cell and
per notebook, kills every process of the run on a violation, copies what the run wrote out of its
scratch folder as untrusted plain data, and wipes the scratch. ``Engine`` is the pool of zygotes
that the grading commands share.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import _device
from .._plaindata import write_plain
from . import sandbox as _sandbox
from ._procs import children, descendants
from .sandbox import SandboxUnavailable

MAX_LOG_BYTES = 64 * 1024
MAX_RESULTS_BYTES = 16 << 20
MAX_CAPTURE_BYTES = 1 << 30  # everything a run hands back (captured arrays), together
DEFAULT_WARM = ("tensorflow", "keras", "torch")
ZYGOTE_START_TIMEOUT = 600.0


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 120.0
    notebook_timeout: float = 900.0
    memory_gib: float = 4.0


@dataclass
class CellRun:
    status: str  # ok, error, timeout, memory, crashed, not-run
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    stdout: str = ""
    stderr: str = ""
    wall_s: float = 0.0  # the cell's own run time, as the notebook's process measured it


@dataclass
class RunResult:
    cells: list[CellRun]
    captures: Path  # folder of captured plain data; lives until cleanup()
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    log: str = ""
    device_id: str | None = None  # the GPU (CUDA_VISIBLE_DEVICES) of the worker that ran it
    sandboxed: bool = False
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def runner_env(device: str, visible_devices: str | None = None) -> dict[str, str]:
    """The environment of a zygote (and so of every notebook it runs): fixed before any import."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GRADERS_", "JPY_")) or k == _device.FAKE_ENV}
    env.update({
        "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "TF_DETERMINISTIC_OPS": "1",
        "TF_ENABLE_ONEDNN_OPTS": "0", "KERAS_BACKEND": "tensorflow", "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        # one thread per notebook: the pool already runs one notebook per core, and more threads
        # only oversubscribe the cores (a tiny torch loop ran 30x slower on a busy machine)
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
    })
    env[_device.DEVICE_ENV] = device
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    else:  # one GPU per worker; cuBLAS needs a fixed workspace for deterministic results
        env["CUDA_VISIBLE_DEVICES"] = visible_devices or env.get("CUDA_VISIBLE_DEVICES", "0")
        env.update({"CUBLAS_WORKSPACE_CONFIG": ":4096:8", "TF_FORCE_GPU_ALLOW_GROWTH": "true"})
    return env


class ZygoteError(RuntimeError):
    """The warm process could not start or died."""


class Zygote:
    """The grader's handle on one warm process (in the sandbox unless ``sandboxed`` is False)."""

    def __init__(self, device: str = "cpu", warm: tuple[str, ...] = DEFAULT_WARM, visible_devices: str | None = None,
                 sandboxed: bool = False):
        self.device, self.device_id, self.sandboxed = device, visible_devices, sandboxed
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()
        argv = [sys.executable, "-m", "graders._runner.zygote", str(theirs.fileno()), ",".join(warm)]
        env = runner_env(device, visible_devices)
        if sandboxed:
            argv = _sandbox.command(argv + ["--sandbox"], gpu=device == "cuda")
            env.update(HOME="/tmp", TMPDIR="/tmp")
        self.proc = subprocess.Popen(argv, pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        theirs.close()
        self.sock = ours
        self._scratch_fds: list[int] = []
        ready = self._receive(ZYGOTE_START_TIMEOUT, fds=2 if sandboxed else 0)
        if ready != {"ready": True} or (sandboxed and len(self._scratch_fds) != 2):
            self.close()
            raise ZygoteError(f"the warm worker did not start: {self.log_tail()}")
        if sandboxed:  # the sandbox's /tmp and /dev/shm, through descriptors it sent us
            self.scratch = Path(f"/proc/self/fd/{self._scratch_fds[0]}")
            self._wiped = [self.scratch, Path(f"/proc/self/fd/{self._scratch_fds[1]}")]
            self.scratch_inside = "/tmp"
            self.pid = _only_child(self.proc.pid)  # bubblewrap's child: the zygote, PID 1 inside
        else:
            self.scratch = Path(tempfile.mkdtemp(prefix="graders-scratch-"))
            self._wiped = [self.scratch]
            self.scratch_inside = str(self.scratch)
            self.pid = self.proc.pid

    def log_tail(self) -> str:
        self._log.seek(0)
        return self._log.read()[-3000:].decode("utf-8", "replace")

    def _receive(self, timeout: float | None, fds: int = 0) -> dict | None:
        try:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return None
            data, received, _, _ = socket.recv_fds(self.sock, 65536, fds)
        except OSError as exc:
            raise ZygoteError(f"the warm worker died ({exc})") from None
        self._scratch_fds += received
        if not data:
            raise ZygoteError("the warm worker died")
        return json.loads(data)

    def start(self, job: str, cwd: str, memory_bytes: int, progress_w: int, output_w: int) -> int:
        """Fork a child for ``job`` (paths as the zygote sees them); returns its pid (inside)."""
        message = json.dumps({"job": job, "cwd": cwd, "memory_bytes": memory_bytes,
                              "address_space_limit": self.device == "cpu"}).encode()
        try:
            socket.send_fds(self.sock, [message], [progress_w, output_w])
        except OSError as exc:
            raise ZygoteError(f"the warm worker died ({exc})") from None
        deadline = time.monotonic() + 60.0
        while (answer := self._receive(max(0.0, deadline - time.monotonic()))) is not None:
            if "pid" in answer:
                return int(answer["pid"])
            # else the exit report of an earlier run that came after the grader stopped waiting
        raise ZygoteError("the warm worker did not fork")

    def exit_status(self, timeout: float | None) -> dict | None:
        """The child's ``{"exit", "cpu_s", "maxrss_kib"}``, or None while it runs."""
        return self._receive(timeout)

    def kill_run(self) -> None:
        """SIGKILL every process of the current run: all descendants of the zygote."""
        for _ in range(100):
            pids = descendants(self.pid)
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if not pids:
                return
            time.sleep(0.01)

    def run_rss_bytes(self) -> int:
        return sum(_rss_bytes(pid) for pid in descendants(self.pid))

    def wipe(self) -> bool:
        """Delete everything in the scratch folders (the last run's processes are gone)."""
        return all([_wipe_contents(folder) for folder in self._wiped])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.sock.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        for fd in self._scratch_fds:
            os.close(fd)
        self._scratch_fds = []
        if not self.sandboxed and hasattr(self, "scratch"):
            shutil.rmtree(self.scratch, ignore_errors=True)
        if not self._log.closed:
            self._log.close()


def _only_child(pid: int) -> int:
    found = children(pid)
    if len(found) != 1:
        raise ZygoteError(f"bubblewrap has {len(found)} child processes, expected 1")
    return found[0]


def _wipe_contents(folder: str | Path) -> bool:
    """Empty ``folder``; False if something stayed (the caller then discards the whole sandbox).
    Mount points stay: where Python lives below /tmp, its read-only binds are inside the scratch."""
    try:
        device = os.stat(folder).st_dev
        for entry in os.scandir(folder):
            if entry.stat(follow_symlinks=False).st_dev != device:
                continue
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
                continue
            try:
                shutil.rmtree(entry.path)  # descriptor-based: safe against symlinks and deep trees
            except OSError:  # a folder on the way to a mount point: empty it around the mount
                if not _wipe_contents(entry.path):
                    return False
    except OSError:
        return False
    return True


class Engine:
    """A pool of zygotes; ``run`` borrows one for the duration of a notebook run (thread-safe).

    The zygotes start at once, in the background, so that their framework imports overlap with
    whatever the grader does before the first run (loading nbgrader, the gradebook, references).
    """

    def __init__(self, workers: int = 1, device: str = "cpu", warm: tuple[str, ...] = DEFAULT_WARM,
                 sandbox: bool | None = None):
        """``sandbox``: True requires bubblewrap (SandboxUnavailable), False runs without, None uses
        it where it can run."""
        if sandbox:
            _sandbox.require()
        self.sandboxed = _sandbox.problem() is None if sandbox is None else sandbox
        self.workers, self.device, self.warm = workers, device, warm
        # on a GPU runner every worker owns one GPU or MIG slice (DeviceError if there are too few)
        self._devices = _device.assign(workers, _device.discover()) if device == "cuda" else [None] * workers
        self._idle: queue.Queue = queue.Queue()
        self._started: list[Zygote] = []
        self._lock = threading.Lock()
        for slot in range(workers):
            threading.Thread(target=self._start_into_pool, args=(slot,), daemon=True).start()

    def _start_into_pool(self, slot: int) -> None:
        try:
            self._idle.put(self._new_zygote(slot))
        except Exception as exc:  # handed to the caller that borrows this slot
            self._idle.put(exc)

    def _new_zygote(self, slot: int) -> Zygote:
        zygote = Zygote(self.device, self.warm, self._devices[slot % len(self._devices)], self.sandboxed)
        zygote.slot = slot
        with self._lock:
            self._started.append(zygote)
        return zygote

    def _borrow(self) -> Zygote:
        item = self._idle.get()
        if isinstance(item, Exception):
            self._idle.put(item)
            raise ZygoteError(f"no warm worker: {item}")
        return item

    def run(self, cells: list[dict], inputs: dict[str, object], *, files: Path | None = None,
            limits: Limits = Limits()) -> RunResult:
        zygote = self._borrow()
        try:
            for attempt in (1, 2):
                if not zygote.alive():
                    zygote.close()
                    zygote = self._new_zygote(zygote.slot)
                try:
                    return _run(zygote, cells, inputs, files, limits)
                except ZygoteError:
                    if attempt == 2:  # the notebook did not even start twice: a grader fault
                        raise
                    zygote.proc.kill()
                    zygote.proc.wait()
        finally:
            self._idle.put(zygote)

    def close(self) -> None:
        with self._lock:
            zygotes, self._started = self._started, []
        for zygote in zygotes:
            zygote.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_default: Engine | None = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """A one-worker engine for callers that bring none (references, validate, compat checks)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine(workers=1)
            atexit.register(_default.close)
        return _default


def run_cells(cells: list[dict], inputs: dict[str, object], *, files: Path | None = None,
              limits: Limits = Limits(), engine: Engine | None = None) -> RunResult:
    """Execute ``cells`` (``{"source": str, "captures": [...]}``) in a fresh child process.

    ``inputs`` maps capture keys to plain data ``{"args": [...], "kwargs": {...}}``; ``files`` is
    a folder whose contents (notebooks excepted) are copied into the child's working directory.
    """
    return (engine or default_engine()).run(cells, inputs, files=files, limits=limits)


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
        zygote.start(job_inside, f"{job_inside}/work",
                           int(limits.memory_gib * (1 << 30)), progress_w, output_w)
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
                     device_id=zygote.device_id, sandboxed=zygote.sandboxed, _tmp=tmp)


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


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


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
