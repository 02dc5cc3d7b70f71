"""``graders similar`` on a generated cohort: recall on planted copies, false positives among
independent solutions, and the time for one assignment's submissions.

The cohort comes from ``tests/similarity_corpus.py``: independent students each write the six NumPy
functions of one assignment (a hand-written solution per function, one of several ways at each of its
choice points, personal habits and names), planted copies take another student's cells with every
name renamed, the functions reordered, the comments replaced and dead code inserted into each
function. The time covers the whole command on the course folder: reading the notebooks, fingerprints,
comparison, HTML and CSV.

    python benchmarks/similarity.py [--students 300] [--seeds 3]

Per seed one line for the default disguise (and the time), then, as further information, the
recall of copies with more dead code and of copies of only two of the four cells; totals at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.similar import Settings, similar  # noqa: E402
from tests import similarity_corpus as corpus  # noqa: E402


def measure(made: corpus.Cohort, folder: Path) -> tuple[int, int, int, int, float]:
    """(copy pairs found, copy pairs, independent pairs flagged, independent pairs, seconds)."""
    course = corpus.write_course(folder, made)
    start = time.perf_counter()
    result = similar(course, corpus.AID)
    seconds = time.perf_counter() - start
    truth = made.copy_pairs()
    flagged = {frozenset((p.a.name, p.b.name)) for p in result.pairs}
    return len(truth & flagged), len(truth), len(flagged - truth), made.independent_pairs(), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300, help="submissions per cohort (default 300)")
    parser.add_argument("--seeds", type=int, default=3, help="cohorts, each from its own seed (default 3)")
    args = parser.parse_args()
    copies = args.students // 10
    triples = copies // 6
    independent = args.students - copies - triples
    print(f"{args.students} submissions per cohort: {independent} independent, {copies + triples} planted copies "
          f"of {copies} students ({triples} copied twice); threshold {Settings.threshold:g}")
    totals: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.seeds + 1):
            rows = {
                "default": corpus.cohort(independent, copies, seed, triples),
                "dead code x3": corpus.cohort(independent, copies, seed, triples, dead_per_function=3),
                "2 of 4 cells": corpus.cohort(independent, copies, seed, triples, copied_cells=2),
            }
            for label, made in rows.items():
                found, pairs, false, independent_pairs, seconds = measure(made, Path(tmp) / f"{seed}-{label}")
                total = totals.setdefault(label, [0, 0, 0, 0, 0.0])
                for i, value in enumerate((found, pairs, false, independent_pairs, seconds)):
                    total[i] += value
                timing = f" time={seconds:.2f}s" if label == "default" else ""
                print(f"seed={seed} {label:13s} recall={found}/{pairs} ({100 * found / pairs:.1f} %) "
                      f"false_positives={false}/{independent_pairs} ({100 * false / independent_pairs:.3f} %){timing}")
    for label, (found, pairs, false, independent_pairs, seconds) in totals.items():
        timing = f" mean_time={seconds / args.seeds:.2f}s" if label == "default" else ""
        print(f"total {label:13s} recall={100 * found / pairs:.1f} % "
              f"false_positive_rate={100 * false / independent_pairs:.3f} %{timing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
