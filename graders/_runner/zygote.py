"""A warm process that forks one fresh child per notebook run.

It imports NumPy, IPython and, when asked, TensorFlow, Keras and PyTorch once, never runs a
framework op (a forked child of a process whose framework thread pools have started can hang), and
then serves jobs from the grader over a Unix socket: each job brings the job folder, the working
directory, a memory budget and two file descriptors (progress pipe, output pipe). The child starts
a new session, takes those descriptors as its progress channel and stdout/stderr, sets its limits
and runs ``harness.main``. The zygote reports the child's pid, then its exit status and resource
usage, and waits for the next job.

Protocol (one JSON message per SOCK_SEQPACKET packet; descriptors ride along with SCM_RIGHTS):
grader -> zygote ``{"job": ..., "cwd": ..., "memory_bytes": ...}`` + [progress_w, output_w]
zygote -> grader ``{"ready": true}`` once, then per job ``{"pid": N}`` and
``{"exit": code, "cpu_s": x, "maxrss_kib": y}``.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import socket
import sys
import traceback

WARM_ALWAYS = ("numpy", "IPython.core.interactiveshell", "graders._convert", "graders._plaindata",
               "graders._runner.harness")


def _vm_size_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


def _child(job: dict, progress_w: int, output_w: int, sock: socket.socket) -> None:
    """Runs in the forked child; never returns."""
    try:
        os.setsid()
        sock.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        os.environ["GRADERS_PROGRESS_FD"] = str(progress_w)
        if job.get("address_space_limit", True):  # not on GPU runners: RLIMIT_AS breaks CUDA
            # the notebook may use what the zygote has mapped, plus its own budget
            budget = _vm_size_bytes() + int(job["memory_bytes"])
            resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(job["cwd"])
        sys.path[0] = job["cwd"]
        from graders._runner import harness

        harness.main(job["job"])
    except BaseException:  # noqa: BLE001 - report anything, then leave without running the zygote's code
        traceback.print_exc()
    finally:
        os._exit(70)


def serve(sock: socket.socket, warm: list[str]) -> None:
    for name in (*WARM_ALWAYS, *warm):
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # a framework that is not installed is simply not warm
    _send(sock, {"ready": True})
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 65536, 2)
        except OSError:
            return
        if not message:
            return  # the grader closed the socket: shut down
        job = json.loads(message)
        progress_w, output_w = fds
        pid = os.fork()
        if pid == 0:
            _child(job, progress_w, output_w, sock)
        os.close(progress_w)
        os.close(output_w)
        _send(sock, {"pid": pid})
        _, status, usage = os.wait4(pid, 0)
        _send(sock, {"exit": os.waitstatus_to_exitcode(status), "cpu_s": usage.ru_utime + usage.ru_stime,
                     "maxrss_kib": usage.ru_maxrss})


def main() -> None:
    fd = int(sys.argv[1])
    warm = [name for name in sys.argv[2].split(",") if name] if len(sys.argv) > 2 else []
    serve(socket.socket(fileno=fd), warm)


if __name__ == "__main__":
    main()
