"""How often do the hidden tests reject wrong answers that someone else wrote?

The wrong answers live outside the repository (so that nobody tunes the tests to them), one YAML file
per assignment in the format of ``content/<aid>/wrong_answers.yaml`` without ``rejected_by``:
``name``, ``notebook``, ``cell`` (solution grade_id), ``code`` (the whole cell). Each is graded like a
submission (the whole notebook, every test); it is rejected when it scores less than the solution.

    python benchmarks/heldout_wrong_answers.py DIR [--workers 2]

One line per wrong answer that still gets full marks, then ``rejected=<n>/<total> (<percent>)``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import _markup as markup  # noqa: E402
from graders._runner import Engine  # noqa: E402
from graders.course import Course  # noqa: E402
from graders.grading import Settings, prepare, run_notebook, score_notebook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("source", "nbgrader_config.py", ".graders-cache"):
            src = ROOT / part
            if src.exists():
                (shutil.copytree if src.is_dir() else shutil.copyfile)(src, Path(tmp) / part)
        course = Course(Path(tmp))
        answers = []
        for path in sorted(args.folder.glob("*.yaml")):
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                answers.append((path.stem, entry))
        settings = Settings()
        with Engine(workers=args.workers) as engine:
            refs = {aid: prepare(course, aid, engine) for aid in sorted({aid for aid, _ in answers})}

            def grade(item):
                aid, entry = item
                source_path = course.source(aid) / entry["notebook"]
                nb = markup.with_cell_replaced(markup.read_notebook(source_path), entry["cell"], entry["code"])
                graded = score_notebook(run_notebook(course, aid, source_path, nb, settings, engine),
                                       refs[aid][entry["notebook"]], settings)
                return graded.score < graded.max_score

            with ThreadPoolExecutor(args.workers) as pool:
                verdicts = list(pool.map(grade, answers))
        by_kind: dict[str, list[bool]] = {}
        for (aid, entry), rejected in zip(answers, verdicts):
            by_kind.setdefault(str(entry.get("kind", "?")), []).append(rejected)
            if not rejected:
                print(f"full marks: {aid} {entry['name']} ({entry['cell']}): {entry.get('why_wrong', '')}")
        for kind, verdicts_of_kind in sorted(by_kind.items()):
            print(f"kind {kind}: rejected {sum(verdicts_of_kind)}/{len(verdicts_of_kind)}")
        total = len(verdicts)
        print(f"rejected={sum(verdicts)}/{total} ({sum(verdicts) / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
