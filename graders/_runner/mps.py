"""CUDA MPS for several workers per GPU: one control daemon per engine, in folders of its own.

With MPS the workers of one GPU share a single GPU context instead of taking turns on the GPU
(time slicing); ``CUDA_MPS_ACTIVE_THREAD_PERCENTAGE`` gives each its share of the GPU's
multiprocessors. The daemon and its clients talk through the pipe folder and shared memory, so
MPS runs only without the sandbox: the sandbox's own IPC namespace and ``/dev/shm`` keep
notebooks apart, and sharing them with the host to let MPS through would undo that.
Client ``CUDA_VISIBLE_DEVICES`` counts among the daemon's devices, which are the grader's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONTROL = "nvidia-cuda-mps-control"


def client_env(directory: str | Path, workers_per_gpu: int) -> dict[str, str]:
    """What makes a process a client of the daemon in ``directory``, with its share of the GPU."""
    return {"CUDA_MPS_PIPE_DIRECTORY": str(Path(directory) / "pipe"),
            "CUDA_MPS_LOG_DIRECTORY": str(Path(directory) / "log"),
            "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE": str(100 // workers_per_gpu)}


class MpsDaemon:
    """A running control daemon; ``stop`` ends it and removes its folders."""

    def __init__(self, control: str):
        self.directory = tempfile.mkdtemp(prefix="graders-mps-")
        for sub in ("pipe", "log"):
            os.mkdir(Path(self.directory) / sub)
        self._control = control
        self._env = {**os.environ, **client_env(self.directory, 1)}
        self._env.pop("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE")  # a client's setting, not the daemon's
        try:
            subprocess.run([control, "-d"], env=self._env, check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise RuntimeError(f"{control} -d: {exc}") from None

    def stop(self) -> None:
        try:
            subprocess.run([self._control], input=b"quit\n", env=self._env, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            pass  # the daemon is gone already; its folders go all the same
        shutil.rmtree(self.directory, ignore_errors=True)


def start(sandboxed: bool) -> MpsDaemon | None:
    """A daemon for an engine that asked for MPS, or None, with a German line on stderr saying why."""
    control = shutil.which(CONTROL)
    if sandboxed:
        _warn("CUDA MPS läuft nur ohne Sandbox (MPS braucht den gemeinsamen Speicher der Prozesse, "
              "den die Sandbox trennt); weiter ohne MPS.")
    elif control is None:
        _warn(f"--mps: {CONTROL} ist nicht installiert; weiter ohne MPS (die Worker einer GPU wechseln sich ab).")
    else:
        try:
            return MpsDaemon(control)
        except RuntimeError as exc:
            _warn(f"--mps: der MPS-Daemon startet nicht ({exc}); weiter ohne MPS.")
    return None


def _warn(line: str) -> None:
    print(f"graders: Warnung: {line}", file=sys.stderr)
