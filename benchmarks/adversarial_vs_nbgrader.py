"""The hostile corpus (tests/adversarial/corpus.py) through `graders autograde` and plain
`nbgrader autograde`, side by side: how many tricks each system stops.

A trick is held when its submission gets a grade (never none), no more points than the blank
release (or exactly full marks for correct work with noise), grading ends within its limits (30 s
per cell for both), source/, release/, solutions/ and the other submissions stay
byte-identical, no file marked with the trick's name appears in the course, the temp folders or the
home folder, nothing reaches a loopback listener, and no process of the submission outlives grading.

graders grades the corpus as one batch in the sandbox (as `graders autograde` does by default);
nbgrader gets a fresh copy of the course per trick, so that one trick's damage (a killed batch, a
rewritten source/) is charged to that trick alone. Both use this course's hidden tests, which in a
plain nbgrader kernel compute their references out of process (graders' compat mode).

    python benchmarks/adversarial_vs_nbgrader.py [--only TRICK ...] [--skip-nbgrader]

The last line reads ``graders=<held>/<total> nbgrader=<held>/<total>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import _markup as markup, _nbgrader  # noqa: E402
from graders._runner import Limits  # noqa: E402
from graders.autograde import Settings, autograde  # noqa: E402
from graders.course import Course  # noqa: E402
from tests.adversarial import corpus  # noqa: E402

CELL_TIMEOUT = 30  # generous: nbgrader imports TensorFlow and PyTorch inside the cells
NBGRADER_LIMIT_S = 300  # a whole nbgrader run of one submission; beyond it the trick has won
def new_course(target: Path) -> Course:
    for part in ("source", "release", "solutions", "nbgrader_config.py", "bank/topics.yaml", ".graders-cache"):
        src = ROOT / part
        if src.exists():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, target / part)
    return Course(target)


def verdict(trick: corpus.Trick, score: float | None, max_score: float, blank: float, in_time: bool,
            changed: list[str], planted: list[str], reached: bool, left: int) -> list[str]:
    """Why the trick was not held (empty: held)."""
    why = []
    if score is None:
        why.append("keine Note")
    elif trick.expect == "full" and score != max_score:
        why.append(f"{score:g} statt voller Punkte")
    elif trick.expect == "blank" and score > blank:
        why.append(f"{score:g} Punkte (leer: {blank:g})")
    if not in_time:
        why.append("Zeitlimit überschritten")
    if changed:
        why.append(f"verändert: {', '.join(changed[:3])}")
    if planted:
        why.append(f"Dateien angelegt: {', '.join(planted[:2])}")
    if reached:
        why.append("Verbindung zum Loopback")
    if left:
        why.append(f"{left} Prozesse überleben")
    return why


def run_graders(tmp: Path, listener: corpus.Listener, tricks: list[corpus.Trick]) -> dict[str, list[str]]:
    course = new_course(tmp / "graders")
    corpus.build(course.root, course.root / "submitted", port=listener.port, tricks=tricks)
    before = corpus.digest(course.root)
    since, started = time.time(), time.monotonic()
    limits = Limits(cell_timeout=CELL_TIMEOUT, notebook_timeout=CELL_TIMEOUT * 6, memory_gib=2.0)
    results = autograde(course, corpus.AID, students=[t.name for t in tricks], force=True,
                        settings=Settings(limits=limits, workers=os.cpu_count() or 1, sandbox=True))
    print(f"graders: {len(tricks)} submissions in {time.monotonic() - started:.1f} s", file=sys.stderr)
    time.sleep(6)  # the daemon trick writes 4 s after it started
    grades = {g["student"]: g for g in results}
    after = corpus.digest(course.root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    left = corpus.orphans(since, ("graders._runner.zygote",))
    blank = grades["blank_release"]["score"] if "blank_release" in grades else 0.0
    out = {}
    for trick in tricks:
        g = grades[trick.name]
        in_time = all(nb.get("timing", {}).get("wall_s", 0) <= limits.notebook_timeout + 30 for nb in g["notebooks"])
        out[trick.name] = verdict(trick, g["score"], g["max_score"], blank, in_time, changed,
                                  sorted(corpus.marks(course.root, trick.name)), listener.reached_by(trick.name),
                                  len(left))
    return out


def nbgrader_score(course: Course, student: str) -> float | None:
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(course.gradebook_url) as gb:
            return float(gb.find_submission(corpus.AID, student).score)
    except MissingEntry:
        return None


def run_nbgrader_one(tmp: Path, listener: corpus.Listener, trick: corpus.Trick) -> list[str]:
    course = new_course(tmp / f"nbgrader-{trick.name}")
    corpus.build(course.root, course.root / "submitted", port=listener.port, tricks=[trick])
    _nbgrader.ensure_assignment(course.gradebook_url, corpus.AID,
                                {p.stem: markup.read_notebook(p) for p in course.notebooks(corpus.AID)})
    before = corpus.digest(course.root)
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", CI="1")
    since, in_time = time.time(), True
    proc = subprocess.Popen([str(bin_dir / "nbgrader"), "autograde", corpus.AID, "--student", trick.name,
                             f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}"], cwd=course.root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=NBGRADER_LIMIT_S)
    except subprocess.TimeoutExpired:
        in_time = False
        os.killpg(proc.pid, 9)
        proc.wait()
    if trick.name == "daemon_outlives_grading":
        time.sleep(6)
    left = corpus.orphans(since, ("ipykernel", "nbgrader"))
    for pid in left:  # leave the machine as we found it
        try:
            psutil.Process(pid).kill()
        except psutil.Error:
            pass
    after = corpus.digest(course.root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    max_score = sum(markup.points(c) for p in course.notebooks(corpus.AID) for c in markup.read_notebook(p).cells
                    if markup.role(c) == "test")
    why = verdict(trick, nbgrader_score(course, trick.name), max_score, 0.0, in_time, changed,
                  sorted(corpus.marks(course.root, trick.name)), listener.reached_by(trick.name), len(left))
    shutil.rmtree(course.root, ignore_errors=True)  # the fill_disk trick leaves gigabytes behind
    _remove(corpus.marks(course.root, trick.name))
    return why


def _remove(paths) -> None:
    """Leave the machine as we found it: a mark left here would be charged to the next run."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these tricks")
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    tricks = [t for t in corpus.TRICKS if not args.only or t.name in args.only or t.name == "blank_release"]
    stale = corpus.marks(ROOT)
    if stale:
        print(f"removing marks of an earlier run: {', '.join(sorted(stale))}", file=sys.stderr)
        _remove(stale)
    listener = corpus.Listener()
    listener.start()
    with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
        ours = run_graders(Path(tmp), listener, tricks)
        theirs = {}
        if not args.skip_nbgrader:
            for number, trick in enumerate(tricks, 1):
                started = time.monotonic()
                theirs[trick.name] = run_nbgrader_one(Path(tmp), listener, trick)
                print(f"nbgrader {number}/{len(tricks)} {trick.name}: {time.monotonic() - started:.1f} s",
                      file=sys.stderr)
    width = max(len(t.name) for t in tricks)
    print(f"{'trick':<{width}}  {'graders':<40}  nbgrader")
    for trick in tricks:
        mine = "hält" if not ours[trick.name] else "; ".join(ours[trick.name])
        other = "–" if args.skip_nbgrader else ("hält" if not theirs[trick.name] else "; ".join(theirs[trick.name]))
        print(f"{trick.name:<{width}}  {mine:<40}  {other}")
    held_ours = sum(not why for why in ours.values())
    held_theirs = "n/a" if args.skip_nbgrader else sum(not why for why in theirs.values())
    print(f"graders={held_ours}/{len(tricks)} nbgrader={held_theirs}/{len(tricks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
