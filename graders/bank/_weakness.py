"""Where a student lost points: per topic, lost / max points over all their grades.

A graded cell counts fully for each topic it names (a cell on two topics weakens both).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..grades import Grades, topic_points


@dataclass(frozen=True)
class TopicLoss:
    topic: str
    lost: float
    max_score: float

    @property
    def ratio(self) -> float:
        return self.lost / self.max_score if self.max_score else 0.0


def topic_losses(all_grades: list[Grades]) -> list[TopicLoss]:
    """Topics with lost points, weakest first (ratio, then lost points, then name)."""
    losses = [TopicLoss(topic, points.lost, points.max_score)
              for topic, points in topic_points(all_grades).items() if points.lost > 0]
    return sorted(losses, key=lambda x: (-x.ratio, -x.lost, x.topic))
