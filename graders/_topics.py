"""The course's topics (bank/topics.yaml), its one reader: the bank, ``graders validate`` (topics of
graded cells) and the reports (order and German titles) all read them here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .course import Course, CourseError

# libyaml's loader is ten times faster; same result as yaml.safe_load
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Topic:
    key: str
    title: str  # German


def read_topics(path: Path) -> list[Topic]:
    """The topics in course order; a CourseError (German) for a missing or broken file or a repeated key."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)
        topics = [Topic(str(t["key"]), str(t["title"])) for t in data["topics"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise CourseError(f"{path} ist nicht lesbar: {exc}") from None
    keys = [t.key for t in topics]
    if len(set(keys)) != len(keys):
        raise CourseError(f"{path}: Themenschlüssel doppelt.")
    return topics


def course_topics(course: Course) -> list[Topic]:
    """The course's topics; none for a course without ``bank/topics.yaml``."""
    return read_topics(course.topics_file) if course.topics_file.is_file() else []
