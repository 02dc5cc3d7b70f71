"""graders collect / status: a hostile Moodle zip of 30 participants, re-submissions, folders,
nbgrader's exchange; nothing written outside submitted/, nothing a student handed in lost."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import struct
import tempfile
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from graders.collect import collect
from graders.course import Course, CourseError
from graders.status import status

from .conftest import ROOT, SAMPLES, SAMPLE_AID, copy_course

AID, NB = SAMPLE_AID, "perzeptron.ipynb"
MARK = f"pwned-{uuid.uuid4().hex[:8]}"   # every escaping entry carries it: searched for on the machine
T0 = datetime(2025, 11, 14, 12, 0, tzinfo=timezone.utc)
NOTEBOOKS = {s.name: (s / AID / NB).read_bytes() for s in sorted(SAMPLES.iterdir())}
GOOD = NOTEBOOKS["s01-korrekt"]
OTHER = NOTEBOOKS["s03-knapp-daneben"]
WRONG_ASSIGNMENT = (ROOT / "release" / "00-numpy-tensoren" / "numpy_tensoren.ipynb").read_bytes()


def folder(n: int) -> str:
    names = {18: "Jürgen Müller", 21: "Joerg Aerger", 22: "Uenal Oeztuerk"}  # 21, 22: ASCII, so no UTF-8 flag
    return f"{names.get(n, f'Teilnehmer {n}')}_{1000 + n}_assignsubmission_file_/"


def info(name: str, minutes: int = 0, mode: int = 0o100644) -> zipfile.ZipInfo:
    moment = T0 + timedelta(minutes=minutes)
    entry = zipfile.ZipInfo(name, moment.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3
    entry.external_attr = mode << 16
    entry.extra = struct.pack("<HHBi", 0x5455, 5, 1, int(moment.timestamp()))  # UTC mtime, as Info-ZIP writes
    return entry


def inner_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def hostile_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, student in enumerate(sorted(NOTEBOOKS), start=1):  # 1-7: the sample students
            zf.writestr(info(folder(n) + NB, n), NOTEBOOKS[student])
        for n in (8, 9, 10):
            zf.writestr(info(folder(n) + NB, n), GOOD)
        zf.writestr(info(folder(11) + f"../../{MARK}.ipynb"), GOOD)
        zf.writestr(info(folder(11) + NB), GOOD)
        zf.writestr(info(folder(12) + "abgabe.zip"), inner_zip({f"/tmp/{MARK}.ipynb": GOOD,
                                                                f"../{MARK}.ipynb": GOOD, NB: OTHER}))
        zf.writestr(info(folder(13) + NB, mode=0o120777), "/etc/passwd")
        zf.writestr(info(folder(14) + "abgabe.zip"), inner_zip({f"abgabe/{NB}": GOOD}))
        zf.writestr(info(folder(15) + "abgabe.zip"), inner_zip({"innen.zip": inner_zip({NB: GOOD})}))
        zf.writestr(info(folder(16) + NB), b" " * (20 << 20))          # 20 MiB of blanks: ratio > 1000
        zf.writestr(info(folder(17) + "loesung.py"), "def f(): pass\n")
        zf.writestr(info(folder(17) + "bild.png"), b"\x89PNG\r\n\x1a\n")
        zf.writestr(info(folder(18) + "Übung1_final.ipynb"), GOOD)
        zf.writestr(info(folder(19) + "kopie1.ipynb", 1), GOOD)
        zf.writestr(info(folder(19) + "kopie2.ipynb", 2), OTHER)
        zf.writestr(info(folder(20) + NB, 1), GOOD)
        zf.writestr(info(folder(20) + "perzeptron_v2.ipynb", 2), OTHER)
        zf.writestr(info(folder(21) + "XXbung.ipynb"), GOOD)             # patched below: CP437, no UTF-8 flag
        zf.writestr(info(folder(22) + "LYYsung.ipynb"), OTHER)           # patched below: UTF-8, no flag
        zf.writestr(info(folder(23)), b"")                               # a folder with nothing in it
        zf.writestr(info(folder(24) + NB), b"")
        zf.writestr(info(folder(25) + "abgabe.zip"), inner_zip({NB: GOOD})[:-40])
        zf.writestr(info(folder(26) + NB), b"Das ist kein Notebook")
        zf.writestr(info(folder(27) + "numpy_tensoren.ipynb"), WRONG_ASSIGNMENT)
        zf.writestr(info(folder(28).replace("_file_", "_onlinetext_") + "onlinetext.html"), b"<p>Hallo</p>")
        zf.writestr(info(folder(28) + NB), GOOD)
        zf.writestr(info(folder(29) + NB), OTHER)                        # not on the roster
        zf.writestr(info(folder(30) + f"__MACOSX/._{NB}"), b"\x00\x05\x16\x07")
        zf.writestr(info(folder(30) + NB), GOOD)
        zf.writestr(info(f"/tmp/{MARK}.txt"), b"absolut")
        zf.writestr(info("liesmich.txt"), b"lose Datei")
    data = out.getvalue()
    # names as Windows tools write them: CP437 bytes (Ü = 0x9a) and UTF-8 bytes, both without the flag
    data = data.replace(b"XXbung.ipynb", b"\x9a-bung.ipynb").replace(b"LYYsung.ipynb", "Lösung.ipynb".encode())
    return data


def roster_csv(path: Path) -> Path:
    rows = ["Identifier,Full name,ID number"] + [f"Participant {1000 + n},Teilnehmer {n},s{n:02d}"
                                                 for n in range(1, 31) if n not in (18, 21, 22, 29)]
    rows += ["Participant 1018,Jürgen Müller,s18"]
    rows += ["Participant 1021,Joerg Aerger,s21", ",uenal  OEZTUERK,s22"]   # s22 matched by name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# student, found, taken, a word of the reason — the report, line by line
EXPECTED_REPORT = [
    ("", f"/tmp/{MARK}.txt", "", "absoluter Pfad"),
    ("", "liesmich.txt", "", "keinem Teilnehmer-Ordner"),
    ("1029", "", "", "nicht in der Teilnehmerliste"),
    ("1029", NB, NB, "übernommen"),
    ("1029", "1 Notebook(s)", "submitted/1029/01-perzeptron/", "neu gesammelt"),
    *[line for n in range(1, 11) for line in ((f"s{n:02d}", NB, NB, "übernommen"),
                                               (f"s{n:02d}", "1 Notebook(s)", f"submitted/s{n:02d}/01-perzeptron/",
                                                "neu gesammelt"))],
    ("s11", f"../../{MARK}.ipynb", "", "'..'"),
    ("s11", NB, NB, "übernommen"),
    ("s11", "1 Notebook(s)", "submitted/s11/01-perzeptron/", "neu gesammelt"),
    ("s12", f"abgabe.zip//tmp/{MARK}.ipynb", "", "absoluter Pfad"),
    ("s12", f"abgabe.zip/../{MARK}.ipynb", "", "'..'"),
    ("s12", f"abgabe.zip/{NB}", NB, "aus hochgeladener ZIP entpackt"),
    ("s12", "1 Notebook(s)", "submitted/s12/01-perzeptron/", "neu gesammelt"),
    ("s13", NB, "", "symbolischer Link"),
    ("s13", "", "", f"{NB} fehlt"),
    ("s13", "", "", "keine Abgabe gespeichert"),
    ("s14", f"abgabe.zip/abgabe/{NB}", NB, "aus hochgeladener ZIP entpackt"),
    ("s14", "1 Notebook(s)", "submitted/s14/01-perzeptron/", "neu gesammelt"),
    ("s15", "abgabe.zip/innen.zip", "", "zu tief verschachtelt"),
    ("s15", "", "", f"{NB} fehlt"),
    ("s15", "", "", "keine Abgabe gespeichert"),
    ("s16", NB, "", "ZIP-Bombe"),
    ("s16", "", "", f"{NB} fehlt"),
    ("s16", "", "", "keine Abgabe gespeichert"),
    ("s17", "loesung.py", "", "kein Notebook"),
    ("s17", "bild.png", "", "kein Notebook"),
    ("s17", "", "", f"{NB} fehlt"),
    ("s17", "", "", "keine Abgabe gespeichert"),
    ("s18", "Übung1_final.ipynb", NB, "unter falschem Namen"),
    ("s18", "1 Notebook(s)", "submitted/s18/01-perzeptron/", "neu gesammelt"),
    ("s19", "kopie2.ipynb", NB, "die neueste passende genommen"),
    ("s19", "kopie1.ipynb", "", "genommen wurde kopie2.ipynb"),
    ("s19", "1 Notebook(s)", "submitted/s19/01-perzeptron/", "neu gesammelt"),
    ("s20", NB, NB, "übernommen"),
    ("s20", "perzeptron_v2.ipynb", "", f"genommen wurde {NB}"),
    ("s20", "1 Notebook(s)", "submitted/s20/01-perzeptron/", "neu gesammelt"),
    ("s21", "\u00dc-bung.ipynb", NB, "als CP437 gelesen"),
    ("s21", "1 Notebook(s)", "submitted/s21/01-perzeptron/", "neu gesammelt"),
    ("s22", "Lösung.ipynb", NB, "als UTF-8 gelesen"),
    ("s22", "1 Notebook(s)", "submitted/s22/01-perzeptron/", "neu gesammelt"),
    ("s23", "", "", "leere Abgabe"),
    ("s24", NB, "", "leere Datei"),
    ("s24", "", "", f"{NB} fehlt"),
    ("s24", "", "", "keine Abgabe gespeichert"),
    ("s25", "abgabe.zip", "", "keine lesbare ZIP-Datei"),
    ("s25", "", "", f"{NB} fehlt"),
    ("s25", "", "", "keine Abgabe gespeichert"),
    ("s26", NB, NB, "kein gültiges Notebook"),
    ("s26", "1 Notebook(s)", "submitted/s26/01-perzeptron/", "neu gesammelt"),
    ("s27", "numpy_tensoren.ipynb", "", "falsche Aufgabe"),
    ("s27", "", "", f"{NB} fehlt"),
    ("s27", "", "", "keine Abgabe gespeichert"),
    ("s28", "onlinetext.html", "", "onlinetext"),
    ("s28", NB, NB, "übernommen"),
    ("s28", "1 Notebook(s)", "submitted/s28/01-perzeptron/", "neu gesammelt"),
    ("s30", f"__MACOSX/._{NB}", "", "Systemdatei"),
    ("s30", NB, NB, "übernommen"),
    ("s30", "1 Notebook(s)", "submitted/s30/01-perzeptron/", "neu gesammelt"),
]
TAKEN = {**{f"s{n:02d}": NOTEBOOKS[s] for n, s in enumerate(sorted(NOTEBOOKS), start=1)},
         **{s: GOOD for s in ("s08", "s09", "s10", "s11", "s14", "s18", "s21", "s28", "s30")},
         **{s: OTHER for s in ("s12", "s19", "1029", "s22")}, "s20": GOOD, "s26": b"Das ist kein Notebook"}


@pytest.fixture
def small_course(tmp_path):
    return copy_course(tmp_path / "course", parts=(f"source/{AID}", f"release/{AID}", "nbgrader_config.py"))


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            stat = (Path(base) / name).lstat()
            found[str(Path(base) / name)] = (stat.st_size, stat.st_mtime_ns)
    return found


def submitted_files(course) -> dict[str, bytes]:
    base = course.root / "submitted"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def test_hostile_moodle_zip_of_30_participants(small_course, tmp_path):
    archive = tmp_path / "alle-abgaben.zip"
    archive.write_bytes(hostile_zip())
    roster = roster_csv(tmp_path / "teilnehmer.csv")
    assert len({n.split("/")[0] for n in zipfile.ZipFile(archive).namelist() if "assignsubmission" in n}) == 31
    before_root = snapshot(tmp_path)

    result = collect(small_course, AID, moodle=archive, roster=roster)

    lines = list(csv.reader(io.StringIO(small_course.collect_report(AID).read_text(encoding="utf-8"))))
    assert lines[0] == ["student", "source", "found", "taken", "reason"]
    assert len(lines) - 1 == len(EXPECTED_REPORT)
    for got, (student, found, taken, word) in zip(lines[1:], EXPECTED_REPORT):
        assert (got[0], got[2], got[3]) == (student, found, taken), got
        assert word in got[4], got
    notebooks = {k: v for k, v in submitted_files(small_course).items() if k.endswith(f"/{AID}/{NB}")
                 and not k.startswith(".")}
    assert notebooks == {f"{s}/{AID}/{NB}": data for s, data in TAKEN.items()}
    assert result.students == sorted(TAKEN)
    assert (small_course.submitted("s11", AID) / "timestamp.txt").read_text() == "2025-11-14 12:00:00.000000 UTC"
    # who is who in Moodle, for graders return: matched by participant id, by name, or not on the roster
    mapping = list(csv.reader(io.StringIO(small_course.participants(AID).read_text(encoding="utf-8"))))
    assert mapping[0] == ["student", "participant", "name"]
    assert {"s18": ["1018", "Jürgen Müller"], "s22": ["1022", "Uenal Oeztuerk"], "1029": ["1029", "Teilnehmer 29"],
            "s23": ["1023", "Teilnehmer 23"]}.items() <= {r[0]: r[1:] for r in mapping[1:]}.items()
    assert len(mapping) - 1 == 30  # one line per participant
    assert sorted(p.name.split("-", 1)[1] for p in (small_course.root / "submitted/.set-aside").rglob("*")
                  if p.is_file()) == ["bild.png", "kopie1.ipynb", "loesung.py", "numpy_tensoren.ipynb",
                                      "perzeptron_v2.ipynb"]
    # nothing appeared anywhere but submitted/; nothing carrying the mark where an escaping name could
    # land: above the course (relative names) or at the root and in the temp dir (absolute names). Not a
    # walk of the whole temp dir: on a shared machine that holds a million files.
    new = set(snapshot(tmp_path)) - set(before_root)
    assert new and all(Path(p).is_relative_to(small_course.root / "submitted") for p in new)
    for place in (*tmp_path.parents, Path(tempfile.gettempdir())):
        assert not list(place.glob(f"{MARK}*")), place

    # twice on the same zip: the submissions, history and set-aside files do not change
    files = submitted_files(small_course)
    again = collect(small_course, AID, moodle=archive, roster=roster)
    assert {k: v for k, v in submitted_files(small_course).items() if not k.endswith("-collect.csv")} == \
        {k: v for k, v in files.items() if not k.endswith("-collect.csv")}
    assert all("unverändert" in line[4] for line in again.lines if line[3].startswith("submitted/"))


def test_latest_submission_wins_and_history_keeps_the_others(small_course, tmp_path):
    def moodle(name: str, minutes: int, data: bytes) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(info(folder(1) + NB, minutes), data)
        return path

    first, second = moodle("a.zip", 0, GOOD), moodle("b.zip", 60, OTHER)
    collect(small_course, AID, moodle=first)
    collect(small_course, AID, moodle=second)
    current = small_course.submitted("1001", AID)
    assert (current / NB).read_bytes() == OTHER
    history = small_course.earlier_submissions("1001", AID)
    kept, = history.iterdir()
    assert kept.name.startswith("20251114T120000Z-") and (kept / NB).read_bytes() == GOOD
    again = collect(small_course, AID, moodle=first)  # the older upload once more: it does not win
    assert (current / NB).read_bytes() == OTHER and len(list(history.iterdir())) == 1
    assert "älter als die vorhandene Abgabe" in again.lines[-1][4]


def test_truncated_or_missing_zip_is_a_clear_error_and_writes_nothing(small_course, tmp_path):
    broken = tmp_path / "abgeschnitten.zip"
    broken.write_bytes(hostile_zip()[: 50_000])
    with pytest.raises(CourseError, match="keine lesbare ZIP-Datei"):
        collect(small_course, AID, moodle=broken)
    with pytest.raises(CourseError, match="nicht gefunden"):
        collect(small_course, AID, moodle=tmp_path / "fehlt.zip")
    assert not (small_course.root / "submitted").exists()


def test_from_dir_one_folder_or_file_per_student_without_following_symlinks(small_course, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "anna" / "unterordner").mkdir(parents=True)
    (uploads / "anna" / "unterordner" / NB).write_bytes(GOOD)
    (uploads / "ben.ipynb").write_bytes(OTHER)
    secret = tmp_path / "geheim.ipynb"
    secret.write_bytes(GOOD)
    (uploads / "carl").mkdir()
    (uploads / "carl" / NB).symlink_to(secret)
    (uploads / "dora").symlink_to(tmp_path)
    result = collect(small_course, AID, folder=uploads)
    assert result.students == ["anna", "ben"]
    assert (small_course.submitted("ben", AID) / NB).read_bytes() == OTHER
    assert [line[4] for line in result.lines if line[0] in ("carl", "dora")][:1] == \
        ["symbolischer Link oder keine normale Datei – abgelehnt"]
    assert any(line[0] == "dora" and "symbolischer Link" in line[4] for line in result.lines)


def test_from_exchange_takes_the_latest_record_and_its_timestamp(small_course, tmp_path):
    inbound = tmp_path / "exchange" / "kurs" / "inbound"
    for stamp, data in (("2025-11-14 10:00:00.000000 UTC", GOOD), ("2025-11-14 11:30:00.000000 UTC", OTHER)):
        record = inbound / f"erika+{AID}+{stamp}+{uuid.uuid4().hex[:6]}"
        record.mkdir(parents=True)
        (record / NB).write_bytes(data)
        (record / "timestamp.txt").write_text(stamp)
        (record / "submission_secret.txt").write_text(hashlib.sha256(data).hexdigest())  # as nbgrader submit
    (inbound / f"erika+00-numpy-tensoren+2025-11-14 10:00:00.000000 UTC").mkdir()
    result = collect(small_course, AID, exchange=inbound)
    assert result.students == ["erika"]
    folder_ = small_course.submitted("erika", AID)
    assert (folder_ / NB).read_bytes() == OTHER
    assert (folder_ / "timestamp.txt").read_text() == "2025-11-14 11:30:00.000000 UTC"
    old, = small_course.earlier_submissions("erika", AID).iterdir()
    assert (old / NB).read_bytes() == GOOD
    # the secret that nbgrader's fetch_feedback looks the feedback up by (graders return --to-exchange)
    assert (folder_ / "submission_secret.txt").read_text() == hashlib.sha256(OTHER).hexdigest()
    assert (old / "submission_secret.txt").read_text() == hashlib.sha256(GOOD).hexdigest()
    assert not small_course.participants(AID).exists()  # nobody from Moodle


def test_moodle_41_folders_without_trailing_underscore(small_course, tmp_path):
    """Moodle 4.1 and later name a participant's folder "<name>_<id>_assignsubmission_file"."""
    archive = tmp_path / "moodle41.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(info(f"Erika Mustermann_104501_assignsubmission_file/{NB}"), GOOD)
        zf.writestr(info("Max Muster_104502_assignsubmission_onlinetext/onlinetext.html"), b"<p>Hallo</p>")
    result = collect(small_course, AID, moodle=archive)
    assert result.students == ["104501"]
    assert (small_course.submitted("104501", AID) / NB).read_bytes() == GOOD
    assert any(line[0] == "104502" and "onlinetext" in line[4] for line in result.lines)
    assert small_course.participants(AID).read_text(encoding="utf-8") == \
        "student,participant,name\n104501,104501,Erika Mustermann\n104502,104502,Max Muster\n"


@pytest.mark.slow
def test_late_submission_penalty_in_grades_feedback_gradebook_and_status(course, graded, engine, tmp_path):
    import jsonschema
    from importlib import resources

    from graders import _nbgrader
    from graders.autograde import autograde
    from graders.feedback import feedback

    uploads = tmp_path / "spaet"
    (uploads / "z-spaet").mkdir(parents=True)
    (uploads / "z-spaet" / NB).write_bytes(GOOD)
    # due 2025-11-14 23:59 Europe/Berlin (22:59 UTC, nbgrader_config.py); 2 h 1 min late: 3 points (SubMarks)
    (uploads / "z-spaet" / "timestamp.txt").write_text("2025-11-15 01:00:00.000000 UTC")
    collect(course, AID, folder=uploads)
    grades, = [g.to_json() for g in autograde(course, AID, students=["z-spaet"], engine=engine)]
    jsonschema.validate(grades, json.loads(resources.files("graders").joinpath("grades.schema.json").read_text()))
    assert grades["score"] == 11 and grades["notebooks"][0]["late_penalty"] == 3
    assert grades["submission"] == {"timestamp": "2025-11-15T01:00:00+00:00", "duedate": "2025-11-14T22:59:00+00:00",
                                    "seconds_late": 7260.0, "late": True, "penalty": 3.0, "score_before_penalty": 14.0}
    with _nbgrader.gradebook(course.gradebook_url) as gb:
        submission = gb.find_submission(AID, "z-spaet")
        assert submission.total_seconds_late == 7260 and submission.late_submission_penalty == 3
    page, = feedback(course, AID, ["z-spaet"])
    assert "2 Std. 1 Min. nach der Frist" in page.read_text() and "Abzug für verspätete Abgabe: 3 Punkte" in page.read_text()
    row, = [r for r in status(course, AID) if r.student == "z-spaet"]
    assert (row.graded.word, row.score, row.penalty, row.seconds_late) == ("ja", 11, 3, 7260)
    on_time, = [r for r in status(course, AID) if r.student == "s01-korrekt"]
    assert (on_time.handed_in, on_time.seconds_late, on_time.score) == (True, 0, 14)
    # a newer upload makes the grade stale until autograde runs again
    (uploads / "z-spaet" / "timestamp.txt").write_text("2025-11-15 02:00:00.000000 UTC")
    collect(course, AID, folder=uploads)
    assert [r.graded.word for r in status(course, AID) if r.student == "z-spaet"] == ["veraltet"]


def _entries(data: bytes) -> list[tuple]:
    """A zip as what it holds (names, times, attributes, contents; nested zips opened): the same
    for the same input, whatever zlib compresses it to."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, i.date_time, i.extra, i.external_attr,
                 _entries(zf.read(i)) if i.filename.endswith(".zip") else zf.read(i)) for i in zf.infolist()]


def test_shipped_moodle_zip_is_what_its_script_makes():
    """The demo's zip and roster are examples/make_moodle_zip.py's output from examples/submissions/:
    after changing the samples, run the script."""
    spec = importlib.util.spec_from_file_location("make_moodle_zip", ROOT / "examples" / "make_moodle_zip.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = Course(ROOT)
    assert _entries(script.build_zip()) == _entries(shipped.sample_moodle_zip(AID).read_bytes())
    assert script.build_roster() == shipped.sample_roster.read_text(encoding="utf-8")
