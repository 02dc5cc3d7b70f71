"""The grader's handle on one warm worker (a zygote, in the sandbox or not), and wiping its scratch."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .._device import GpuSettings
from . import sandbox as _sandbox
from ._procs import children, descendants
from .environment import runner_env

# torch._dynamo: torch.optim imports it (about 800 modules, 1 s of CPU) when a notebook makes its first
# optimizer; warm, it is paid once per worker instead of once per notebook that trains with PyTorch
DEFAULT_WARM = ("tensorflow", "keras", "torch", "torch._dynamo")
ZYGOTE_START_TIMEOUT = 600.0


class ZygoteError(RuntimeError):
    """The warm process could not start or died."""


class Zygote:
    """The grader's handle on one warm process (in the sandbox unless ``sandboxed`` is False)."""

    def __init__(self, device: str = "cpu", warm: tuple[str, ...] = DEFAULT_WARM, visible_devices: str | None = None,
                 sandboxed: bool = False, gpu: GpuSettings = GpuSettings(), mps_directory: str | None = None):
        self.device, self.device_id, self.sandboxed, self.gpu = device, visible_devices, sandboxed, gpu
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()
        argv = [sys.executable, "-m", "graders._runner.zygote", str(theirs.fileno()), ",".join(warm)]
        env = runner_env(device, visible_devices, gpu, mps_directory)
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


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


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
