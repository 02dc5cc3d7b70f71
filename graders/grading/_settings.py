"""How a batch is graded: limits, device, workers, backend, sandbox."""

from __future__ import annotations

from dataclasses import dataclass

from .._device import GpuSettings
from .._runner import Limits


@dataclass(frozen=True)
class Settings:
    limits: Limits = Limits()
    device: str = "cpu"
    gpu: GpuSettings = GpuSettings()  # how the workers share the GPUs on device="cuda"
    workers: int = 1
    backend: str = "local"  # or "ray"
    ray_address: str | None = None
    sandbox: bool | None = None  # True: bubblewrap or refuse; False: none; None: where it can run
    record_gradebook: bool = True  # False: a trial run that leaves gradebook.db untouched
