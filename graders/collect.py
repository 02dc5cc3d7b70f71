"""``graders collect``: uploads from Moodle, a folder or nbgrader's exchange into
``submitted/<student>/<aid>/``, safely, with one report line per finding in
``submitted/<aid>-collect.csv`` (student, source, found, taken, reason), and who is who in Moodle
(student, participant id, full name) in ``submitted/<aid>-participants.csv`` for ``graders return``.

Nothing is written outside ``submitted/``: archives are read into memory entry by entry
(graders._intake.archive), student ids are made safe folder names, and only the assignment's own
notebook names are written into a submission. The latest submission per student wins; every
other one is kept under ``submitted/.history/``, files not taken under ``submitted/.set-aside/``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import _participants as participants, late
from ._intake import match, roster as rosters, sources, store
from ._intake.archive import ArchiveError
from .course import Course, CourseError

REPORT_COLUMNS = ("student", "source", "found", "taken", "reason")


@dataclass(frozen=True)
class Collected:
    report: Path
    lines: list[tuple[str, str, str, str, str]]
    students: list[str]         # students with a current submission after this run


def collect(course: Course, aid: str, *, moodle: Path | None = None, folder: Path | None = None,
            exchange: Path | None = None, roster: Path | None = None) -> Collected:
    """Collect from exactly one source; ``exchange`` is the exchange's inbound folder."""
    from ._progress import progress

    course.check_assignment(aid)
    if sum(x is not None for x in (moodle, folder, exchange)) != 1:
        raise CourseError("Genau eine Quelle angeben: --from-moodle ZIP, --from-dir ORDNER oder --from-exchange.")
    cfg = late.config(course)
    zone = late.local_zone(cfg)
    people = rosters.read(roster) if roster else None
    mapper = rosters.Mapper(people)
    slots = [match.Slot.from_notebook(course.release(aid) / p.name if (course.release(aid) / p.name).is_file() else p)
             for p in course.notebooks(aid)]
    try:
        if moodle is not None:
            uploads, stray = sources.from_moodle(moodle, zone)
        elif folder is not None:
            uploads, stray = sources.from_folder(folder, zone), []
        else:
            uploads, stray = sources.from_exchange(exchange, aid), []
    except ArchiveError as exc:
        raise CourseError(str(exc)) from None
    lines = [("", "", r.path, "", r.reason) for r in stray]
    current, met = set(), []
    with progress(len(uploads), f"collect {aid}") as step:
        for upload in uploads:
            student, lines_of_upload = _collect_one(course, aid, upload, mapper, slots, zone)
            lines += lines_of_upload
            if student and course.submitted(student, aid).is_dir():
                current.add(student)
            if student and moodle is not None:
                met.append(participants.Participant(student, upload.key, upload.name))
            step(student or upload.key)
    if people is not None:
        store.write_atomic(course.roster_copy, rosters.to_csv(people).encode())
        met += [participants.Participant(p.student, p.participant, p.name) for p in people if p.participant]
    participants.record(course, aid, met)
    lines.sort(key=lambda line: line[0])  # stable: each student's lines keep their order
    path = course.collect_report(aid)
    store.write_atomic(path, _csv(lines).encode("utf-8"))
    return Collected(path, lines, sorted(current))


def _collect_one(course: Course, aid: str, upload: sources.Upload, mapper: rosters.Mapper,
                 slots: list[match.Slot], zone) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    student, note = mapper.student(upload.key, upload.name)
    lines = []

    def line(found: str, taken: str, reason: str) -> None:
        lines.append((student, upload.source, found, taken, reason))

    if not student:
        line("", "", f"keine gültige Kennung aus {upload.key!r} – nichts gesammelt")
        return "", lines
    if note:
        line("", "", note)
    for refusal in upload.refused:
        line(refusal.path, "", refusal.reason)
    if not upload.files and not upload.refused:
        line("", "", "leere Abgabe: keine Dateien – nichts gesammelt")
        return student, lines
    chosen = match.select(upload.files, slots)
    for entry in chosen.lines:
        line(entry.found, entry.taken, entry.reason)
    for member in chosen.set_aside:
        store.set_aside(course, aid, student, member.path, member.data)
    if not chosen.taken:
        line("", "", "kein Notebook übernommen – keine Abgabe gespeichert")
        return student, lines
    moment = upload.timestamp or max((m.mtime for m in chosen.taken.values() if m.mtime), default=None)
    outcome = store.store(course, aid, student, {name: m.data for name, m in chosen.taken.items()}, moment,
                          upload.secret)
    when = f"; abgegeben {moment.astimezone(zone):%d.%m.%Y %H:%M}" if moment else "; Abgabezeit unbekannt"
    taken = f"{course.submitted(student, aid).relative_to(course.root)}/"
    line(f"{len(chosen.taken)} Notebook(s)", taken, outcome + when)
    return student, lines


def _csv(lines) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows(lines)
    return out.getvalue()


def exchange_inbound(course: Course) -> Path:
    """nbgrader's inbound folder as the course config names it (c.Exchange.root, c.CourseDirectory.course_id)."""
    cfg = late.config(course)
    root = cfg.Exchange.get("root", "/srv/nbgrader/exchange")
    course_id = cfg.CourseDirectory.get("course_id", "")
    if not course_id:
        raise CourseError("--from-exchange braucht c.CourseDirectory.course_id in nbgrader_config.py "
                          "(oder den Pfad: --from-exchange EXCHANGE/KURS/inbound).")
    return Path(root) / course_id / "inbound"
