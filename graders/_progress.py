"""Progress on long work: a rich bar with count, rate and ETA on a terminal, plain lines elsewhere."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress(total: int, label: str):
    """Yields ``step(item: str)``, to be called once per finished item."""
    if _interactive():
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
        # stderr, like the plain lines: stdout carries the command's results and may be piped
        with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
            task = bar.add_task(label, total=total, rate="")
            started = time.monotonic()

            def step(item: str) -> None:
                bar.advance(task)
                done = bar.tasks[0].completed
                bar.update(task, description=f"{label} {item}",
                           rate=f"{done / max(time.monotonic() - started, 1e-9):.2f}/s")
            yield step
        return
    started, done = time.monotonic(), 0

    def step(item: str) -> None:
        nonlocal done
        done += 1
        elapsed = time.monotonic() - started
        eta = elapsed / done * (total - done)
        print(f"{label} {done}/{total} {item} ({elapsed:.1f} s, ETA {eta:.0f} s)", file=sys.stderr, flush=True)
    yield step
