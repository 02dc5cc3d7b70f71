"""What a run is given (``Limits``) and what it hands back (``RunResult``, one ``CellRun`` per cell)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .._device import GpuSettings


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
    gpu: GpuSettings | None = None  # the GPU settings the worker ran under (None on CPU)
    sandboxed: bool = False
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
