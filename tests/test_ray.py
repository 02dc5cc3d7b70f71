"""--backend ray: the same grading as Ray actors; on GPU runners one GPU per actor."""

from __future__ import annotations

import shutil

import pytest

ray = pytest.importorskip("ray")

from graders._ray import _GradingActor, start  # noqa: E402
from graders.autograde import Settings, autograde  # noqa: E402

from .conftest import SAMPLE_AID, SAMPLES, cells, copy_course  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray():
    import os

    # a loaded 2-core machine starts the raylet slowly; no token file in the user's home
    os.environ.setdefault("RAY_raylet_start_wait_time_s", "300")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    start(num_cpus=2, num_gpus=2)
    yield
    ray.shutdown()


def test_each_gpu_task_sees_its_own_device(local_ray):
    @ray.remote(num_gpus=1)
    def visible():
        import os
        import time

        time.sleep(1.0)  # both GPUs busy at once
        return os.environ.get("CUDA_VISIBLE_DEVICES")

    assert sorted(ray.get([visible.remote(), visible.remote()])) == ["0", "1"]


def test_ray_backend_scores_like_the_local_pool(local_ray, tmp_path, graded):
    course = copy_course(tmp_path)
    students = ["s01-korrekt", "s03-knapp-daneben", "s04-teilweise-falsch", "s06-fehler"]
    for student in students:
        shutil.copytree(SAMPLES / student / SAMPLE_AID, course.submitted(student, SAMPLE_AID))
    results = [g.to_json() for g in autograde(course, SAMPLE_AID, settings=Settings(workers=2, backend="ray"))]
    assert [g["student"] for g in results] == students
    for grades in results:
        assert [(c["grade_id"], c["score"], c["status"]) for c in cells(grades).values()] == \
               [(c["grade_id"], c["score"], c["status"]) for c in cells(graded[grades["student"]]).values()]


def test_gpu_actors_get_one_gpu_each(local_ray, tmp_path):
    course = copy_course(tmp_path)
    shutil.copytree(SAMPLES / "s01-korrekt" / SAMPLE_AID, course.submitted("g", SAMPLE_AID))
    actor = ray.remote(num_gpus=1, num_cpus=0)(_GradingActor)
    pair = [actor.remote(str(course.root), SAMPLE_AID, Settings(device="cuda")) for _ in range(2)]
    try:
        devices = ray.get([a.visible_devices.remote() for a in pair])
        assert sorted(devices) == ["0", "1"]
        results = ray.get([a.grade.remote("g") for a in pair])
        assert sorted(r.grades["environment"]["gpu"]["id"] for r in results) == ["0", "1"]
        for result in results:
            assert result.grades["environment"]["device"] == "cuda" and result.grades["score"] == 14
    finally:
        for a in pair:
            ray.kill(a)
