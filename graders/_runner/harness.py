"""Runs inside the notebook's own process (a student's, or the trusted solution's).

Reads ``job.json`` from the job folder, executes the cells in one IPython namespace and, after
each test cell, captures the values that the grader asked for as plain data. It knows nothing of
references or scores: everything it writes is read back by the grader as untrusted input.

Output: ``out/cells.jsonl`` (one JSON line per finished cell) and ``out/captures/<key>/``
(plain data: the envelope of ``graders._capture``) or ``out/captures/<key>.error`` (a German
message). Progress goes, one line per cell start and end, to the file descriptor named in
``GRADERS_PROGRESS_FD`` so that the grader can enforce per-cell time limits from outside.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

CELL_OUTPUT_CAP = 64 * 1024  # characters kept per stream per cell; the rest is cut with a note


class _CappedStream(io.TextIOBase):
    def __init__(self, cap: int = CELL_OUTPUT_CAP):
        self._parts: list[str] = []
        self._size = 0
        self._cap = cap
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        room = self._cap - self._size
        if room > 0:
            self._parts.append(text[:room])
            self._size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        note = f"\n[... {self.dropped} weitere Zeichen Ausgabe abgeschnitten]\n" if self.dropped else ""
        return "".join(self._parts) + note


class _Progress:
    def __init__(self):
        fd = os.environ.get("GRADERS_PROGRESS_FD")
        self._fd = int(fd) if fd else None

    def say(self, line: str) -> None:
        if self._fd is None:
            return
        try:
            os.write(self._fd, (line + "\n").encode())
        except OSError:
            self._fd = None  # the student closed it; the grader then relies on its overall limit


def _seed_frameworks(seeded: set[str]) -> None:
    """Seed each framework once it has been imported, so runs repeat exactly."""
    if "torch" in sys.modules and "torch" not in seeded:
        sys.modules["torch"].manual_seed(0)
        seeded.add("torch")
    if "tensorflow" in sys.modules and "tensorflow" not in seeded:
        sys.modules["tensorflow"].random.set_seed(0)
        seeded.add("tensorflow")


def _make_shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    shell.showtraceback = lambda *args, **kwargs: None  # errors are reported in cells.jsonl
    shell.showsyntaxerror = lambda *args, **kwargs: None
    return shell


def _format_error(exc: BaseException) -> dict:
    frames = traceback.extract_tb(exc.__traceback__)
    student = [f for f in frames if f.filename.startswith("<ipython-input") or f.filename.startswith("/tmp/ipykernel")
               or "ipython-input" in f.filename]
    lines = traceback.format_list(student[-3:]) + traceback.format_exception_only(type(exc), exc)
    return {"ename": type(exc).__name__, "evalue": str(exc)[:2000], "traceback": "".join(lines)[-4000:]}


def _capture(shell, request: dict, job_dir: Path, out: Path) -> None:
    from graders._capture import pack
    from graders._checks import resolve_target
    from graders._convert import ConversionError, value_kind
    from graders._describe import describe
    from graders._inputs import as_framework, from_plain
    from graders._plaindata import read_plain, write_plain

    key = request["key"]
    try:
        target = resolve_target(shell.user_ns, request["name"])
        arguments = None
        if request["kind"] == "call":
            inputs = read_plain(job_dir / "inputs" / key)
            args = [as_framework(from_plain(v), request.get("tensors")) for v in inputs["args"]]
            kwargs = {k: as_framework(from_plain(v), request.get("tensors")) for k, v in inputs["kwargs"].items()}
            if not callable(target):
                raise TypeError(f"`{request['name']}` ist keine Funktion")
            target = target(*args, **kwargs)
            arguments = (args, kwargs) if request.get("unchanged") else None
        value = describe(target) if request["kind"] == "structure" else target
        write_plain(pack(value, value_kind(target), arguments), out / key)
    except ConversionError as exc:
        (out / f"{key}.error").write_text(str(exc), encoding="utf-8")
    except BaseException as exc:  # the student's function may raise anything, SystemExit included
        (out / f"{key}.error").write_text(f"{type(exc).__name__}: {str(exc)[:500]}", encoding="utf-8")


def main(job_dir: str) -> None:
    job_path = Path(job_dir)
    job = json.loads((job_path / "job.json").read_text(encoding="utf-8"))
    out = job_path / "out"
    (out / "captures").mkdir(parents=True, exist_ok=True)
    progress = _Progress()
    random.seed(0)
    import numpy as np

    np.random.seed(0)
    from graders import _device

    _device.configure()  # GPU runners: TF32 off, deterministic ops, memory growth and cap
    shell = _make_shell()
    seeded: set[str] = set()
    _seed_frameworks(seeded)  # frameworks the warm zygote imported
    results = open(out / "cells.jsonl", "a", encoding="utf-8")
    real_out, real_err = sys.stdout, sys.stderr
    for index, cell in enumerate(job["cells"]):
        progress.say(f"start {index}")
        stdout, stderr = _CappedStream(), _CappedStream()
        sys.stdout, sys.stderr = stdout, stderr
        record = {"index": index, "status": "ok"}
        cell_started = time.perf_counter()
        try:
            result = shell.run_cell(cell["source"], store_history=False)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                record.update(status="error", **_format_error(error))
            _seed_frameworks(seeded)
            for request in cell.get("captures", []):
                _capture(shell, request, job_path, out / "captures")
        except BaseException as exc:  # a harness failure is reported, never hidden
            record.update(status="error", **_format_error(exc))
        finally:
            sys.stdout, sys.stderr = real_out, real_err
        record.update(stdout=stdout.getvalue(), stderr=stderr.getvalue(),
                      wall_s=round(time.perf_counter() - cell_started, 4))
        results.write(json.dumps(record) + "\n")
        results.flush()
        progress.say(f"end {index}")
    results.close()
    progress.say("done")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: framework atexit hooks can hang and are not ours to wait for


if __name__ == "__main__":
    main(sys.argv[1])
