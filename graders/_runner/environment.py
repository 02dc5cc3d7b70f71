"""The environment of a zygote, and so of every notebook it runs: fixed before any import."""

from __future__ import annotations

import os

from .. import _device
from .._device import GpuSettings
from . import mps


def runner_env(device: str, visible_devices: str | None = None, gpu: GpuSettings = GpuSettings(),
               mps_directory: str | None = None) -> dict[str, str]:
    """The grader's environment without its own settings (``GRADERS_*``) and Jupyter's, plus the
    runner's. The GPU settings come only from ``gpu``, never from what the grader inherited.
    ``mps_directory``: the folder of the engine's MPS daemon, whose clients the notebooks become."""
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
    env.pop("TF_FORCE_GPU_ALLOW_GROWTH", None)
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
        return env
    env["CUDA_VISIBLE_DEVICES"] = visible_devices or env.get("CUDA_VISIBLE_DEVICES", "0")
    env["CUBLAS_WORKSPACE_CONFIG"] = _device.CUBLAS_WORKSPACE
    env.update(gpu.notebook_env(env["CUDA_VISIBLE_DEVICES"]))
    if _device.TF_MEMORY_LIMIT_ENV not in env:  # growth only without a logical limit: TF refuses both
        env["TF_FORCE_GPU_ALLOW_GROWTH"] = "true"
    if mps_directory is not None:
        env.update(mps.client_env(mps_directory, gpu.workers_per_gpu))
    return env
