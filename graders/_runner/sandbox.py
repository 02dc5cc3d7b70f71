"""bubblewrap around the warm worker: what a notebook's process may see and do.

The zygote, and so every notebook it forks, runs in new user, PID, IPC, UTS, cgroup and network
namespaces as uid 65534 with every capability dropped. It sees the system libraries, the Python
installation and the graders package read-only, and two size-capped tmpfs folders (``/tmp``, the
scratch, and ``/dev/shm``) — never the course folder, the gradebook, other submissions, the grader's
home or caches. The grader reaches the scratch through directory descriptors the zygote sends at
start, and wipes it after every notebook, so nothing a student writes reaches the next one.

Inside, the zygote is PID 1: a notebook can neither signal nor trace it, and every process a
notebook starts is its descendant, killed when the notebook ends. The notebook's own process also
gets a seccomp filter that refuses internet sockets (loopback included) and io_uring.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
import platform
import shutil
import struct
import subprocess
import sys
from pathlib import Path

SCRATCH_BYTES = 2 << 30  # /tmp of one worker: every file a notebook writes, together
SHM_BYTES = 512 << 20
SANDBOX_UID = 65534  # nobody
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# what dynamic linking, time zones and TLS need of /etc; not /etc itself (it holds the host's secrets)
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "timezone", "ssl",
        "ca-certificates", "nsswitch.conf", "hosts", "mime.types", "fonts")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


def _python_paths() -> list[str]:
    """The interpreter, its standard library and site-packages, and the graders package."""
    package = Path(__file__).resolve().parents[1]  # graders/, without importing it from here
    kit = package.parent / "graders_student"  # the kit's import name, which a student's own cell may use
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(package),
                  *([str(kit)] if kit.is_dir() else [])}
    paths = set()
    for path in candidates:
        for variant in (path, os.path.realpath(path)):
            if os.path.isdir(variant) and variant != "/":
                paths.add(variant)
    return sorted(paths)


def command(argv: list[str], *, gpu: bool = False) -> list[str]:
    """``argv`` wrapped in bubblewrap."""
    # not --die-with-parent: it ties the sandbox to the thread that started it; the zygote itself
    # ends when the grader's end of its socket closes
    args = ["bwrap", "--unshare-all", "--as-pid-1", "--new-session",
            "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--cap-drop", "ALL", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev", "--ro-bind", "/sys", "/sys",
            "--size", str(SCRATCH_BYTES), "--tmpfs", "/tmp", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
    for path in _SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for path in _python_paths():
        args += ["--ro-bind", path, path]
    if gpu:  # the driver's device nodes; CUDA_VISIBLE_DEVICES picks the worker's GPU among them
        for node in sorted(glob.glob("/dev/nvidia*")):
            args += ["--dev-bind", node, node]
    return args + ["--chdir", "/tmp", "--", *argv]


@functools.lru_cache(maxsize=1)
def problem() -> str | None:
    """Why the sandbox cannot run here (German, for the instructor), or None when it can."""
    if not sys.platform.startswith("linux"):
        return "Die Sandbox (bubblewrap) gibt es nur unter Linux."
    if shutil.which("bwrap") is None:
        return ("bubblewrap ist nicht installiert (Debian/Ubuntu: `apt-get install bubblewrap`; "
                "`make demo` bzw. tools/system-packages installiert es, wo apt-get laufen darf).")
    try:
        probe = subprocess.run(command([sys.executable, "-c", "pass"]), capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap startet nicht: {exc}"
    if probe.returncode != 0:
        detail = probe.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return f"bubblewrap kann hier keine Namensräume anlegen: {detail[0]}"
    return None


def require() -> None:
    reason = problem()
    if reason is not None:
        raise SandboxUnavailable(reason)


# -- inside the sandbox ----------------------------------------------------------------------------

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_NR_SOCKET = {"x86_64": 41, "aarch64": 198}
_NR_IO_URING_SETUP = 425  # the same number on every architecture
_X32_BIT = 0x40000000
_DENIED_FAMILIES = (2, 10, 17)  # AF_INET, AF_INET6, AF_PACKET
_EACCES = 13


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _network_filter(machine: str) -> bytes:
    """A seccomp program: socket() of an internet or packet family and io_uring fail with EACCES."""
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | _EACCES
    return b"".join([
        _bpf(ld, 0, 0, 4),  # 0: seccomp_data.arch
        _bpf(jeq, 0, 8, _AUDIT_ARCH[machine]),  # 1: another ABI: allow
        _bpf(ld, 0, 0, 0),  # 2: seccomp_data.nr
        _bpf(jge, 7, 0, _X32_BIT),  # 3: x32 calls: deny
        _bpf(jeq, 6, 0, _NR_IO_URING_SETUP),  # 4
        _bpf(jeq, 0, 4, _NR_SOCKET[machine]),  # 5: any other call: allow
        _bpf(ld, 0, 0, 16),  # 6: args[0], the low half: the address family
        _bpf(jeq, 3, 0, _DENIED_FAMILIES[0]),  # 7
        _bpf(jeq, 2, 0, _DENIED_FAMILIES[1]),  # 8
        _bpf(jeq, 1, 0, _DENIED_FAMILIES[2]),  # 9
        _bpf(ret, 0, 0, allow),  # 10
        _bpf(ret, 0, 0, deny),  # 11
    ])


def deny_network() -> None:
    """Install the seccomp filter in this process (bubblewrap has already set no_new_privs)."""
    machine = platform.machine()
    if machine not in _AUDIT_ARCH:
        return  # the network namespace still isolates; only loopback stays reachable
    program = _network_filter(machine)
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0)
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")
