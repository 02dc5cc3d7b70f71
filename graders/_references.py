"""Reference values: computed by running the solution notebook in its own process, cached by hash.

The cache lives under ``.graders-cache/references/<aid>/<notebook>-<hash>/`` and holds exactly what
the solution's process captured (plain data). It is keyed by the source notebook, the assignment's
data files and the capture format, so editing a solution recomputes it and nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import _markup as markup
from ._assemble import assemble
from ._capture import Capture, unpack
from ._plaindata import PlainDataError, read_plain
from ._runner import Engine, Limits, run_cells
from .course import Course

CAPTURE_FORMAT = "3"  # bump when the runner changes how notebooks compute (threads, seeds) or what a capture holds
EXECUTED = "executed.ipynb"  # the solution notebook with its outputs, for solutions/
REFERENCE_LIMITS = Limits(cell_timeout=300, notebook_timeout=1200, memory_gib=8)


class ReferenceError(RuntimeError):
    """The solution notebook did not produce a value its hidden tests ask for (instructor-facing)."""


@dataclass(frozen=True)
class References:
    values: dict[str, Capture]  # capture key -> the solution's capture
    folder: Path

    def get(self, key: str):
        """The solution's value (plain data)."""
        return self.values[key].value

    def capture(self, key: str) -> Capture:
        return self.values[key]


def notebook_hash(course: Course, aid: str, notebook: Path) -> str:
    digest = hashlib.sha256(CAPTURE_FORMAT.encode())
    digest.update(notebook.read_bytes())
    for data in sorted(course.source(aid).rglob("*")):
        if data.is_file() and data.suffix != ".ipynb" and ".ipynb_checkpoints" not in data.parts:
            digest.update(str(data.relative_to(course.source(aid))).encode())
            digest.update(data.read_bytes())
    return digest.hexdigest()[:16]


def load_references(course: Course, aid: str, notebook: Path, *, engine: Engine | None = None) -> References:
    """The references of ``source/<aid>/<notebook>``, computing them once if not cached."""
    folder = course.cache / "references" / aid / f"{notebook.stem}-{notebook_hash(course, aid, notebook)}"
    if not (folder / "index.json").is_file():
        _compute(course, aid, notebook, folder, engine)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    try:
        values = {key: unpack(read_plain(folder / key), unchanged=False) for key in index["keys"]}
    except PlainDataError as exc:
        raise ReferenceError(f"{aid}/{notebook.name}: damaged reference cache {folder}: {exc}") from None
    return References(values, folder)


_WHAT_HAPPENED = {"error": "Fehler", "timeout": "Zeitlimit überschritten", "memory": "Speicherlimit überschritten",
                  "crashed": "Prozess abgestürzt", "not-run": "nicht ausgeführt"}


def _cell_label(plan, index: int) -> str:
    """A runner cell as the author knows it: its grade_id (the hidden part of a test cell says so)."""
    nb_index = plan.notebook_cells[index]
    if nb_index is not None:
        gid = plan.notebook.cells[nb_index].metadata.get("nbgrader", {}).get("grade_id")
        return f"'{gid}'" if gid else f"{nb_index + 1} (ohne grade_id)"
    test = next((t for t in plan.tests if t.hidden_index == index), None)
    return f"'{test.grade_id}' (verdeckter Teil)" if test else f"{index + 1}"


def _compute(course: Course, aid: str, notebook: Path, folder: Path, engine: Engine | None) -> None:
    source = markup.read_notebook(notebook)
    plan = assemble(source, source)
    result = run_cells(plan.cells, plan.inputs(), files=course.source(aid), limits=REFERENCE_LIMITS, engine=engine)
    try:
        problems = [f"Zelle {_cell_label(plan, i)}: {_WHAT_HAPPENED.get(run.status, run.status)} "
                    f"{run.ename}: {run.evalue}".strip().rstrip(":")
                    for i, run in enumerate(result.cells) if run.status != "ok"]
        keys = sorted({spec.key for test in plan.tests for spec in test.specs})
        for key in keys:
            error = result.captures / f"{key}.error"
            if error.is_file():
                problems.append(f"Prüfung {key}: {error.read_text(encoding='utf-8').strip()}")
        if problems:
            # one line for the author (the first problem causes the rest), with the command that shows all
            raise ReferenceError(f"{aid}/{notebook.name}: die Musterlösung läuft nicht fehlerfrei: {problems[0]}"
                                 + (f" (und {len(problems) - 1} Folgefehler)" if len(problems) > 1 else "")
                                 + f". Ausführen zum Nachsehen: jupyter lab source/{aid}/{notebook.name}")
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
        for key in keys:
            shutil.copytree(result.captures / key, staging / key)
        (staging / "index.json").write_text(json.dumps({"keys": keys, "wall_s": round(result.wall_s, 2)}))
        markup.write_notebook(plan.with_outputs(result), staging / EXECUTED)
        try:
            os.rename(staging, folder)  # atomic: a cache folder is complete or absent
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process won the race
    finally:
        result.cleanup()
