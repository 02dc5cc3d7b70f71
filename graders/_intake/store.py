"""The submitted/ store: one current submission per student, every other one kept under
``submitted/.history/``, files set aside under ``submitted/.set-aside/``. Every write is a
rename of a finished file or folder, and storing the same upload twice changes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from ..course import Course
from .roster import safe_id

TIMESTAMP = "timestamp.txt"
SECRET = "submission_secret.txt"  # as nbgrader's own collect keeps it: its feedback exchange needs it


def format_time(moment: datetime) -> str:
    """nbgrader's timestamp.txt format (its exchange writes the same), in UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def read_time(folder: Path) -> datetime | None:
    from nbgrader.utils import parse_utc  # here: importing nbgrader loads its server stack (_nbgrader.py)

    path = folder / TIMESTAMP
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return parse_utc(path.read_text(encoding="utf-8")[:200].strip()).replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, TypeError, UnicodeDecodeError):
        return None


def read_secret(folder: Path) -> str:
    """nbgrader's submission secret of a submission collected from the exchange ("" if none)."""
    path = folder / SECRET
    if path.is_symlink() or not path.is_file():
        return ""
    return path.read_text(encoding="utf-8", errors="replace").strip()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True if written."""
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def store(course: Course, aid: str, student: str, files: dict[str, bytes], moment: datetime | None,
          secret: str = "") -> str:
    """Make ``files`` the student's submission unless a newer one is there; German outcome."""
    incoming = dict(files)
    if moment is not None:
        incoming[TIMESTAMP] = format_time(moment).encode()
    if secret:
        incoming[SECRET] = secret.encode()
    dest = course.submitted(student, aid)
    if dest.is_dir():
        current = _contents(dest)
        if _digest(current) == _digest(incoming):
            return "unverändert (bereits gesammelt)"
        current_time = read_time(dest)
        if moment is not None and current_time is not None and moment < current_time:
            _into_history(course, aid, student, incoming, moment)
            return "älter als die vorhandene Abgabe – in .history/ abgelegt"
        _retire(course, aid, student, dest, current, current_time)
        _write_folder(dest, incoming)
        return "neue Abgabe ersetzt die frühere (diese liegt in .history/)"
    _write_folder(dest, incoming)
    return "neu gesammelt"


def set_aside(course: Course, aid: str, student: str, name: str, data: bytes) -> Path:
    """A harmless file that was not taken, kept for the instructor under a safe, content-keyed name."""
    digest = hashlib.sha256(data).hexdigest()[:8]
    stem = safe_id(name.replace("/", "_")) or "datei"
    path = course.set_aside(student, aid) / f"{digest}-{stem}"
    write_atomic(path, data)
    return path


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def _digest(files: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return hasher.hexdigest()


def _history_slot(course: Course, aid: str, student: str, files: dict[str, bytes], moment: datetime | None) -> Path:
    when = moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ") if moment else "ohne-zeit"
    return course.earlier_submissions(student, aid) / f"{when}-{_digest(files)[:8]}"


def _into_history(course: Course, aid: str, student: str, files: dict[str, bytes], moment: datetime | None) -> None:
    slot = _history_slot(course, aid, student, files, moment)
    if not slot.is_dir():
        _write_folder(slot, files)


def _retire(course: Course, aid: str, student: str, dest: Path, files: dict[str, bytes],
            moment: datetime | None) -> None:
    """Move the current submission into its history slot (it is already there if seen before)."""
    slot = _history_slot(course, aid, student, files, moment)
    if slot.is_dir():
        shutil.rmtree(dest)
    else:
        slot.parent.mkdir(parents=True, exist_ok=True)
        os.rename(dest, slot)


def _write_folder(dest: Path, files: dict[str, bytes]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{dest.name}.collect-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name, data in files.items():
        (staging / name).write_bytes(data)
    os.rename(staging, dest)
