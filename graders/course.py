"""The course layout (ARCHITECTURE.md): one class owns every path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"


class CourseError(Exception):
    """A problem with the course tree or the command line (message for the user, German)."""


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Course":
        """The course whose ``nbgrader_config.py`` is at or above ``start`` (or $GRADERS_COURSE_ROOT)."""
        explicit = os.environ.get("GRADERS_COURSE_ROOT")
        if explicit:
            return cls(Path(explicit).resolve())
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file() and (folder / "source").is_dir():
                return cls(folder)
        raise CourseError(f"Kein Kurs gefunden: weder {here} noch ein Ordner darüber enthält {CONFIG_NAME} und source/.")

    # instructor side
    def source(self, aid: str) -> Path:
        return self.root / "source" / aid

    def release(self, aid: str) -> Path:
        return self.root / "release" / aid

    def solutions(self, aid: str) -> Path:
        return self.root / "solutions" / aid

    def personal_release(self, aid: str, student: str) -> Path:
        """A student's own release of an assignment with variants (``graders release --roster``; not
        committed: it depends on the course secret)."""
        return self.root / "release-personal" / aid / student

    def kit_folder(self) -> Path:
        """The student kit's wheel, handed out beside the release notebooks (``graders kit``)."""
        return self.root / "release" / "_kit"

    def content(self, aid: str) -> Path:
        """The assignment's grading material that students never see (not copied into release/)."""
        return self.root / "content" / aid

    def wrong_answers(self, aid: str) -> Path:
        """Plausible wrong answers that the hidden tests must reject (``graders validate``)."""
        return self.content(aid) / "wrong_answers.yaml"

    def equivalent_mutants(self, aid: str) -> Path:
        """Surviving mutants that behave like the solution by construction, each with its reason."""
        return self.content(aid) / "equivalent_mutants.yaml"

    def mutation_record(self, aid: str) -> Path:
        """The last full mutation analysis (``graders mutate --record``); tests check it stays true."""
        return self.content(aid) / "mutation.yaml"

    # student side
    def submitted(self, student: str, aid: str) -> Path:
        return self.root / "submitted" / student / aid

    def collect_report(self, aid: str) -> Path:
        """One line per finding of ``graders collect`` (student, source, found, taken, reason)."""
        return self.root / "submitted" / f"{aid}-collect.csv"

    def participants(self, aid: str) -> Path:
        """Student id <-> Moodle participant id and full name, as ``graders collect`` met them
        (Moodle numbers participants per assignment); ``graders return --to-moodle`` reads it."""
        return self.root / "submitted" / f"{aid}-participants.csv"

    @property
    def roster_copy(self) -> Path:
        """The roster of the last ``graders collect``, ids made safe; ``graders status`` reads it."""
        return self.root / "submitted" / ".roster.csv"

    def earlier_submissions(self, student: str, aid: str) -> Path:
        """Submissions that a newer one replaced, one folder each (``graders collect``)."""
        return self.root / "submitted" / ".history" / student / aid

    def set_aside(self, student: str, aid: str) -> Path:
        """Uploaded files that ``graders collect`` did not take, kept for the instructor."""
        return self.root / "submitted" / ".set-aside" / student / aid

    @property
    def autograded_root(self) -> Path:
        """``autograded/``: one folder per student, and the grading history."""
        return self.root / "autograded"

    def autograded(self, student: str, aid: str) -> Path:
        return self.autograded_root / student / aid

    def history(self, aid: str) -> Path:
        """Every grading run of an assignment, one JSON line each (appended by autograde)."""
        return self.autograded_root / ".history" / f"{aid}.jsonl"

    def feedback(self, student: str, aid: str) -> Path:
        return self.root / "feedback" / student / aid

    def reports(self, aid: str) -> Path:
        return self.root / "reports" / aid

    def moodle_upload(self, aid: str) -> Path:
        """Default folder of ``graders return --to-moodle``: feedback zip and filled grading worksheet."""
        return self.reports(aid) / "moodle"

    @property
    def course_report(self) -> Path:
        """The report across all assignments (``graders report`` without an assignment)."""
        return self.root / "reports" / "course"

    def graded_students(self, aid: str) -> list[str]:
        """Students with a grades.json for ``aid``, sorted."""
        return sorted(p.parent.parent.name for p in self.autograded_root.glob(f"*/{aid}/grades.json"))

    # question bank and drills (docs/bank.md)
    @property
    def bank(self) -> Path:
        return self.root / "bank"

    @property
    def topics_file(self) -> Path:
        """The course's topics in order, for the bank, the assignments' cells and the reports."""
        return self.bank / "topics.yaml"

    @property
    def exports(self) -> Path:
        """Question-bank exports written by ``graders demo`` (not committed)."""
        return self.root / "exports"

    @property
    def drills_db(self) -> Path:
        """Drill reviews of all students (SQLite, not committed: drills/.gitignore)."""
        return self.root / "drills" / "drills.sqlite"

    def grades_files(self, student: str) -> list[Path]:
        """Every ``grades.json`` of one student, all assignments, sorted by assignment."""
        return sorted((self.autograded_root / student).glob("*/grades.json"))

    @property
    def gradebook_path(self) -> Path:
        """nbgrader's gradebook (SQLite, not committed)."""
        return self.root / "gradebook.db"

    @property
    def gradebook_url(self) -> str:
        return f"sqlite:///{self.gradebook_path}"

    # demo data (examples/): the sample submissions, and the same as Moodle hands them out
    @property
    def sample_submissions(self) -> Path:
        """``<student>/<aid>/<notebook>``, made by examples/make_submissions.py."""
        return self.root / "examples" / "submissions"

    def sample_moodle_zip(self, aid: str) -> Path:
        """The sample submissions as Moodle's "download all submissions" (examples/make_moodle_zip.py)."""
        return self.root / "examples" / "moodle" / f"{aid}.zip"

    @property
    def sample_roster(self) -> Path:
        """The sample participants as Moodle's grading worksheet, for the zips above."""
        return self.root / "examples" / "moodle" / "roster.csv"

    @property
    def cache(self) -> Path:
        return self.root / ".graders-cache"

    def assignments(self) -> list[str]:
        base = self.root / "source"
        return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")) if base.is_dir() else []

    def check_assignment(self, aid: str) -> str:
        if aid not in self.assignments():
            known = ", ".join(self.assignments()) or "keine"
            raise CourseError(f"Unbekannte Aufgabe {aid!r}. Vorhanden: {known}.")
        return aid

    def notebooks(self, aid: str) -> list[Path]:
        """The assignment's notebooks in source/, sorted by name."""
        return sorted(p for p in self.source(aid).glob("*.ipynb") if not p.name.startswith("."))

    def students(self, aid: str) -> list[str]:
        base = self.root / "submitted"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir()
                      if not p.name.startswith(".") and (p / aid).is_dir())
