"""--backend ray: the same grading as Ray actors; on GPU runners one GPU per actor. Every test runs on
one real two-node cluster started with ``ray start`` (the second node with two fake GPUs): through
the command line with ``--ray-address``, or with this process as the driver."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import pytest

ray = pytest.importorskip("ray")

from graders._ray import _GradingActor, start  # noqa: E402
from graders.autograde import Settings, autograde  # noqa: E402
from graders.course import CourseError  # noqa: E402

from .conftest import ROOT, SAMPLE_AID, SAMPLES, cells, copy_course  # noqa: E402

pytestmark = pytest.mark.slow

CLUSTER_MARKER_ENV = "GRADERS_TEST_RAY_CLUSTER"  # in the environment of the test cluster's processes


def _cluster_env(**extra: str) -> dict:
    """The environment of the test's nodes and of the CLI: this checkout's ``graders`` first (an
    actor imports it on its node, and would otherwise take whatever version that Python has
    installed), never the address of the in-process cluster below, and no token authentication
    (there is no token file in the user's home)."""
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               RAY_AUTH_MODE="disabled", **extra)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cluster_processes(sessions: list[int], marker: str) -> list:
    """Our cluster's live processes: the process groups of our ``ray start`` calls (gcs_server,
    raylet and the agents stay in them, also after renaming themselves), everything below those
    (workers and their zygotes leave the group with setsid), and whatever still shows our marker
    in its environment (an orphan; a renamed process loses its environment to setproctitle, so the
    marker alone misses the agents). Never by name: other tests' clusters run beside this one."""
    import psutil

    found = {}
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) in sessions \
                    or process.environ().get(CLUSTER_MARKER_ENV, "").startswith(marker):
                found[process.pid] = process
                found.update((child.pid, child) for child in process.children(recursive=True))
        except (psutil.Error, ProcessLookupError):
            continue
    return [process for process in found.values() if _alive(process)]


def _alive(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _stop_cluster(sessions: list[int], marker: str) -> None:
    """Only our processes (``ray stop`` would end every Ray cluster of this user on the machine).
    All are found before any is signalled, while the tree is whole. SIGTERM first (a raylet then
    ends its workers), SIGKILL after 3 s: gcs_server and raylet drain for longer than that, and
    nothing of theirs needs to survive."""
    import psutil

    processes = _cluster_processes(sessions, marker)
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(processes, timeout=3)
    for process in alive + _cluster_processes(sessions, marker):
        try:
            process.kill()
        except psutil.Error:
            pass


def _ray_start(ray_cli: Path, args_of_attempt: Callable[[], list[str]], env: dict, marker: str,
               sessions: list[int]) -> int:
    """``ray start`` in a session of its own (recorded in ``sessions``), tried twice (new ports the
    second time): on a loaded machine the raylet can give up while its agents start
    (ray-project/ray#65983). Returns the number of attempts."""
    env = dict(env, **{CLUSTER_MARKER_ENV: marker})
    for attempt in (1, 2):
        args = args_of_attempt()
        starter = subprocess.Popen([str(ray_cli), "start", *args], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        sessions.append(starter.pid)
        try:
            output = starter.communicate(timeout=400)[0]
            if starter.returncode == 0:
                return attempt
        except subprocess.TimeoutExpired:
            output = "no answer within 400 s"
        print(f"\nray start {' '.join(args)}: attempt {attempt} failed:\n{output[-3000:]}")
        _stop_cluster([starter.pid], marker)  # what the failed attempt left of this node
        starter.wait()
        if attempt == 2:
            raise AssertionError(f"ray start {' '.join(args)} failed twice:\n{output[-3000:]}")


@pytest.fixture(scope="module")
def two_node_cluster():
    """A Ray head and a second node with two fake GPUs, each its own ``ray start`` with one CPU, its
    own temp dir and no dashboard: one cluster for every test of this module (starting one takes
    half a minute). Yields (address, {node name: temp dir}, {step: seconds}); stops only these
    processes afterwards, also when a test failed."""
    ray_cli = Path(sys.executable).parent / "ray"
    if not ray_cli.is_file():
        pytest.skip(f"the ray command line is not installed next to {sys.executable}")
    # short: Ray's Unix socket paths below the temp dir must stay under 107 bytes (pytest's tmp_path is long)
    temp_root = Path(tempfile.mkdtemp(prefix="graders-ray-", dir="/tmp"))
    marker = temp_root.name
    env = _cluster_env(RAY_raylet_start_wait_time_s="300")  # a loaded machine starts raylets slowly
    node_dirs = {"head": temp_root / "head", "node2": temp_root / "node2"}
    head_port, sessions, timings = [], [], {}

    def head_args() -> list[str]:
        # fixed default ports (client server 10001, dashboard 8265, agent 52365) would collide
        # with any other Ray on this machine: every port is chosen here. Ray turns 127.0.0.1
        # into the machine's own address, so the nodes still talk over that address.
        head_port[:] = [_free_port()]
        return ["--head", "--node-ip-address=127.0.0.1", f"--port={head_port[0]}",
                f"--ray-client-server-port={_free_port()}", f"--dashboard-port={_free_port()}",
                f"--dashboard-agent-listen-port={_free_port()}", "--include-dashboard=false",
                "--num-cpus=1", "--num-gpus=0", "--disable-usage-stats", f"--temp-dir={node_dirs['head']}"]

    def node2_args() -> list[str]:
        return [f"--address=127.0.0.1:{head_port[0]}", f"--dashboard-agent-listen-port={_free_port()}",
                "--num-cpus=1", "--num-gpus=2", "--disable-usage-stats", f"--temp-dir={node_dirs['node2']}"]

    try:
        started = time.monotonic()
        timings["head_attempts"] = _ray_start(ray_cli, head_args, env, f"{marker}/head", sessions)
        timings["head_start_s"] = time.monotonic() - started
        started = time.monotonic()
        timings["node2_attempts"] = _ray_start(ray_cli, node2_args, env, f"{marker}/node2", sessions)
        timings["node2_start_s"] = time.monotonic() - started
        yield f"127.0.0.1:{head_port[0]}", node_dirs, timings
    finally:
        _stop_cluster(sessions, f"{marker}/")
        shutil.rmtree(temp_root, ignore_errors=True)


def _actor_logs(node_dirs: dict[str, Path], actor_class: str) -> set[tuple[str, Path]]:
    """(node, worker log) of every ``actor_class`` actor so far, from each node's own log folder (Ray
    writes ``:actor_name:<class>`` into the worker's log when it becomes that actor)."""
    return {(name, log) for name, temp_dir in node_dirs.items()
            for log in (temp_dir / "session_latest" / "logs").glob("worker-*.out")
            if f":actor_name:{actor_class}" in log.read_text(errors="replace")}


def test_cluster_of_two_nodes_scores_like_the_local_pool(two_node_cluster, tmp_path, graded):
    """The real CLI against a head and a second node. Each node has one CPU and each actor asks for
    one, so the two actors can only run one per node; each node's own log folder shows it.
    CPU actors rather than fake GPUs on the second node: GPU actors would all land on that node
    (proving only "not on the head"), and cuda grading follows another tolerance row, so its
    scores need not equal the local CPU pool's."""
    address, node_dirs, timings = two_node_cluster
    course = copy_course(tmp_path)
    for student_dir in SAMPLES.iterdir():
        shutil.copytree(student_dir / SAMPLE_AID, course.submitted(student_dir.name, SAMPLE_AID))
    env = _cluster_env(GRADERS_COURSE_ROOT=str(course.root))
    earlier_actors = _actor_logs(node_dirs, "_GradingActor")  # of the other tests on this cluster
    started = time.monotonic()
    # a hang here means an actor found no node with a free CPU: the timeout turns it into a failure
    done = subprocess.run([str(Path(sys.executable).parent / "graders"), "autograde", SAMPLE_AID,
                           "--backend", "ray", "--ray-address", address, "--workers", "2", "--no-gradebook"],
                          cwd=course.root, env=env, capture_output=True, text=True, timeout=1200)
    timings["grading_s"] = time.monotonic() - started
    print("\ntwo-node cluster:", ", ".join(f"{step} {value:.1f}" if isinstance(value, float) else f"{step} {value}"
                                          for step, value in timings.items()))  # seen with pytest -s
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]

    assert {node for node, _ in _actor_logs(node_dirs, "_GradingActor") - earlier_actors} == {"head", "node2"}
    assert not (course.root / "gradebook.db").exists()  # --no-gradebook: the driver wrote grades.json only
    for student in graded:
        grades = json.loads((course.autograded(student, SAMPLE_AID) / "grades.json").read_text())
        assert grades["status"] == graded[student]["status"]
        assert [(c["grade_id"], c["score"], c["status"]) for c in cells(grades).values()] == \
               [(c["grade_id"], c["score"], c["status"]) for c in cells(graded[student]).values()], student


@pytest.fixture(scope="module")
def local_ray(two_node_cluster):
    """This process as a driver of the module's cluster (no token file in the user's home)."""
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    start(address=two_node_cluster[0])
    yield
    ray.shutdown()


def test_each_gpu_task_sees_its_own_device(local_ray):
    @ray.remote(num_gpus=1, num_cpus=0)  # the GPU node has one CPU
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
    # one actor, on either node (each actor starts its own warm worker): two at once are the CLI test's
    results = [g.to_json() for g in autograde(course, SAMPLE_AID, settings=Settings(workers=1, backend="ray"))]
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
        assert sorted(r.grades.environment["gpu"]["id"] for r in results) == ["0", "1"]
        for result in results:
            assert result.grades.environment["device"] == "cuda" and result.grades.score == 14
    finally:
        for a in pair:
            ray.kill(a)


def test_a_node_with_other_code_is_a_clear_error(local_ray, tmp_path, monkeypatch):
    """The actors compare their graders source with the driver's before any submission is handed out."""
    import graders._ray

    course = copy_course(tmp_path)
    shutil.copytree(SAMPLES / "s01-korrekt" / SAMPLE_AID, course.submitted("v", SAMPLE_AID))
    monkeypatch.setattr(graders._ray, "code_fingerprint", lambda: "0" * 16)  # the driver's side only
    with pytest.raises(CourseError, match="anderen Code"):
        autograde(course, SAMPLE_AID, settings=Settings(workers=1, backend="ray", record_gradebook=False))
    assert not course.autograded("v", SAMPLE_AID).exists()
