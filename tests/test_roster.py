"""Rosters as instructors bring them (graders collect, status, exam): our own CSV or Moodle's exports."""

from __future__ import annotations

import pytest

from graders._roster import Student, read_roster
from graders.course import CourseError


def test_roster_reads_moodle_participant_exports(tmp_path):
    moodle = tmp_path / "moodle.csv"
    moodle.write_text("\ufeffFirst name,Last name,ID number,Email address\nAnna,Alt,1001,anna@example.org\n"
                      "Ben,Bär,1002,ben@example.org\n", encoding="utf-8")
    assert read_roster(moodle) == [Student("1001", "Anna Alt"), Student("1002", "Ben Bär")]
    emails = tmp_path / "emails.csv"
    emails.write_text("Vorname;Nachname;E-Mail-Adresse\nAnna;Alt;anna@example.org\n", encoding="utf-8")
    assert read_roster(emails) == [Student("anna@example.org", "Anna Alt")]
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nAnna\n", encoding="utf-8")
    with pytest.raises(CourseError, match="Kennung"):
        read_roster(bad)
    dup = tmp_path / "dup.csv"
    dup.write_text("id\nx\nx\n", encoding="utf-8")
    with pytest.raises(CourseError, match="doppelt"):
        read_roster(dup)
