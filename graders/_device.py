"""GPU runners: which worker gets which GPU, the GPU settings, and applying them in the notebook's process.

``GpuSettings`` is the one object that says how the GPUs are shared; the grader hands it to the
engine explicitly, the runner environment carries its resolved values to the notebook's process
(``GpuSettings.notebook_env``), and grades.json records the same values (``GpuSettings.record``).
``discover``/``assign`` run in the grader; ``configure`` runs in the notebook's process before any
student code (TF32 off, deterministic ops, a PyTorch memory cap, TensorFlow memory growth or a
logical memory limit). What grades.json records comes from the grader, never from the notebook's
process, because the tolerance policy follows that record.

``GRADERS_FAKE_GPUS=id,id`` fakes the device layer (tests on machines without a GPU): discovery
returns those ids, ``describe`` invents a name, ``total_memory_mib`` a size, and ``configure``
returns what it would set without touching a framework.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

FAKE_ENV = "GRADERS_FAKE_GPUS"
FAKE_MEMORY_MIB = 16384
DEVICE_ENV = "GRADERS_DEVICE"
MEMORY_FRACTION_ENV = "GRADERS_GPU_MEMORY_FRACTION"
TF_MEMORY_LIMIT_ENV = "GRADERS_GPU_TF_MEMORY_LIMIT_MIB"
MEMORY_SHARE = 0.9  # of one GPU, split among its workers; the rest is the CUDA context's and the driver's
CUBLAS_WORKSPACE = ":4096:8"  # cuBLAS needs a fixed workspace for deterministic results


class DeviceError(RuntimeError):
    """GPUs or GPU settings that cannot work (message for the instructor, German)."""


@dataclass(frozen=True)
class GpuSettings:
    """How the workers share the GPUs.

    ``memory_fraction``: each worker's share of its GPU's memory (None: 0.9 / workers_per_gpu).
    ``tf_memory_limit_mib``: TensorFlow's logical memory limit (None: with one worker per GPU,
    memory growth; with several, the GPU's total memory × the share). TensorFlow cannot combine a
    logical memory limit with memory growth, so a limit turns growth off.
    ``mps``: run the workers of a GPU as clients of a CUDA MPS daemon, where it is installed.
    """

    workers_per_gpu: int = 1
    memory_fraction: float | None = None
    tf_memory_limit_mib: int | None = None
    mps: bool = False

    def __post_init__(self):
        if isinstance(self.workers_per_gpu, bool) or not isinstance(self.workers_per_gpu, int) \
                or self.workers_per_gpu < 1:
            raise DeviceError(f"Worker pro GPU (--workers-per-gpu) muss eine ganze Zahl ≥ 1 sein, "
                              f"nicht {self.workers_per_gpu!r}.")
        if self.memory_fraction is not None:
            if not 0 < self.memory_fraction <= 1:
                raise DeviceError(f"Der GPU-Speicheranteil (--gpu-memory-fraction) muss in (0, 1] liegen, "
                                  f"nicht {self.memory_fraction!r}.")
            if self.memory_fraction * self.workers_per_gpu > 1 + 1e-9:
                raise DeviceError(f"GPU-Speicheranteil {self.memory_fraction:g} × {self.workers_per_gpu} Worker "
                                  f"pro GPU ist mehr als der ganze Speicher einer GPU; höchstens "
                                  f"{1 / self.workers_per_gpu:.3g} pro Worker.")
        if self.tf_memory_limit_mib is not None and self.tf_memory_limit_mib < 1:
            raise DeviceError(f"Das TensorFlow-Speicherlimit muss mindestens 1 MiB sein, "
                              f"nicht {self.tf_memory_limit_mib!r}.")

    @property
    def fraction(self) -> float:
        """Each worker's share of its GPU's memory (PyTorch's cap)."""
        return self.memory_fraction if self.memory_fraction is not None else MEMORY_SHARE / self.workers_per_gpu

    def tf_limit_mib(self, device_id: str | None) -> int | None:
        """TensorFlow's logical memory limit on ``device_id``; None means memory growth."""
        if self.tf_memory_limit_mib is not None:
            return self.tf_memory_limit_mib
        if self.workers_per_gpu == 1 or device_id is None:
            return None  # the worker has the GPU to itself: growth takes only what it uses
        total = total_memory_mib(device_id)
        return int(total * self.fraction) if total else None

    def notebook_env(self, device_id: str | None) -> dict[str, str]:
        """What ``configure`` reads in the notebook's process."""
        env = {MEMORY_FRACTION_ENV: repr(self.fraction)}
        limit = self.tf_limit_mib(device_id)
        if limit is not None:
            env[TF_MEMORY_LIMIT_ENV] = str(limit)
        return env

    def record(self, device_id: str | None) -> dict:
        """The settings applied on ``device_id``, as grades.json records them."""
        limit = self.tf_limit_mib(device_id)
        return {"tf32": False, "deterministic_ops": True, "torch_memory_fraction": self.fraction,
                "tf_memory_growth": limit is None, "tf_memory_limit_mib": limit,
                "workers_per_gpu": self.workers_per_gpu, "mps": self.mps,
                "CUBLAS_WORKSPACE_CONFIG": CUBLAS_WORKSPACE}


def _fake() -> list[str] | None:
    value = os.environ.get(FAKE_ENV)
    return [d for d in value.split(",") if d] if value else None


def discover() -> list[str]:
    """GPU ids for CUDA_VISIBLE_DEVICES: MIG instance UUIDs where the GPUs are partitioned, else indexes."""
    fake = _fake()
    if fake is not None:
        return fake
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "").strip()
    if visible:  # a scheduler (Ray, Slurm) already chose the devices of this process
        return [d.strip() for d in visible.split(",") if d.strip()]
    if not shutil.which("nvidia-smi"):
        return []
    try:
        listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    migs = re.findall(r"\(UUID: (MIG-[^)]+)\)", listing)
    return migs or [m for m in re.findall(r"^GPU (\d+):", listing, flags=re.MULTILINE)]


def assign(workers: int, devices: list[str], workers_per_gpu: int = 1) -> list[str]:
    """The device of each worker: worker i gets ``devices[i % len(devices)]``.

    Round-robin rather than filling one GPU after the other: with fewer workers than places, every
    GPU gets work and no GPU holds more workers than another one plus one.
    """
    if not devices:
        raise DeviceError("--device cuda: keine NVIDIA-GPU gefunden (nvidia-smi -L listet keine).")
    most = len(devices) * workers_per_gpu
    if workers > most:
        raise DeviceError(f"--device cuda: {workers} Worker, aber nur {len(devices)} GPU(s)/MIG-Instanz(en) × "
                          f"{workers_per_gpu} Worker pro GPU; höchstens --workers {most} "
                          f"(oder mehr Worker pro GPU: --workers-per-gpu).")
    return [devices[i % len(devices)] for i in range(workers)]


def describe(device_id: str | None) -> dict:
    """Name and driver of one GPU, as the grader sees it."""
    if device_id is None:
        return {}
    if _fake() is not None:
        return {"id": device_id, "name": "Fake GPU (Test)", "driver": "0.0"}
    out = _query(device_id, "name,driver_version")
    try:
        name, driver = (part.strip() for part in out.splitlines()[0].split(",", 1))
    except (ValueError, IndexError):
        name, driver = "unbekannt", "unbekannt"
    return {"id": device_id, "name": name, "driver": driver}


def total_memory_mib(device_id: str) -> int | None:
    """The GPU's memory in MiB (None where nvidia-smi cannot tell)."""
    if _fake() is not None:
        return FAKE_MEMORY_MIB
    try:
        return int(_query(device_id, "memory.total").splitlines()[0].split()[0])
    except (ValueError, IndexError):
        return None


@lru_cache(maxsize=None)  # asked for every recorded notebook; a GPU's name, driver and memory do not change
def _query(device_id: str, fields: str) -> str:
    try:
        return subprocess.run(["nvidia-smi", f"--query-gpu={fields}", "--format=csv,noheader,nounits",
                               "-i", device_id], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def configure() -> dict:
    """In the notebook's process, before student code: the GPU settings. Returns what was applied."""
    if os.environ.get(DEVICE_ENV) != "cuda":
        return {}
    fraction = float(os.environ.get(MEMORY_FRACTION_ENV, GpuSettings().fraction))
    limit = int(os.environ[TF_MEMORY_LIMIT_ENV]) if os.environ.get(TF_MEMORY_LIMIT_ENV) else None
    applied = {"tf32": False, "deterministic": True, "torch_memory_fraction": fraction,
               "tf_memory_growth": limit is None, "tf_memory_limit_mib": limit}
    if _fake() is not None:
        return applied
    import sys

    if "torch" in sys.modules or _importable("torch"):
        import torch

        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
        torch.use_deterministic_algorithms(True, warn_only=True)
        if torch.cuda.is_available():
            torch.cuda.set_per_process_memory_fraction(fraction)
    if "tensorflow" in sys.modules or _importable("tensorflow"):
        import tensorflow as tf

        for gpu in tf.config.list_physical_devices("GPU"):
            if limit is None:
                tf.config.experimental.set_memory_growth(gpu, True)
            else:
                tf.config.set_logical_device_configuration(
                    gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=limit)])
        tf.config.experimental.enable_tensor_float_32_execution(False)
        tf.config.experimental.enable_op_determinism()
    return applied


def _importable(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None
