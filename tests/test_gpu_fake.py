"""GPU runners with the device layer faked (GRADERS_FAKE_GPUS): one GPU per worker, settings, record."""

from __future__ import annotations

import shutil
import threading

import pytest

from graders import _device
from graders._plaindata import read_plain
from graders._runner import Engine, Limits
from graders.autograde import Settings, autograde

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course

pytestmark = pytest.mark.slow

PROBE = "import os\nfrom graders import _device\nseen = [os.environ['CUDA_VISIBLE_DEVICES'], os.environ['GRADERS_DEVICE']]\n" \
        "applied = _device.configure()"


@pytest.fixture
def fake_gpus(monkeypatch):
    monkeypatch.setenv(_device.FAKE_ENV, "GPU-fake-0,GPU-fake-1")


def test_each_worker_sees_its_own_gpu(fake_gpus):
    seen, lock = [], threading.Lock()
    with Engine(workers=2, device="cuda", warm=()) as engine:
        def one():
            cells_ = [{"source": PROBE, "captures": [{"key": "seen", "kind": "value", "name": "seen"},
                                                      {"key": "applied", "kind": "value", "name": "applied"}]}]
            result = engine.run(cells_, {}, limits=Limits(cell_timeout=60))
            try:
                assert result.cells[0].status == "ok", result.cells[0]
                devices, mode = read_plain(result.captures / "seen")
                applied = read_plain(result.captures / "applied")
                with lock:
                    seen.append((devices, result.device_id))
                assert mode == "cuda" and applied["tf32"].value.item() is False
                assert applied["deterministic"].value.item() is True
            finally:
                result.cleanup()
        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(seen) == 6
    assert all(devices == device_id for devices, device_id in seen)  # the record names the worker's GPU
    assert {devices for devices, _ in seen} <= {"GPU-fake-0", "GPU-fake-1"}


def test_too_many_workers_for_the_gpus(fake_gpus):
    with pytest.raises(_device.DeviceError, match="--workers 2"):
        Engine(workers=3, device="cuda", warm=())


def test_memory_is_capped_without_rlimit_as_on_gpu_runners(fake_gpus):
    with Engine(workers=1, device="cuda", warm=()) as engine:
        result = engine.run([{"source": "import resource\nlimit = resource.getrlimit(resource.RLIMIT_AS)[0]",
                              "captures": [{"key": "l", "kind": "value", "name": "limit"}]},
                             {"source": "x = bytearray(3 * 1024 ** 3)", "captures": []}], {},
                            limits=Limits(cell_timeout=60, memory_gib=1))
        try:
            assert int(read_plain(result.captures / "l").value) == -1  # RLIM_INFINITY: CUDA needs it
            assert result.cells[1].status == "memory"
        finally:
            result.cleanup()


def test_grades_record_the_gpu_and_the_policy_follows(fake_gpus, tmp_path):
    course = copy_course(tmp_path)
    shutil.copytree(SAMPLES / "s03-knapp-daneben" / SAMPLE_AID, course.submitted("g1", SAMPLE_AID))
    grades, = [g.to_json() for g in autograde(course, SAMPLE_AID, settings=Settings(device="cuda", workers=1))]
    env = grades["environment"]
    assert env["device"] == "cuda" and env["tf32"] is False and env["gpu"]["name"] == "Fake GPU (Test)"
    assert env["gpu"]["id"] == "GPU-fake-0" and env["flags"]["deterministic_ops"] is True
    assert "Präzision float32-gpu" in cells(grades)["test_sigmoid"]["message"]
