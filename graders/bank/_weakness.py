"""Where a student lost points: per topic, lost / max points over all their grades.json files.

A graded cell counts fully for each topic it names (a cell on two topics weakens both).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TopicLoss:
    topic: str
    lost: float
    max_score: float

    @property
    def ratio(self) -> float:
        return self.lost / self.max_score if self.max_score else 0.0


def topic_losses(grade_files: list[Path]) -> list[TopicLoss]:
    """Topics with lost points, weakest first (ratio, then lost points, then name)."""
    lost: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    for path in grade_files:
        try:
            grades = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # an unreadable file says nothing about the student
        for notebook in grades.get("notebooks", []):
            for cell in notebook.get("cells", []):
                max_score = float(cell.get("max_score", 0) or 0)
                missing = max(0.0, max_score - float(cell.get("score", 0) or 0))
                for topic in cell.get("topics", []):
                    total[topic] += max_score
                    lost[topic] += missing
    losses = [TopicLoss(t, lost[t], total[t]) for t in total if lost[t] > 0]
    return sorted(losses, key=lambda x: (-x.ratio, -x.lost, x.topic))
