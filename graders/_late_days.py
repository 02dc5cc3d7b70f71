"""The late-day budget over the course (``c.Deadlines.late_days = 5``): whole days that move a
student's due date, spent automatically in the order of the due dates (earliest first) where they
save points. A pure function of the submissions' lateness, so recomputing it (after a regrade, a new
submission, a changed deadline) never spends a day twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

DAY_S = 24 * 3600


@dataclass(frozen=True)
class Spend:
    days: int  # spent on this assignment
    left: int  # left of the budget after it


def spend(budget: int, lateness: list[tuple[str, float]], saves: Callable[[float, float], bool]) -> dict[str, Spend]:
    """``lateness``: (assignment, seconds late against the student's due date) in due-date order;
    ``saves(before, after)``: whether being ``after`` seconds late instead of ``before`` costs fewer
    points. A day is spent only where it does; what is missing for being on time still helps partly."""
    left, spent = budget, {}
    for aid, seconds in lateness:
        days = min(math.ceil(seconds / DAY_S), left) if seconds > 0 else 0
        if days and not saves(seconds, max(0.0, seconds - days * DAY_S)):
            days = 0
        left -= days
        spent[aid] = Spend(days, left)
    return spent
