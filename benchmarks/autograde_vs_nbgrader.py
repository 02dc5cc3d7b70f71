"""Benchmark: `graders autograde` against `nbgrader autograde`, side by side, in one run.

Builds a corpus of N submissions of 01-perzeptron (which imports TensorFlow and PyTorch): correct,
partly wrong, raising and slow ones, taken from examples/submissions. Each grader gets a
fresh copy of the course; both must give the same per-cell scores. Prints wall time, peak memory
of the whole process tree, and the per-submission overhead (wall time per submission minus the
student code's own run time), and as its last line ``ratio=<graders/nbgrader>``.

graders runs in its sandbox (the default); the same submissions are then graded again with
``--no-sandbox`` and the sandbox's cost per submission is printed: the mean difference of the
per-notebook run time that grades.json records (fork, copy in, run, copy out, wipe).

    python benchmarks/autograde_vs_nbgrader.py [--submissions 20] [--workers 2] [--skip-nbgrader]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import _markup as markup, _nbgrader  # noqa: E402
from graders.course import Course  # noqa: E402

AID, NOTEBOOK = "01-perzeptron", "perzeptron.ipynb"
SAMPLES = Course(ROOT).sample_submissions
# correct, partly wrong, raising, and slow (a student's cell that sleeps)
KINDS = ["s01-korrekt", "s04-teilweise-falsch", "s06-fehler", "slow", "s02-float32", "s03-knapp-daneben",
         "s05-leer", "s07-warnungen"]
SLOW_CELL = "import time\ntime.sleep(1.0)  # eine langsame Abgabe"


def build_course(target: Path, n: int) -> Course:
    for part in ("source", "release", "solutions", "nbgrader_config.py", "bank/topics.yaml"):
        src = ROOT / part
        (target / part).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, target / part)
    course = Course(target)
    import nbformat

    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        folder = course.submitted(f"b{i:04d}", AID)
        folder.mkdir(parents=True)
        if kind == "slow":
            nb = nbformat.read(SAMPLES / "s01-korrekt" / AID / NOTEBOOK, as_version=4)
            nb.cells.insert(2, nbformat.v4.new_code_cell(SLOW_CELL))
            nbformat.write(nb, folder / NOTEBOOK)
        else:
            shutil.copyfile(SAMPLES / kind / AID / NOTEBOOK, folder / NOTEBOOK)
    _nbgrader.ensure_assignment(course.gradebook_url, AID, {p.stem: markup.read_notebook(p)
                                                            for p in course.notebooks(AID)})
    return course


class PeakMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)] if p.is_running())
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.1)


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""), TF_CPP_MIN_LOG_LEVEL="2",
               CI="1")
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PeakMemory(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    sampler.stop.set()
    if proc.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{err.decode()[-3000:]}")
    return time.monotonic() - started, sampler.peak


def run_times(course: Course, students: list[str]) -> float:
    """Mean per-notebook run time recorded in grades.json."""
    times = [nb["timing"]["wall_s"] for s in students
             for nb in json.loads((course.autograded(s, AID) / "grades.json").read_text())["notebooks"]
             if "timing" in nb]
    return sum(times) / len(times)


def scores(course: Course, students: list[str]) -> dict:
    return {s: _nbgrader.auto_scores(course.gradebook_url, AID, s) for s in students}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-nbgrader", action="store_true", help="only graders (for large N)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ours = build_course(Path(tmp) / "graders", args.submissions)
        students = ours.students(AID)
        # warm the reference cache as a course would have it after `graders release`
        subprocess.run([str(bin_dir / "graders"), "release", AID], cwd=ours.root, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        g_wall, g_peak = timed([str(bin_dir / "graders"), "autograde", AID, "--workers", str(args.workers)], ours.root)
        grades = [json.loads((ours.autograded(s, AID) / "grades.json").read_text()) for s in students]
        code_s = sum(g["timing"].get("code_s", 0.0) for g in grades) / len(grades)
        finished = sorted((ours.autograded(s, AID) / "grades.json").stat().st_mtime for s in students)
        tenth = max(1, len(finished) // 10)
        first = (finished[tenth] - finished[0]) / tenth
        last = (finished[-1] - finished[-1 - tenth]) / tenth
        g_over = g_wall * args.workers / len(students) - code_s
        print(f"submissions={len(students)} workers={args.workers} student_code_s_mean={code_s:.2f}")
        print(f"graders:  wall={g_wall:.1f}s peak_mem={g_peak / 2**30:.2f}GiB overhead_per_submission={g_over:.2f}s "
              f"s_per_submission_first10%={first:.2f} last10%={last:.2f}")
        sandboxed = run_times(ours, students)
        u_wall, _ = timed([str(bin_dir / "graders"), "autograde", AID, "--workers", str(args.workers), "--force",
                           "--no-sandbox"], ours.root)
        plain = run_times(ours, students)
        print(f"sandbox: wall={g_wall:.1f}s vs --no-sandbox wall={u_wall:.1f}s; notebook run time "
              f"{sandboxed:.3f}s vs {plain:.3f}s: sandbox_overhead_per_submission={sandboxed - plain:+.3f}s")
        if args.skip_nbgrader:
            print("ratio=n/a (nbgrader skipped)")
            return 0
        theirs = build_course(Path(tmp) / "nbgrader", args.submissions)
        shutil.copytree(ours.root / ".graders-cache", theirs.root / ".graders-cache")  # same references
        n_wall, n_peak = timed([str(bin_dir / "nbgrader"), "autograde", AID], theirs.root)
        n_over = n_wall / len(students) - code_s
        print(f"nbgrader: wall={n_wall:.1f}s peak_mem={n_peak / 2**30:.2f}GiB overhead_per_submission={n_over:.2f}s")
        ours_scores, their_scores = scores(ours, students), scores(theirs, students)
        same = sum(ours_scores[s] == their_scores[s] for s in students)
        print(f"same per-cell scores: {same}/{len(students)}")
        if same != len(students):
            for s in students:
                if ours_scores[s] != their_scores[s]:
                    print(f"  {s}: graders={ours_scores[s]} nbgrader={their_scores[s]}")
        print(f"ratio={g_wall / n_wall:.3f}")
    return 0 if same == len(students) else 1


if __name__ == "__main__":
    sys.exit(main())
