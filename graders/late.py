"""Deadlines and late penalties, configured in ``nbgrader_config.py`` and computed by nbgrader's
own late-submission machinery (``AssignLatePenalties`` with its ``plugin_class``).

nbgrader 0.9.6 keeps an assignment's due date only in the gradebook (``nbgrader db assignment add
--duedate``); it has no config option for it. A due date in the config is versioned with the course,
so it lives there and is copied into the gradebook, where formgrader and ``nbgrader autograde`` see
it too::

    c.Deadlines.duedates = {"01-perzeptron": "2025-11-14 23:59:00 Europe/Berlin"}
    c.Deadlines.timezone = "Europe/Berlin"          # for due dates and zip times without a zone
    c.AssignLatePenalties.plugin_class = "graders.late.SubMarks"
    c.SubMarks.points_per_hour = 1.0

Without a due date in the config, the gradebook's (set by ``nbgrader db assignment add``) counts.
As in nbgrader, the plugin is asked once per notebook and its penalty is clipped to [0, score].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from types import SimpleNamespace

from dateutil import parser as dateparser
from dateutil.tz import gettz
from nbgrader.plugins import BasePlugin
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from traitlets import Dict, Float, Unicode
from traitlets.config import Config, Configurable

from . import _nbgrader
from .course import Course, CourseError
from .grades import Grades, Lateness


class Deadlines(Configurable):
    duedates = Dict(key_trait=Unicode(), value_trait=Unicode(),
                    help="Due date per assignment id, e.g. '2025-11-14 23:59:00 Europe/Berlin'.").tag(config=True)
    timezone = Unicode("Europe/Berlin", help="Zone of due dates and zip entry times that name none.").tag(config=True)


class SubMarks(BasePlugin):
    """The penalty of nbgrader's documentation example (docs: "Late submission plugin"), made
    configurable: ``points_per_hour`` for every started hour late."""

    points_per_hour = Float(1.0, help="Points deducted per started hour late.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        return self.points_per_hour * math.ceil(total_seconds_late / 3600)


def config(course: Course) -> Config:
    return _nbgrader.course_config(course.root) or Config()


def local_zone(cfg: Config) -> tzinfo:
    name = Deadlines(config=cfg).timezone
    zone = gettz(name)
    if zone is None:
        raise CourseError(f"c.Deadlines.timezone: unbekannte Zeitzone {name!r}.")
    return zone


def parse_time(text: str, zone: tzinfo) -> datetime:
    """``2025-11-14 23:59:00 Europe/Berlin`` (nbgrader's format), ISO 8601, or a local time."""
    parts = text.split()
    if len(parts) == 3 and (gettz(parts[2]) is not None or parts[2].lstrip("+-").isdigit()):
        return parse_utc(text).replace(tzinfo=timezone.utc)
    moment = dateparser.parse(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(timezone.utc)


def duedate(course: Course, aid: str, cfg: Config) -> datetime | None:
    """The configured due date (UTC), else the gradebook's, else None."""
    text = Deadlines(config=cfg).duedates.get(aid)
    if text:
        try:
            return parse_time(text, local_zone(cfg))
        except (ValueError, OverflowError) as exc:
            raise CourseError(f"c.Deadlines.duedates[{aid!r}] ist kein Zeitpunkt: {text!r} ({exc}).") from None
    return _nbgrader.gradebook_duedate(course.gradebook_url, aid) if course.gradebook_path.is_file() else None


@dataclass(frozen=True)
class Policy:
    """An assignment's due date and nbgrader's late-penalty plugin, as configured."""

    config: Config
    due: datetime | None

    def penalize(self, grades: Grades, submitted: datetime | None) -> Grades:
        """The grades with the ``submission`` record and each notebook's ``late_penalty``; ``score``
        becomes the score after the penalty. As in nbgrader, the plugin is asked once per notebook
        and its penalty is clipped to [0, notebook score]."""
        seconds = max(0.0, (submitted - self.due).total_seconds()) if submitted and self.due else 0.0
        assigner = AssignLatePenalties(config=self.config)
        assigner.init_plugin()
        notebooks = []
        for entry in grades.notebooks:
            penalty = None
            if seconds > 0:
                penalty = assigner.plugin_inst.late_submission_penalty(grades.student, entry.score, seconds)
            clipped = float(assigner._check_late_penalty(SimpleNamespace(score=entry.score), penalty)
                            if penalty is not None else 0.0)
            notebooks.append(replace(entry, late_penalty=clipped))
        raw = grades.submission.score_before_penalty if grades.submission else grades.score
        total = sum(e.late_penalty for e in notebooks)
        record = Lateness(submitted.isoformat() if submitted else None, self.due.isoformat() if self.due else None,
                          seconds, total, raw)
        return replace(grades, notebooks=tuple(notebooks), score=max(0.0, raw - total), submission=record)


def policy(course: Course, aid: str) -> Policy:
    cfg = config(course)
    return Policy(cfg, duedate(course, aid, cfg))


def describe_delay(seconds: float) -> str:
    """German: '2 Tage 3 Std. 5 Min.'"""
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = ([f"{days} Tag{'e' if days != 1 else ''}"] if days else []) + ([f"{hours} Std."] if hours else []) \
        + ([f"{minutes} Min."] if minutes or not (days or hours) else [])
    return " ".join(parts)
