"""Mutants per second, per assignment, with one and with two workers, measured side by side.

Each assignment's fixed sample of mutants (``--per-cell``, default 6 per solution cell) is graded once
on a warm one-worker engine and once on a warm two-worker engine, in the same run, on a copy of the
course whose references are computed before timing starts (they are cached by content, like in use).
The time includes the solution run that every analysis starts with (baseline points and limits).

    python benchmarks/mutation_speed.py [AID ...] [--per-cell N]

One line per assignment: ``<aid> mutants=N 1w=<mutants/s> 2w=<mutants/s> ratio=<2w/1w>``, then the totals.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders._mutation import analyse  # noqa: E402
from graders._runner import Engine  # noqa: E402
from graders.course import Course  # noqa: E402
from graders.grading import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("aid", nargs="*")
    parser.add_argument("--per-cell", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("source", "content", "nbgrader_config.py", ".graders-cache"):
            src = ROOT / part
            if src.exists():
                (shutil.copytree if src.is_dir() else shutil.copyfile)(src, Path(tmp) / part)
        course = Course(Path(tmp))
        aids = args.aid or course.assignments()
        totals = {1: [0, 0.0], 2: [0, 0.0]}
        with Engine(workers=1) as one, Engine(workers=2) as two:
            for aid in aids:
                prepare(course, aid, two)  # references outside the timing
                rates = {}
                for workers, engine in ((1, one), (2, two)):
                    started = time.monotonic()
                    analysis = analyse(course, aid, per_cell=args.per_cell, engine=engine)
                    seconds = time.monotonic() - started
                    rates[workers] = analysis.runs / seconds
                    totals[workers][0] += analysis.runs
                    totals[workers][1] += seconds
                print(f"{aid} mutants={analysis.runs} 1w={rates[1]:.2f}/s 2w={rates[2]:.2f}/s "
                      f"ratio={rates[2] / rates[1]:.2f}", flush=True)
        one_rate, two_rate = (totals[w][0] / totals[w][1] for w in (1, 2))
        print(f"total mutants={totals[1][0]} 1w={one_rate:.2f}/s ({totals[1][1]:.0f} s) "
              f"2w={two_rate:.2f}/s ({totals[2][1]:.0f} s) ratio={two_rate / one_rate:.2f}")


if __name__ == "__main__":
    main()
