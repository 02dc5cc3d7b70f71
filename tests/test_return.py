"""graders return: Moodle's feedback zip and grading worksheet, re-read the way Moodle reads them;
nbgrader's feedback exchange with the real nbgrader commands; bad input refused with the course
directory untouched."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from graders import grades as records
from graders._intake.store import read_time
from graders.cli import main
from graders.collect import collect
from graders.course import Course, CourseError
from graders.feedback import feedback
from graders.grades import CellGrade, Grades, Lateness, NotebookGrade, Status
from graders.returns import WORKSHEET_NAME, ZIP_NAME, to_exchange, to_moodle

from .conftest import ROOT, SAMPLE_AID, SAMPLES, copy_course

AID, NB = SAMPLE_AID, "perzeptron.ipynb"
SHIPPED = Course(ROOT)
CELLS = {"test_gewichtete_summe": 2, "test_sprung": 1, "test_sigmoid": 2, "test_relu": 1, "test_vorhersage": 1,
         "test_perzeptron_schritt": 2, "test_training": 3, "test_frameworks": 2}
# student -> (cells failed, late penalty); s05-leer stays ungraded, s08-ohne-abgabe handed nothing in
GRADED = {"s01-korrekt": ((), 0), "s02-float32": ((), 0), "s03-knapp-daneben": (("test_sigmoid",), 0),
          "s04-teilweise-falsch": (("test_training", "test_relu"), 0),
          "s06-fehler": (("test_training", "test_frameworks", "test_perzeptron_schritt"), 0),
          "s07-warnungen": ((), 3)}
BIN = str(Path(sys.executable).parent)
DUE = datetime(2025, 11, 14, 22, 59, tzinfo=timezone.utc)  # nbgrader_config.py: 23:59 Europe/Berlin


def roster() -> dict[str, tuple[str, str]]:
    """The shipped roster, read independently of graders: participant id -> (student, full name)."""
    rows = csv.DictReader(io.StringIO(SHIPPED.sample_roster.read_text(encoding="utf-8")))
    return {r["Identifier"].split()[-1]: (r["ID number"], r["Full name"]) for r in rows}


def score(student: str) -> float:
    failed, penalty = GRADED[student]
    return sum(p for c, p in CELLS.items() if c not in failed) - penalty


def grade(course: Course, student: str, failed=(), penalty: float = 0) -> None:
    """A grades record as autograde writes it (through graders.grades), for the collected submission."""
    when = read_time(course.submitted(student, AID))
    cells = [CellGrade(gid, 0.0 if gid in failed else float(points), float(points),
                       Status.FAILED if gid in failed else Status.PASSED, ("perzeptron",),
                       "Ergebnis außerhalb der Toleranz" if gid in failed else "") for gid, points in CELLS.items()]
    notebook = replace(NotebookGrade.of(NB, cells, Status.GRADED), late_penalty=float(penalty) if penalty else None)
    raw = notebook.score
    record = Grades(AID, student, raw - penalty, notebook.max_score, Status.GRADED, (notebook,), {"device": "cpu"},
                    {"wall_s": 1.0}, Lateness(when.isoformat(), DUE.isoformat(), max(0.0, (when - DUE).total_seconds()),
                                              float(penalty), raw))
    records.write(course, record, {NB: (course.submitted(student, AID) / NB).read_text(encoding="utf-8")})


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Course:
    """The shipped Moodle zip collected with its roster, six submissions graded, their pages written,
    and one student's folder holding a personal drill and a hidden file besides the page."""
    course = copy_course(tmp_path_factory.mktemp("return") / "course",
                         parts=(f"source/{AID}", f"release/{AID}", "nbgrader_config.py", "bank/topics.yaml"))
    collect(course, AID, moodle=SHIPPED.sample_moodle_zip(AID), roster=SHIPPED.sample_roster)
    for student, (failed, penalty) in GRADED.items():
        grade(course, student, failed, penalty)
    feedback(course, AID)
    (course.feedback("s01-korrekt", AID) / "drill").mkdir()
    (course.feedback("s01-korrekt", AID) / "drill" / "perzeptron.apkg").write_bytes(b"deck")
    (course.feedback("s01-korrekt", AID) / ".DS_Store").write_bytes(b"\0")
    return course


@pytest.fixture
def course(graded_course, tmp_path) -> Course:
    """A fresh copy for each test: tests hash the tree and add students."""
    shutil.copytree(graded_course.root, tmp_path / "course", symlinks=True)
    return Course(tmp_path / "course")


def german_worksheet(path: Path) -> Path:
    """Moodle 4 in German: BOM, PHP's quoting (fields with a space or a comma), decimal comma, one
    participant the mapping does not know (never handed in, never collected)."""
    names = {p: name for p, (_, name) in roster().items()} | {"104599": "Zoe Extern"}
    lines = ['ID,"Vollständiger Name",E-Mail-Adresse,Status,Bewertung,Bestwertung,"Bewertung kann geändert werden",'
             '"Zuletzt geändert (Abgabe)","Zuletzt geändert (Bewertung)","Feedback als Kommentar"\n']
    for participant, name in sorted(names.items()):
        lines.append(f'Teilnehmer/in{participant},"{name}",x{participant}@example.org,"Zur Bewertung abgegeben",,'
                     f'"100,00",Ja,"Freitag, 14. November 2025, 10:12",-,\n')
    path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode("utf-8"))
    return path


def english_worksheet(path: Path) -> Path:
    """Moodle in English, CRLF, points out of 10: a grade locked in Moodle, a comment the instructor
    wrote, and an earlier comment of ours."""
    comments = {"104503": '"<p>Gut gemacht!</p>"', "104504": '"<p>Automatisch bewertet: 1 von 14 Punkten. alt</p>"'}
    lines = ['Identifier,"Full name","Email address",Status,Grade,"Maximum grade","Grade can be changed",'
             '"Last modified (submission)","Last modified (grade)","Feedback comments"\r\n']
    for participant, (_, name) in sorted(roster().items()):
        changeable = "No" if participant == "104502" else "Yes"
        lines.append(f'"Participant {participant}","{name}",x@example.org,"Submitted for grading",,10.00,{changeable},'
                     f'"Friday, 14 November 2025, 10:12 AM",-,{comments.get(participant, "")}\r\n')
    path.write_bytes("".join(lines).encode("utf-8"))
    return path


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_feedback_zip_is_matched_by_moodle_to_the_right_participants(course, tmp_path):
    result = to_moodle(course, AID, german_worksheet(tmp_path / "bewertung.csv"))
    data = (course.moodle_upload(AID) / ZIP_NAME).read_bytes()
    people = roster()
    received: dict[str, dict[str, bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert [i.filename for i in zf.infolist()] == sorted(i.filename for i in zf.infolist())
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for info in zf.infolist():
            # Moodle's importer: the first path part that splits at "_" into >= 4 pieces, the second
            # numeric and a participant, the third and fourth a plugin; the rest is the file's path
            folder, _, inside = info.filename.partition("/")
            pieces = folder.split("_", 4)
            assert len(pieces) == 5 and pieces[1].isdigit() and pieces[2:4] == ["assignsubmission", "file"]
            assert pieces[0] == people[pieces[1]][1] and pieces[4] == ""
            student = people[pieces[1]][0]
            received.setdefault(student, {})[inside] = zf.read(info)
    assert sorted(received) == sorted(GRADED) == result.students
    for student, files in received.items():
        folder = course.feedback(student, AID)
        expected = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                    if p.is_file() and not p.name.startswith(".")}
        assert files == expected and "perzeptron.html" in files
    assert received["s01-korrekt"]["drill/perzeptron.apkg"] == b"deck"


def test_german_worksheet_filled_and_nothing_else_changed(course, tmp_path):
    source = german_worksheet(tmp_path / "bewertung.csv")
    before = tree(course.root)
    result = to_moodle(course, AID, source)
    after = tree(course.root)
    written = {f"reports/{AID}/moodle/{ZIP_NAME}", f"reports/{AID}/moodle/{WORKSHEET_NAME}"}
    assert set(after) - set(before) == written and {k: after[k] for k in before} == before
    assert result.notes == []

    original, filled = source.read_bytes(), (course.moodle_upload(AID) / WORKSHEET_NAME).read_bytes()
    assert filled.startswith(b"\xef\xbb\xbf")
    old_lines, new_lines = original.decode("utf-8").splitlines(True), filled.decode("utf-8").splitlines(True)
    assert len(old_lines) == len(new_lines) and old_lines[0] == new_lines[0]
    people = roster()
    header, *body = rows(filled)
    column = {name: i for i, name in enumerate(header)}
    for old, new, fields, old_fields in zip(old_lines[1:], new_lines[1:], body, rows(original)[1:]):
        participant = fields[0].removeprefix("Teilnehmer/in")
        student = people.get(participant, ("", ""))[0]
        if student not in GRADED:  # ungraded, never handed in, or unknown to the mapping
            assert new == old
            continue
        assert fields[column["Bewertung"]] == f"{score(student) / 14 * 100:.2f}".replace(".", ",")
        comment = fields[column["Feedback als Kommentar"]]
        assert f"Automatisch bewertet: {score(student):g} von 14 Punkten" in comment and "perzeptron.html" in comment
        assert ("3 Punkten Abzug für verspätete Abgabe" in comment) == (student == "s07-warnungen")
        others = [i for i in range(len(header)) if header[i] not in ("Bewertung", "Feedback als Kommentar")]
        assert [fields[i] for i in others] == [old_fields[i] for i in others]
        # the fields before the grade keep their bytes (Moodle's quoting), the line its ending
        assert new.startswith(old.split(',,"100,00"')[0] + ',"') and new.endswith("\n")
    assert sum(new != old for old, new in zip(old_lines, new_lines)) == len(GRADED)


def test_english_worksheet_keeps_the_instructors_comment_and_a_locked_grade(course, tmp_path):
    source = english_worksheet(tmp_path / "grading.csv")
    result = to_moodle(course, AID, source, out=tmp_path / "upload")
    filled = (tmp_path / "upload" / WORKSHEET_NAME).read_bytes()
    assert b"\r\n" in filled and not filled.startswith(b"\xef\xbb\xbf")
    header, *body = rows(filled)
    by_participant = {r[0].split()[-1]: dict(zip(header, r)) for r in body}
    assert by_participant["104501"]["Grade"] == "10.00"
    assert by_participant["104503"]["Grade"] == f"{12 / 14 * 10:.2f}"
    assert by_participant["104503"]["Feedback comments"].startswith("<p>Gut gemacht!</p><p>Automatisch bewertet: 12 ")
    assert by_participant["104504"]["Feedback comments"].count("Automatisch bewertet") == 1
    assert "10 von 14 Punkten" in by_participant["104504"]["Feedback comments"]
    assert by_participant["104502"]["Grade"] == "" and by_participant["104502"]["Feedback comments"] == ""
    assert any("104502" in note and "gesperrt" in note for note in result.notes)
    assert by_participant["104505"]["Grade"] == ""  # s05-leer: not graded


def test_a_rerun_writes_the_same_bytes(course, tmp_path):
    source = german_worksheet(tmp_path / "bewertung.csv")
    to_moodle(course, AID, source)
    first = {name: (course.moodle_upload(AID) / name).read_bytes() for name in (ZIP_NAME, WORKSHEET_NAME)}
    to_moodle(course, AID, source, out=tmp_path / "zweiter-lauf")
    to_moodle(course, AID, source)
    assert {name: (tmp_path / "zweiter-lauf" / name).read_bytes() for name in first} == first
    assert {name: (course.moodle_upload(AID) / name).read_bytes() for name in first} == first


def test_a_graded_student_moodle_does_not_know_is_an_error_listing_them(course, tmp_path):
    uploads = tmp_path / "per-mail"
    (uploads / "zoe").mkdir(parents=True)
    (uploads / "zoe" / NB).write_bytes((SAMPLES / "s01-korrekt" / AID / NB).read_bytes())
    (uploads / "zoe" / "timestamp.txt").write_text("2025-11-14 10:00:00.000000 UTC")
    collect(course, AID, folder=uploads)
    grade(course, "zoe")
    feedback(course, AID, ["zoe"])
    before = tree(course.root)
    with pytest.raises(CourseError, match=r"keine Moodle-Teilnehmer-ID bekannt: zoe\. .*--from-moodle"):
        to_moodle(course, AID, german_worksheet(tmp_path / "bewertung.csv"))
    assert tree(course.root) == before


@pytest.mark.parametrize("content, missing", [
    ("student,01-perzeptron\ns01-korrekt,14\n", "Identifier, Grade, Maximum grade, Last modified (grade)"),
    ("Identifier,Full name,Grade,Scale,Grade can be changed,Last modified (grade)\n"
     "Participant 104501,Erika Mustermann,,,Yes,-\n", "Maximum grade"),
    ("", None),
])
def test_a_worksheet_that_is_not_moodles_is_refused(course, tmp_path, content, missing):
    path = tmp_path / "tabelle.csv"
    path.write_text(content, encoding="utf-8")
    before = tree(course.root)
    with pytest.raises(CourseError) as error:
        to_moodle(course, AID, path)
    if missing:
        assert "keine Bewertungstabelle aus Moodle" in str(error.value) and f"Es fehlt: {missing}" in str(error.value)
        assert "Identifier / ID; Grade / Bewertung; Maximum grade / Bestwertung" in str(error.value)
    else:
        assert "leer" in str(error.value)
    assert tree(course.root) == before


def test_missing_or_outdated_pages_and_stale_grades_are_refused(course, tmp_path):
    sheet = german_worksheet(tmp_path / "bewertung.csv")
    (course.feedback("s03-knapp-daneben", AID) / "perzeptron.html").unlink()
    page = course.feedback("s04-teilweise-falsch", AID) / "perzeptron.html"
    graded_at = records.path(course, AID, "s04-teilweise-falsch").stat().st_mtime
    os.utime(page, (graded_at - 60, graded_at - 60))
    (course.submitted("s06-fehler", AID) / "timestamp.txt").write_text("2025-11-14 23:00:00.000000 UTC")
    with pytest.raises(CourseError) as error:
        to_moodle(course, AID, sheet)
    message = str(error.value)
    assert "keine Rückmeldungsseiten – zuerst graders feedback 01-perzeptron: s03-knapp-daneben" in message
    assert "älter als die Bewertung – zuerst graders feedback 01-perzeptron: s04-teilweise-falsch" in message
    assert "seit der Bewertung neu abgegeben – zuerst graders autograde 01-perzeptron: s06-fehler" in message
    assert not course.moodle_upload(AID).exists()


def test_command_line(course, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRADERS_COURSE_ROOT", str(course.root))
    assert main(["return", AID, "--to-moodle"]) == 2
    assert "--to-moodle braucht --worksheet" in capsys.readouterr().err
    assert main(["return", AID, "--to-moodle", "--worksheet", str(german_worksheet(tmp_path / "b.csv"))]) == 0
    out = capsys.readouterr().out
    assert f"reports/{AID}/moodle/{ZIP_NAME}" in out and "Rückmeldung für 6 Studierende" in out
    assert main(["return", AID, "--to-exchange", "--exchange", str(tmp_path)]) == 2
    assert "c.CourseDirectory.course_id" in capsys.readouterr().err


def _with_course_id(course: Course, exchange: Path | None = None) -> None:
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write('\nc.CourseDirectory.course_id = "kurs"\n')
        if exchange is not None:  # and no due date: a submission made now is on time
            config.write(f"c.Exchange.root = {str(exchange)!r}\nc.Deadlines.duedates = {{}}\n")


def test_an_exchange_without_write_permission_is_a_clear_error(course, tmp_path):
    _with_course_id(course)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    with pytest.raises(CourseError, match="Exchange-Ordner .*fehlt-noch gibt es nicht"):
        to_exchange(course, AID, tmp_path / "fehlt-noch")
    before = tree(course.root)
    command = [sys.executable, "-m", "graders.cli", "return", AID, "--to-exchange", "--exchange", str(exchange)]
    env = {**os.environ, "GRADERS_COURSE_ROOT": str(course.root), "PYTHONPATH": str(ROOT)}
    if os.geteuid() == 0:  # root writes everywhere: only a read-only mount stops it
        if not shutil.which("bwrap"):
            pytest.skip("as root, a read-only exchange needs bwrap")
        command = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(exchange), str(exchange), *command]
    else:
        exchange.chmod(0o555)
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    exchange.chmod(0o755)
    assert run.returncode == 2, run.stderr
    assert f"Keine Schreibrechte im Exchange: {exchange}" in run.stderr and "Traceback" not in run.stderr
    assert not list(exchange.iterdir()) and tree(course.root) == before


def _nbgrader(args: list[str], cwd: Path, home: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(PATH=BIN + os.pathsep + env.get("PATH", ""), PYTHONPATH=str(ROOT))
    if home is not None:
        env["HOME"] = str(home)
    run = subprocess.run([os.path.join(BIN, "nbgrader"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


@pytest.mark.slow
def test_nbgrader_fetch_feedback_receives_the_page(tmp_path, engine):
    """The whole way with nbgrader's own commands: release, a student's submit, collect, autograde,
    feedback, return, and the student's fetch_feedback."""
    from graders.autograde import autograde

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course = copy_course(tmp_path / "course", parts=(f"source/{AID}", f"release/{AID}", "nbgrader_config.py",
                                                     "bank/topics.yaml"))
    _with_course_id(course, exchange)
    _nbgrader(["release_assignment", AID], cwd=course.root)
    home, work = tmp_path / "home", tmp_path / "home" / "arbeit"
    (work / AID).mkdir(parents=True)
    shutil.copyfile(SAMPLES / "s03-knapp-daneben" / AID / NB, work / AID / NB)
    _nbgrader(["submit", AID, "--course", "kurs", f"--Exchange.root={exchange}", "--student", "erika"], work, home)

    collect(course, AID, exchange=exchange / "kurs" / "inbound")
    assert (course.submitted("erika", AID) / "submission_secret.txt").is_file()
    graded, = autograde(course, AID, engine=engine)
    assert graded.score == 12
    page, = feedback(course, AID)
    result = to_exchange(course, AID)
    assert result.students == ["erika"] and len(result.written) == 1 and result.written[0].is_file()

    _nbgrader(["fetch_feedback", AID, "--course", "kurs", f"--Exchange.root={exchange}"], work, home)
    fetched, = (work / AID / "feedback").glob(f"*/{page.name}")
    assert fetched.read_bytes() == page.read_bytes() and "12 von 14" in fetched.read_text(encoding="utf-8")
    assert to_exchange(course, AID).written == result.written  # a rerun files the page under the same name
