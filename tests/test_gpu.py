"""GPU runners on a real GPU, nothing faked (tests/test_gpu_fake.py fakes the device layer).

Skipped without CUDA. Needs neither nbgrader nor TensorFlow: ``benchmarks/gpu_check.sh`` runs it on a
GPU machine that has only PyTorch, NumPy and the wheels the script brings.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest

# without NVIDIA's driver there is no CUDA: skip before importing PyTorch (1.6 s in every pytest process)
if not Path("/dev/nvidiactl").exists():
    pytest.skip("keine CUDA-GPU (kein NVIDIA-Treiber: /dev/nvidiactl fehlt)", allow_module_level=True)
torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("keine CUDA-GPU (torch.cuda.is_available() ist False)", allow_module_level=True)

from graders import _device  # noqa: E402
from graders._plaindata import read_plain  # noqa: E402
from graders._runner import Engine, Limits  # noqa: E402
from graders._device import GpuSettings  # noqa: E402
from graders.course import Course  # noqa: E402
from graders.grading import Settings, grade_submission, prepare  # noqa: E402

COURSE = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu_course"
LIMITS = Limits(cell_timeout=300, notebook_timeout=600, memory_gib=8)

PROBE = """\
import os
import torch

sichtbar = os.environ["CUDA_VISIBLE_DEVICES"]
anzahl = torch.cuda.device_count()
uuid = str(torch.cuda.get_device_properties(0).uuid)
flags = [torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32, torch.backends.cudnn.deterministic,
         torch.backends.cudnn.benchmark, torch.are_deterministic_algorithms_enabled()]
if hasattr(torch.cuda, "get_per_process_memory_fraction"):
    anteil = float(torch.cuda.get_per_process_memory_fraction(0))
else:  # older PyTorch has no getter: an allocation just above 0.9 of the GPU must fail at once
    try:
        torch.empty(int(0.93 * torch.cuda.get_device_properties(0).total_memory), dtype=torch.uint8, device="cuda")
        anteil = "frei"
    except torch.cuda.OutOfMemoryError:
        anteil = "begrenzt"
"""
NAMES = ("sichtbar", "anzahl", "uuid", "flags", "anteil")


def _engine(workers: int, workers_per_gpu: int = 1) -> Engine:
    return Engine(workers=workers, device="cuda", warm=("torch",), sandbox=False,
                  gpu=GpuSettings(workers_per_gpu=workers_per_gpu))


def _fraction_is(seen, workers_per_gpu: int) -> bool:
    """The PyTorch memory cap in the notebook: 0.9 of the GPU, shared by the workers on it."""
    expected = 0.9 / workers_per_gpu
    seen = _plain(seen)
    return seen == "begrenzt" if isinstance(seen, str) else abs(seen - expected) < 1e-6


def _smi(device_id: str, field: str) -> str:
    return subprocess.run(["nvidia-smi", f"--query-gpu={field}", "--format=csv,noheader", "-i", device_id],
                          capture_output=True, text=True, timeout=30).stdout.strip()


def _probe(engine: Engine, runs: int) -> list[tuple[str | None, dict]]:
    """Run the probe ``runs`` times at once; (the worker's GPU id, what the notebook saw) each."""
    seen, lock, errors = [], threading.Lock(), []

    def one():
        result = engine.run([{"source": PROBE, "captures": [{"key": n, "kind": "value", "name": n} for n in NAMES]}],
                            {}, limits=LIMITS)
        try:
            if result.cells[0].status != "ok":
                errors.append(result.cells[0])
                return
            values = {n: read_plain(result.captures / n)["value"] for n in NAMES}
            with lock:
                seen.append((result.device_id, values))
        finally:
            result.cleanup()

    threads = [threading.Thread(target=one) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return seen


def _plain(value):
    value = getattr(value, "value", value)
    return value.item() if hasattr(value, "item") else value


def test_each_worker_sees_its_own_gpu():
    gpus = _device.discover()
    with _engine(len(gpus)) as engine:
        seen = _probe(engine, 2 * len(gpus))
    uuids = {}
    for device_id, values in seen:
        assert _plain(values["sichtbar"]) == device_id  # the record names the worker's GPU
        assert _plain(values["anzahl"]) == 1  # and the notebook sees that one only
        uuids.setdefault(device_id, set()).add(_plain(values["uuid"]))
    assert all(len(found) == 1 for found in uuids.values())
    assert len({u for found in uuids.values() for u in found}) == len(uuids)  # different workers, different GPUs
    for device_id, found in uuids.items():
        if device_id.isdigit():  # nvidia-smi names a GPU (not a MIG slice) by the same index
            assert next(iter(found)).lower().removeprefix("gpu-") in _smi(device_id, "uuid").lower()


def test_workers_share_a_gpu_with_their_share_of_memory():
    gpus = _device.discover()
    with _engine(2 * len(gpus), workers_per_gpu=2) as engine:
        seen = _probe(engine, 4 * len(gpus))
    assert {_plain(v["sichtbar"]) for _, v in seen} <= set(gpus)
    assert all(_fraction_is(v["anteil"], 2) for _, v in seen)


def test_configure_is_applied_in_the_notebook():
    with _engine(1) as engine:
        (_, values), = _probe(engine, 1)
    flags = getattr(values["flags"], "value", values["flags"])  # a list of bools comes back as one bool array
    allow_tf32, cudnn_tf32, deterministic, benchmark, algorithms = (bool(f) for f in flags)
    assert allow_tf32 is False and cudnn_tf32 is False
    assert deterministic is True and benchmark is False and algorithms is True
    assert _fraction_is(values["anteil"], 1)


def test_grades_record_the_real_gpu(tmp_path):
    shutil.copytree(COURSE / "source", tmp_path / "source")
    (tmp_path / "submitted" / "s1" / "gpu-cnn").mkdir(parents=True)
    shutil.copyfile(COURSE / "abgabe" / "cnn.ipynb", tmp_path / "submitted" / "s1" / "gpu-cnn" / "cnn.ipynb")
    course = Course(tmp_path)
    with _engine(1) as engine:
        references = prepare(course, "gpu-cnn", engine)
        grades = grade_submission(course, "gpu-cnn", "s1", Settings(device="cuda", limits=LIMITS, sandbox=False,
                                                                   record_gradebook=False), references, engine).grades.to_json()
    assert grades["score"] == grades["max_score"] > 0, grades
    gpu = grades["environment"]["gpu"]
    assert gpu["name"] == _smi(gpu["id"], "name") and gpu["name"] != "unbekannt"
    assert gpu["driver"] == _smi(gpu["id"], "driver_version") and gpu["driver"][0].isdigit()
    assert grades["environment"]["device"] == "cuda" and grades["environment"]["tf32"] is False
