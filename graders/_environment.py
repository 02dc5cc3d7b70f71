"""What a grading run used, as grades.json records it; the tolerance policy follows this record."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from ._device import GpuSettings, describe
from ._policy import Environment

_PACKAGES = ("numpy", "torch", "tensorflow-cpu", "tensorflow", "keras", "nbgrader")


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name.removesuffix("-cpu")] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def record(device: str = "cpu", tf32: bool = False, device_id: str | None = None,
           sandbox: bool | None = None, gpu: GpuSettings | None = None) -> dict:
    """What the grader set up for a run (never what the notebook's process claims): on ``cuda``
    the GPU of the worker that ran it (``device_id``) and the settings ``gpu`` it ran under."""
    env = {"device": device, "precision": "tf32" if tf32 else "float32", "tf32": tf32, "deterministic": True,
           "packages": package_versions()}
    if sandbox is not None:
        env["sandbox"] = sandbox
    if device == "cuda":
        env["gpu"] = describe(device_id)
        env["flags"] = {**(gpu or GpuSettings()).record(device_id), "tf32": tf32}
    return env


def from_record(environment: dict) -> Environment:
    """The policy inputs of a recorded run (TF32 is a float32 computation with looser matmuls)."""
    return Environment(device=environment.get("device", "cpu"), tf32=bool(environment.get("tf32", False)),
                       precision="float64" if environment.get("precision") == "float64" else "float32")
