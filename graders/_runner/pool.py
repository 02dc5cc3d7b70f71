"""The pool of warm workers that the grading commands share, and the default one-worker pool."""

from __future__ import annotations

import atexit
import dataclasses
import queue
import threading
from pathlib import Path

from .. import _device
from .._device import GpuSettings
from . import mps as _mps
from . import sandbox as _sandbox
from .types import Limits, RunResult
from .watch import _run
from .worker import DEFAULT_WARM, Zygote, ZygoteError


class Engine:
    """A pool of zygotes; ``run`` borrows one for the duration of a notebook run (thread-safe).

    The zygotes start at once, in the background, so that their framework imports overlap with
    whatever the grader does before the first run (loading nbgrader, the gradebook, references).
    """

    def __init__(self, workers: int = 1, device: str = "cpu", warm: tuple[str, ...] = DEFAULT_WARM,
                 sandbox: bool | None = None, gpu: GpuSettings = GpuSettings()):
        """``sandbox``: True requires bubblewrap (SandboxUnavailable), False runs without, None uses
        it where it can run. ``gpu``: how the workers share the GPUs on ``device="cuda"``."""
        if sandbox:
            _sandbox.require()
        self.sandboxed = _sandbox.problem() is None if sandbox is None else sandbox
        self.workers, self.device, self.warm = workers, device, warm
        self._mps = None
        if device == "cuda":
            # workers_per_gpu workers share each GPU or MIG slice (DeviceError if there are too few)
            self._devices = _device.assign(workers, _device.discover(), gpu.workers_per_gpu)
            if gpu.mps:
                self._mps = _mps.start(self.sandboxed)
            # what the workers run under is what the results record: no MPS where it did not start
            self.gpu = gpu if self._mps or not gpu.mps else dataclasses.replace(gpu, mps=False)
        else:
            self._devices, self.gpu = [None] * workers, gpu
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
        zygote = Zygote(self.device, self.warm, self._devices[slot], self.sandboxed, self.gpu,
                        self._mps.directory if self._mps else None)
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
        if self._mps is not None:  # after its clients: the daemon waits for them to end
            self._mps.stop()
            self._mps = None

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
