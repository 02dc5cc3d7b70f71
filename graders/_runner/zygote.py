"""A warm process that forks one fresh child per notebook run.

It imports NumPy, IPython and, when asked, TensorFlow, Keras and PyTorch once, never runs a
framework op (a forked child of a process whose framework thread pools have started can hang), and
then serves jobs from the grader over a Unix socket: each job brings the job folder, the working
directory, a memory budget and two file descriptors (progress pipe, output pipe). The child starts
a new session, takes those descriptors as its progress channel and stdout/stderr, sets its limits
and runs ``harness.main``. The zygote reports the child's pid, then kills whatever the notebook
left running, reports the child's exit status and resource usage, and waits for the next job.

Every process a notebook starts stays the zygote's descendant: in the sandbox the zygote is PID 1
of its namespace, outside it is a child subreaper. In the sandbox (``--sandbox``) it also sends the
grader descriptors of its scratch folders with ``ready``, and its children get the process limits
and the network filter of ``sandbox.py``.

Protocol (one JSON message per SOCK_SEQPACKET packet; descriptors ride along with SCM_RIGHTS):
grader -> zygote ``{"job": ..., "cwd": ..., "memory_bytes": ...}`` + [progress_w, output_w]
zygote -> grader ``{"ready": true}`` once (+ [/tmp, /dev/shm] in the sandbox), then per job ``{"pid": N}`` and
``{"exit": code, "cpu_s": x, "maxrss_kib": y}``.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import select
import signal
import socket
import sys
import traceback

from graders._runner._procs import descendants

MAX_OPEN_FILES = 1024
MAX_FILE_BYTES = 1 << 30
MAX_PROCESSES = 512  # threads count too: TensorFlow and PyTorch start a few dozen
PR_SET_CHILD_SUBREAPER, PR_SET_DUMPABLE = 36, 4
WARM_ALWAYS = ("numpy", "IPython.core.interactiveshell", "graders._convert", "graders._plaindata",
               "graders._runner.harness")


def _vm_size_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _send(sock: socket.socket, message: dict, fds: tuple[int, ...] = ()) -> None:
    socket.send_fds(sock, [json.dumps(message).encode()], list(fds))


def _prctl(option: int, value: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def _sweep() -> None:
    """Kill and reap every process the notebook left behind (daemons and fork bombs included)."""
    for _ in range(100):
        pids = descendants(os.getpid())
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if not pids:
            return


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
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the zygote ignores it; the notebook not
        if job.get("address_space_limit", True):  # not on GPU runners: RLIMIT_AS breaks CUDA
            # the notebook may use what the zygote has mapped, plus its own budget
            budget = _vm_size_bytes() + int(job["memory_bytes"])
            resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (MAX_OPEN_FILES, MAX_OPEN_FILES))
        # a file beyond the cap fails with EFBIG instead of killing the process with SIGXFSZ
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
        if job.get("sandbox"):
            from graders._runner import sandbox

            # counted per user: only meaningful for the sandbox's own uid, never for a shared one
            resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
            sandbox.deny_network()
        os.chdir(job["cwd"])
        sys.path[0] = job["cwd"]
        from graders._runner import harness

        harness.main(job["job"])
    except BaseException:  # noqa: BLE001 - report anything, then leave without running the zygote's code
        traceback.print_exc()
    finally:
        os._exit(70)


def _wait_or_orphaned(pid: int, sock: socket.socket) -> bool:
    """Wait until the child ends (True) or the grader closes its end of the socket (False)."""
    child = os.pidfd_open(pid)
    try:
        while True:
            ready, _, _ = select.select([child, sock], [], [])
            if child in ready:
                return True
            if not sock.recv(1, socket.MSG_PEEK):
                return False
            select.select([child], [], [])  # an early message waits for the next job: just wait
            return True
    finally:
        os.close(child)


def serve(sock: socket.socket, warm: list[str], sandboxed: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a notebook's kill(ppid, SIGINT) must not stop us
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of a notebook become ours, so _sweep finds them
    _prctl(PR_SET_DUMPABLE, 0)  # a notebook runs as our uid: it must not ptrace us
    for name in (*WARM_ALWAYS, *warm):
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # a framework that is not installed is simply not warm
    scratch = ()
    if sandboxed:
        scratch = (os.open("/tmp", os.O_RDONLY | os.O_DIRECTORY), os.open("/dev/shm", os.O_RDONLY | os.O_DIRECTORY))
    _send(sock, {"ready": True}, scratch)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 65536, 2)
        except OSError:
            return
        if not message:
            return  # the grader closed the socket: shut down
        job = json.loads(message)
        job["sandbox"] = sandboxed
        progress_w, output_w = fds
        pid = os.fork()
        if pid == 0:
            _child(job, progress_w, output_w, sock)
        os.close(progress_w)
        os.close(output_w)
        _send(sock, {"pid": pid})
        if not _wait_or_orphaned(pid, sock):
            _sweep()
            return  # the grader is gone: so is the notebook it can no longer watch
        _, status, usage = os.wait4(pid, 0)
        _sweep()
        _send(sock, {"exit": os.waitstatus_to_exitcode(status), "cpu_s": usage.ru_utime + usage.ru_stime,
                     "maxrss_kib": usage.ru_maxrss})


def main() -> None:
    fd = int(sys.argv[1])
    warm = [name for name in sys.argv[2].split(",") if name] if len(sys.argv) > 2 else []
    serve(socket.socket(fileno=fd), warm, sandboxed="--sandbox" in sys.argv[3:])


if __name__ == "__main__":
    main()
