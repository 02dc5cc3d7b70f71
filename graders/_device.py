"""GPU runners: one GPU (or MIG slice) per worker, and framework settings that make results comparable.

``discover``/``assign`` run in the grader; ``configure`` runs in the notebook's process before any
student code (TF32 off, deterministic ops, TensorFlow memory growth, a PyTorch memory cap).
What grades.json records comes from the grader (``describe``), never from the notebook's process,
because the tolerance policy follows that record.

``GRADERS_FAKE_GPUS=id,id`` fakes the device layer (tests on machines without a GPU): discovery
returns those ids, ``describe`` invents a name, and ``configure`` records what it would set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

FAKE_ENV = "GRADERS_FAKE_GPUS"
DEVICE_ENV = "GRADERS_DEVICE"
MEMORY_FRACTION_ENV = "GRADERS_GPU_MEMORY_FRACTION"


class DeviceError(RuntimeError):
    """No usable GPU for the requested workers (message for the instructor, German)."""


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


def assign(workers: int, devices: list[str]) -> list[str]:
    if not devices:
        raise DeviceError("--device cuda: keine NVIDIA-GPU gefunden (nvidia-smi -L listet keine).")
    if workers > len(devices):
        raise DeviceError(f"--device cuda: {workers} Worker, aber nur {len(devices)} GPU(s)/MIG-Instanz(en); "
                          f"jeder Worker braucht eine eigene: --workers {len(devices)}.")
    return devices[:workers]


def describe(device_id: str | None) -> dict:
    """Name and driver of one GPU, as the grader sees it."""
    if device_id is None:
        return {}
    if _fake() is not None:
        return {"id": device_id, "name": "Fake GPU (Test)", "driver": "0.0"}
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader",
                              "-i", device_id], capture_output=True, text=True, timeout=30).stdout.strip()
        name, driver = (part.strip() for part in out.splitlines()[0].split(",", 1))
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        name, driver = "unbekannt", "unbekannt"
    return {"id": device_id, "name": name, "driver": driver}


def configure() -> dict:
    """In the notebook's process, before student code: the GPU settings. Returns what was set."""
    if os.environ.get(DEVICE_ENV) != "cuda":
        return {}
    fraction = float(os.environ.get(MEMORY_FRACTION_ENV, "0.9"))
    applied = {"tf32": False, "deterministic": True, "tf_memory_growth": True, "torch_memory_fraction": fraction}
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
            tf.config.experimental.set_memory_growth(gpu, True)
        tf.config.experimental.enable_tensor_float_32_execution(False)
        tf.config.experimental.enable_op_determinism()
    return applied


def _importable(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None
