"""GPU runners with the device layer faked (GRADERS_FAKE_GPUS): GPUs per worker, settings, record."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from graders import _device
from graders._device import GpuSettings
from graders._plaindata import read_plain
from graders._runner import Engine, Limits, mps, runner_env
from graders.autograde import Settings, autograde

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course

pytestmark = pytest.mark.slow

PROBE = "import os\nfrom graders import _device\nseen = [os.environ['CUDA_VISIBLE_DEVICES'], os.environ['GRADERS_DEVICE']]\n" \
        "applied = _device.configure()"


@pytest.fixture
def fake_gpus(monkeypatch):
    monkeypatch.setenv(_device.FAKE_ENV, "GPU-fake-0,GPU-fake-1")


def _probe(engine, extra: str = "") -> tuple[list, dict, object]:
    """(CUDA_VISIBLE_DEVICES and GRADERS_DEVICE as the notebook saw them, what configure applied
    in the notebook's process, the run's result)."""
    captures = [{"key": name, "kind": "value", "name": name} for name in ("seen", "applied")]
    result = engine.run([{"source": PROBE + extra, "captures": captures}], {}, limits=Limits(cell_timeout=60))
    try:
        assert result.cells[0].status == "ok", result.cells[0]
        seen = read_plain(result.captures / "seen")["value"]
        applied = {k: v if v is None or isinstance(v, str) else v.value.item()
                   for k, v in read_plain(result.captures / "applied")["value"].items()}
        return seen, applied, result
    finally:
        result.cleanup()


def _six_at_once(one) -> list:
    """``one()`` in six threads at once; their results."""
    seen, lock = [], threading.Lock()

    def run():
        found = one()
        with lock:
            seen.append(found)
    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def test_each_worker_sees_its_own_gpu(fake_gpus):
    with Engine(workers=2, device="cuda", warm=()) as engine:
        def one():
            (devices, mode), applied, result = _probe(engine)
            assert mode == "cuda" and applied["tf32"] is False and applied["deterministic"] is True
            return devices, result.device_id
        seen = _six_at_once(one)
    assert len(seen) == 6
    assert all(devices == device_id for devices, device_id in seen)  # the record names the worker's GPU
    assert {devices for devices, _ in seen} <= {"GPU-fake-0", "GPU-fake-1"}


def test_too_many_workers_for_the_gpus(fake_gpus):
    with pytest.raises(_device.DeviceError, match="--workers 2"):
        Engine(workers=3, device="cuda", warm=())
    with pytest.raises(_device.DeviceError, match=r"\(en\) × 3 Worker pro GPU; höchstens --workers 6"):
        Engine(workers=7, device="cuda", warm=(), gpu=GpuSettings(workers_per_gpu=3))


def test_memory_fraction_reaches_the_notebook_and_not_the_graders_own(fake_gpus, monkeypatch):
    monkeypatch.setenv(_device.MEMORY_FRACTION_ENV, "0.7")  # the grader's environment counts for nothing
    with Engine(workers=1, device="cuda", warm=(), gpu=GpuSettings(memory_fraction=0.3)) as engine:
        seen, applied, result = _probe(engine)
    assert seen == ["GPU-fake-0", "cuda"]
    assert applied == {"tf32": False, "deterministic": True, "torch_memory_fraction": 0.3,
                       "tf_memory_growth": True, "tf_memory_limit_mib": None}  # one worker per GPU: growth
    assert result.gpu == GpuSettings(memory_fraction=0.3)


def test_three_workers_share_each_of_two_gpus(fake_gpus):
    with Engine(workers=6, device="cuda", warm=(), gpu=GpuSettings(workers_per_gpu=3)) as engine:
        def one():  # each run holds its worker a while, so the six runs take all six workers
            devices, applied, result = _probe(engine, "\nimport time\ntime.sleep(3)")
            return devices[0], result.device_id, applied
        seen = _six_at_once(one)
    assert len(seen) == 6
    assert all(devices == device_id for devices, device_id, _ in seen)  # each notebook sees its worker's GPU
    assert sorted(devices for devices, _, _ in seen) == ["GPU-fake-0"] * 3 + ["GPU-fake-1"] * 3
    limit = int(_device.FAKE_MEMORY_MIB * 0.3)  # several workers per GPU: a TensorFlow limit, not growth
    assert all(applied["torch_memory_fraction"] == pytest.approx(0.3) and applied["tf_memory_limit_mib"] == limit
               and applied["tf_memory_growth"] is False for _, _, applied in seen)


def test_workers_are_spread_round_robin_over_the_gpus():
    assert _device.assign(3, ["a", "b"], workers_per_gpu=2) == ["a", "b", "a"]
    with pytest.raises(_device.DeviceError, match="höchstens --workers 4"):
        _device.assign(5, ["a", "b"], workers_per_gpu=2)


@pytest.mark.parametrize("settings, message", [
    (dict(memory_fraction=0.0), r"\(0, 1\]"), (dict(memory_fraction=1.5), r"\(0, 1\]"),
    (dict(workers_per_gpu=0), "ganze Zahl ≥ 1"), (dict(workers_per_gpu=2, memory_fraction=0.6), "höchstens 0.5"),
])
def test_gpu_settings_refuse_what_cannot_work(settings, message):
    with pytest.raises(_device.DeviceError, match=message):
        GpuSettings(**settings)


def test_runner_env_sets_the_gpu_settings_explicitly(fake_gpus, monkeypatch, tmp_path):
    monkeypatch.setenv(_device.MEMORY_FRACTION_ENV, "0.7")
    monkeypatch.setenv(_device.TF_MEMORY_LIMIT_ENV, "123")
    env = runner_env("cuda", "GPU-fake-1", GpuSettings())
    assert env[_device.MEMORY_FRACTION_ENV] == "0.9" and _device.TF_MEMORY_LIMIT_ENV not in env
    assert env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true" and "CUDA_MPS_PIPE_DIRECTORY" not in env
    env = runner_env("cuda", "GPU-fake-1", GpuSettings(workers_per_gpu=4, mps=True), mps_directory=str(tmp_path))
    assert env[_device.MEMORY_FRACTION_ENV] == repr(0.9 / 4)
    assert env[_device.TF_MEMORY_LIMIT_ENV] == str(int(_device.FAKE_MEMORY_MIB * 0.9 / 4))
    assert "TF_FORCE_GPU_ALLOW_GROWTH" not in env  # TensorFlow refuses growth together with a limit
    assert env["CUDA_MPS_PIPE_DIRECTORY"] == str(tmp_path / "pipe")
    assert env["CUDA_MPS_LOG_DIRECTORY"] == str(tmp_path / "log")
    assert env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"] == "25"
    assert runner_env("cpu")["CUDA_VISIBLE_DEVICES"] == "" and _device.MEMORY_FRACTION_ENV not in runner_env("cpu")


FAKE_MPS = """#!/bin/sh
if [ "$1" = "-d" ]; then echo "start $CUDA_MPS_PIPE_DIRECTORY $CUDA_MPS_LOG_DIRECTORY" >> "{log}"
else read command; echo "$command $CUDA_MPS_PIPE_DIRECTORY" >> "{log}"; fi
"""


@pytest.fixture
def fake_mps(tmp_path, monkeypatch) -> Path:
    """A stand-in nvidia-cuda-mps-control on PATH; returns the log of what it was asked."""
    folder, log = tmp_path / "bin", tmp_path / "mps.log"
    folder.mkdir()
    (folder / mps.CONTROL).write_text(FAKE_MPS.format(log=log))
    (folder / mps.CONTROL).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_mps_daemon_of_an_engine_serves_its_notebooks_and_stops(fake_gpus, fake_mps):
    gpu = GpuSettings(workers_per_gpu=2, mps=True)
    with Engine(workers=2, device="cuda", warm=(), sandbox=False, gpu=gpu) as engine:
        directory = engine._mps.directory
        seen, _, result = _probe(engine, "\nseen.append({k: v for k, v in os.environ.items() "
                                         "if k.startswith('CUDA_MPS_')})")
    assert seen[2] == mps.client_env(directory, 2) and result.gpu == gpu
    assert fake_mps.read_text().splitlines() == [f"start {directory}/pipe {directory}/log", f"quit {directory}/pipe"]
    assert not Path(directory).exists()


def test_mps_without_its_daemon_or_in_the_sandbox_warns_and_goes_on(monkeypatch, capsys, fake_mps):
    assert mps.start(sandboxed=True) is None
    assert "CUDA MPS läuft nur ohne Sandbox" in capsys.readouterr().err
    monkeypatch.setenv("PATH", "/nonexistent")
    assert mps.start(sandboxed=False) is None
    assert "nvidia-cuda-mps-control ist nicht installiert; weiter ohne MPS" in capsys.readouterr().err


def test_memory_is_capped_without_rlimit_as_on_gpu_runners(fake_gpus):
    with Engine(workers=1, device="cuda", warm=()) as engine:
        result = engine.run([{"source": "import resource\nlimit = resource.getrlimit(resource.RLIMIT_AS)[0]",
                              "captures": [{"key": "l", "kind": "value", "name": "limit"}]},
                             {"source": "x = bytearray(3 * 1024 ** 3)", "captures": []}], {},
                            limits=Limits(cell_timeout=60, memory_gib=1))
        try:
            assert int(read_plain(result.captures / "l")["value"].value) == -1  # RLIM_INFINITY: CUDA needs it
            assert result.cells[1].status == "memory"
        finally:
            result.cleanup()


def test_grades_record_the_gpu_and_the_policy_follows(fake_gpus, tmp_path, monkeypatch):
    monkeypatch.setenv(_device.MEMORY_FRACTION_ENV, "0.7")  # not a setting: only Settings.gpu counts
    course = copy_course(tmp_path)
    shutil.copytree(SAMPLES / "s03-knapp-daneben" / SAMPLE_AID, course.submitted("g1", SAMPLE_AID))
    grades, = [g.to_json() for g in autograde(course, SAMPLE_AID, settings=Settings(
        device="cuda", workers=1, gpu=GpuSettings(memory_fraction=0.3)))]
    env = grades["environment"]
    assert env["device"] == "cuda" and env["tf32"] is False and env["gpu"]["name"] == "Fake GPU (Test)"
    assert env["gpu"]["id"] == "GPU-fake-0" and env["flags"]["deterministic_ops"] is True
    assert env["flags"]["torch_memory_fraction"] == 0.3 and env["flags"]["workers_per_gpu"] == 1
    assert env["flags"]["tf_memory_growth"] is True and env["flags"]["mps"] is False
    assert all(nb["environment"] == env for nb in grades["notebooks"])
    assert "Präzision float32-gpu" in cells(grades)["test_sigmoid"]["message"]
