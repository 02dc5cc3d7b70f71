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

Per student, an extension (``_extensions``) replaces the due date, and an optional late-day budget
(``c.Deadlines.late_days``, ``_late_days``) moves it by whole days before any penalty. Both are
recomputed from the config and the collected submissions whenever a penalty is computed: changing
them regrades nothing (``graders deadlines`` rewrites the penalties).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone, tzinfo
from types import SimpleNamespace

from dateutil import parser as dateparser
from dateutil.tz import gettz
from nbgrader.plugins import BasePlugin
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from traitlets import Dict, Float, Int, Unicode
from traitlets.config import Config, Configurable

from . import _extensions, _late_days, _nbgrader
from ._extensions import Extension
from ._late_days import Spend
from .course import Course, CourseError
from .grades import Grades, Lateness


class Deadlines(Configurable):
    duedates = Dict(key_trait=Unicode(), value_trait=Unicode(),
                    help="Due date per assignment id, e.g. '2025-11-14 23:59:00 Europe/Berlin'.").tag(config=True)
    timezone = Unicode("Europe/Berlin", help="Zone of due dates and zip entry times that name none.").tag(config=True)
    extensions = Dict(help="Per assignment id, per student id: {'bis': due date, 'grund': reason (instructor only)}."
                      ).tag(config=True)
    extensions_file = Unicode("", help="CSV beside the config with columns student, assignment, due, reason."
                              ).tag(config=True)
    late_days = Int(None, allow_none=True, help="Late days per student over the course (whole days; None: no budget)."
                    ).tag(config=True)


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


def seconds_late(submitted: datetime | None, due: datetime | None) -> float:
    return max(0.0, (submitted - due).total_seconds()) if submitted and due else 0.0


@dataclass(frozen=True)
class Schedule:
    """The course's deadlines: every assignment's due date, the extensions, the late-day budget."""

    course: Course
    config: Config
    dues: dict[str, datetime]  # assignments with a due date (UTC)
    extensions: dict[tuple[str, str], Extension]
    budget: int | None

    def extension(self, aid: str, student: str) -> Extension | None:
        return self.extensions.get((aid, student))

    def due(self, aid: str, student: str) -> datetime | None:
        """The student's due date before late days: the extension's, else the assignment's."""
        extension = self.extension(aid, student)
        return extension.due if extension else self.dues.get(aid)

    def late_days(self, student: str) -> dict[str, Spend]:
        """Late days spent per assignment with a due date ({} without a budget), from the collected
        submissions' times, earliest due date first."""
        from ._intake.store import read_time

        if self.budget is None:
            return {}
        lateness = []
        for aid in sorted(self.dues, key=lambda a: (self.due(a, student), a)):
            folder = self.course.submitted(student, aid)
            lateness.append((aid, seconds_late(read_time(folder) if folder.is_dir() else None, self.due(aid, student))))
        return _late_days.spend(self.budget, lateness, self._saves)

    def effective_due(self, aid: str, student: str) -> tuple[datetime | None, Spend | None]:
        """The due date that counts (extension and late days included) and the late days spent on it."""
        due, spent = self.due(aid, student), self.late_days(student).get(aid)
        return (due + timedelta(days=spent.days) if due and spent else due), spent

    def _saves(self, before: float, after: float) -> bool:
        # a score far above any cell's: a plugin that takes a share of the score still tells apart
        assigner = AssignLatePenalties(config=self.config)
        assigner.init_plugin()

        def cost(seconds: float) -> float:
            return (assigner.plugin_inst.late_submission_penalty("", 1e9, seconds) or 0.0) if seconds > 0 else 0.0

        return cost(after) < cost(before)


def schedule(course: Course, cfg: Config | None = None) -> Schedule:
    """The configured deadlines, checked (a CourseError naming the place for bad entries)."""
    from ._intake import roster as rosters

    cfg = cfg if cfg is not None else config(course)
    settings = Deadlines(config=cfg)
    if settings.late_days is not None and settings.late_days < 0:
        raise CourseError(f"c.Deadlines.late_days: {settings.late_days} ist negativ; erwartet eine Zahl von Tagen ab 0.")
    dues = {aid: due for aid in course.assignments() if (due := duedate(course, aid, cfg)) is not None}
    extensions = {}
    if settings.extensions or settings.extensions_file:
        students = set()
        if course.roster_copy.is_file():  # without a roster every id counts: extensions may come before collect
            students = {p.student for p in rosters.read(course.roster_copy)} | {
                s for aid in course.assignments() for s in course.students(aid)}
        extensions = _extensions.read(course, settings.extensions, settings.extensions_file, local_zone(cfg),
                                      parse_time, dues, students)
    return Schedule(course, cfg, dues, extensions, settings.late_days)


@dataclass(frozen=True)
class Policy:
    """An assignment's deadlines and nbgrader's late-penalty plugin, as configured."""

    schedule: Schedule
    aid: str

    @property
    def config(self) -> Config:
        return self.schedule.config

    @property
    def due(self) -> datetime | None:
        return self.schedule.dues.get(self.aid)

    def penalize(self, grades: Grades, submitted: datetime | None) -> Grades:
        """The grades with the ``submission`` record and each notebook's ``late_penalty``; ``score``
        becomes the score after the penalty. As in nbgrader, the plugin is asked once per notebook
        and its penalty is clipped to [0, notebook score]. Applied again, it recomputes from
        ``score_before_penalty``."""
        due, spent = self.schedule.effective_due(self.aid, grades.student)
        seconds = seconds_late(submitted, due)
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
        regular = self.due if due != self.due else None
        record = Lateness(submitted.isoformat() if submitted else None, due.isoformat() if due else None,
                          seconds, total, raw, regular_duedate=regular.isoformat() if regular else None,
                          extension=self.schedule.extension(self.aid, grades.student) is not None,
                          late_days=spent.days if spent else None, late_days_left=spent.left if spent else None,
                          late_days_budget=self.schedule.budget if spent else None)
        return replace(grades, notebooks=tuple(notebooks), score=max(0.0, raw - total), submission=record)


def policy(course: Course, aid: str) -> Policy:
    return Policy(schedule(course), aid)


def describe_delay(seconds: float) -> str:
    """German: '2 Tage 3 Std. 5 Min.'"""
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = ([f"{days} Tag{'e' if days != 1 else ''}"] if days else []) + ([f"{hours} Std."] if hours else []) \
        + ([f"{minutes} Min."] if minutes or not (days or hours) else [])
    return " ".join(parts)


def allowance(record: Lateness, zone: tzinfo) -> str:
    """German, for the student: the individual due date and the late days spent and left ("" if
    neither applies). Never the reason of an extension: the record does not hold it."""
    parts = []
    if record.extension and record.duedate:
        extended = datetime.fromisoformat(record.duedate) - timedelta(days=record.late_days or 0)
        parts.append(f"Für dich gilt eine verlängerte Frist bis {extended.astimezone(zone):%d.%m.%Y %H:%M} Uhr.")
    if record.late_days is not None:
        used = (f"Für diese Abgabe hast du {record.late_days} Verspätungstag{'e' if record.late_days != 1 else ''} "
                "eingesetzt" if record.late_days else "Für diese Abgabe hast du keinen Verspätungstag eingesetzt")
        parts.append(f"{used}; danach bleiben dir {record.late_days_left} von {record.late_days_budget}.")
    return " ".join(parts)
