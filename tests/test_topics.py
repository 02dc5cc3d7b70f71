"""bank/topics.yaml, read in one place for the bank, graders validate and the reports."""

from __future__ import annotations

import pytest

from graders._topics import Topic, course_topics, read_topics
from graders.course import Course, CourseError

from .conftest import ROOT


def test_course_topics_in_order_with_german_titles():
    topics = course_topics(Course(ROOT))
    assert topics[0] == Topic("ml-grundlagen", "Grundlagen des maschinellen Lernens")
    assert len({t.key for t in topics}) == len(topics) >= 50


def test_missing_broken_or_repeated_topics(tmp_path):
    assert course_topics(Course(tmp_path)) == []  # a course without a bank
    path = tmp_path / "topics.yaml"
    with pytest.raises(CourseError, match="ist nicht lesbar"):
        read_topics(path)
    path.write_text("topics:\n  - {key: a}\n", encoding="utf-8")
    with pytest.raises(CourseError, match="ist nicht lesbar"):
        read_topics(path)
    path.write_text("topics:\n  - {key: a, title: A}\n  - {key: a, title: B}\n", encoding="utf-8")
    with pytest.raises(CourseError, match="Themenschlüssel doppelt"):
        read_topics(path)
