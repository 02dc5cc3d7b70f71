"""What a grading run used, as grades.json records it; the tolerance policy follows this record."""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

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


def record(device: str = "cpu", tf32: bool = False) -> dict:
    env = Environment(device=device, tf32=tf32)
    precision = "tf32" if tf32 else ("float32-gpu" if device == "cuda" else "float32")
    return {"device": env.device, "precision": precision, "tf32": env.tf32, "deterministic": True,
            "packages": package_versions()}


def from_record(environment: dict) -> Environment:
    return Environment(device=environment.get("device", "cpu"), tf32=bool(environment.get("tf32", False)))
