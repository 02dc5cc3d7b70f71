"""Where uploads come from: Moodle's "download all submissions" zip, a folder, nbgrader's exchange.

Each source yields ``Upload``s: one participant's files as bytes in memory, plus what was refused.
A zip inside an upload is opened one level deep with the same caps; anything deeper is refused.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from nbgrader.utils import parse_utc

from . import archive
from .archive import ArchiveError, Member, Refusal
from .store import SECRET

MAX_UPLOAD_BYTES = 256 << 20    # one participant, all files together
MAX_UPLOAD_FILES = 500
# "Erika Mustermann_104522_assignsubmission_file" (folders, Moodle 4.1 on), the same with a trailing "_"
# (folders, Moodle 3.1-4.0), or that prefix + file name (flat); as Moodle's feedback zip importer reads them
_MOODLE = re.compile(r"^(?P<name>.*?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)"
                     r"(?:_(?P<rest>.*))?$", re.DOTALL)


@dataclass
class Upload:
    key: str                    # participant id (Moodle), folder or file name (folder), student (exchange)
    name: str                   # participant's full name where the source has one
    source: str                 # where it came from, for the report
    files: list[Member] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    timestamp: datetime | None = None   # stated by the source (exchange); else the files' latest mtime
    secret: str = ""            # nbgrader's submission secret (exchange): ``graders return`` needs it
    size: int = 0

    def add(self, member: Member | Refusal) -> None:
        if isinstance(member, Refusal):
            self.refused.append(member)
        elif len(self.files) >= MAX_UPLOAD_FILES:
            self.refused.append(Refusal(member.path, f"mehr als {MAX_UPLOAD_FILES} Dateien – abgelehnt"))
        elif self.size + len(member.data) > MAX_UPLOAD_BYTES:
            self.refused.append(Refusal(member.path, f"Abgabe insgesamt größer als {MAX_UPLOAD_BYTES >> 20} MB"
                                                     " – abgelehnt"))
        elif member.path.lower().endswith(".zip"):
            self._open_nested(member)
        else:
            self.size += len(member.data)
            self.files.append(member)

    def _open_nested(self, member: Member) -> None:
        if "/" in member.path and member.path.split("/", 1)[0].lower().endswith(".zip"):
            self.refused.append(Refusal(member.path, "ZIP in einer ZIP in der Abgabe (zu tief verschachtelt) – abgelehnt"))
            return
        try:
            zf = archive.open_zip(member.data, f"Die hochgeladene Datei {member.path}")
        except ArchiveError as exc:
            self.refused.append(Refusal(member.path, f"{exc} – abgelehnt"))
            return
        with zf:
            for entry in archive.entries(zf):
                if isinstance(entry, Refusal):
                    self.add(Refusal(f"{member.path}/{entry.path}", entry.reason))
                    continue
                inner = archive.read(zf, entry, timezone.utc)
                path = f"{member.path}/{inner.path}"
                if isinstance(inner, Refusal):
                    self.add(Refusal(path, inner.reason))
                else:
                    note = "; ".join(n for n in ("aus hochgeladener ZIP entpackt", inner.note) if n)
                    # the inner zip's DOS times are in an unknown zone: the outer entry's time is the upload's
                    self.add(Member(path, inner.data, member.mtime, note))


def from_moodle(path: Path, local_tz: tzinfo) -> tuple[list[Upload], list[Refusal]]:
    """(uploads by participant id, entries that belong to no participant)."""
    zf = archive.open_zip(path, f"Die Moodle-ZIP {path}")
    uploads: dict[str, Upload] = {}
    stray: list[Refusal] = []
    with zf:
        for info in zf.infolist():  # a participant folder with nothing in it is an empty upload
            match = _MOODLE.match(info.filename.split("/", 1)[0]) if info.is_dir() else None
            if match:
                uploads.setdefault(match["id"], Upload(match["id"], match["name"].strip(),
                                                       f"{match['name']}_{match['id']}"))
        for entry in archive.entries(zf):
            first, _, rest = entry.path.partition("/")
            match = _MOODLE.match(first)
            if match is None:
                stray.append(entry if isinstance(entry, Refusal) else Refusal(
                    entry.path, "gehört zu keinem Teilnehmer-Ordner (Name_ID_assignsubmission_…) – ignoriert"))
                continue
            upload = uploads.setdefault(match["id"], Upload(match["id"], match["name"].strip(),
                                                            f"{match['name']}_{match['id']}"))
            inner = rest if rest else match["rest"] or ""  # folders, or flat "<prefix><file name>"
            if isinstance(entry, Refusal):
                upload.add(Refusal(inner or entry.path, entry.reason))
            elif not inner:
                upload.add(Refusal(entry.path, "Eintrag ohne Dateinamen – ignoriert"))
            elif match["plugin"] != "file":
                upload.add(Refusal(inner, f"Moodle-Abgabetyp '{match['plugin']}' (kein Datei-Upload) – ignoriert"))
            else:
                member = archive.read(zf, archive.Entry(inner, entry.info, entry.note), local_tz)
                upload.add(member)
    return [uploads[k] for k in sorted(uploads, key=lambda k: (len(k), k))], stray


def from_folder(folder: Path, local_tz: tzinfo) -> list[Upload]:
    """One sub-folder or one file (a notebook or a zip) per student, named by the student."""
    if not folder.is_dir():
        raise ArchiveError(f"Ordner {folder} nicht gefunden.")
    uploads = []
    for item in sorted(folder.iterdir()):
        if item.name.startswith("."):
            continue
        key = item.stem if item.is_file() and not item.is_symlink() else item.name
        upload = Upload(key, "", str(item))
        if item.is_symlink():
            upload.refused.append(Refusal(item.name, "symbolischer Link – abgelehnt"))
        elif item.is_dir():
            _walk(item, upload, local_tz)
            upload.timestamp = _timestamp_file(item)
        else:
            _read_file(item, item.name, upload, local_tz)
        uploads.append(upload)
    return uploads


def from_exchange(inbound: Path, aid: str) -> list[Upload]:
    """nbgrader's exchange: ``inbound/<student>+<aid>+<timestamp>[+<random>]/``, every record
    (re-submissions included, oldest first); the time comes from its ``timestamp.txt``."""
    if not inbound.is_dir():
        raise ArchiveError(f"Exchange-Ordner {inbound} nicht gefunden (c.Exchange.root, c.CourseDirectory.course_id).")
    uploads = []
    for item in sorted(inbound.iterdir()):
        parts = item.name.rsplit("+", 3)  # as nbgrader's collect splits it
        if len(parts) < 3 or parts[1] != aid or item.is_symlink() or not item.is_dir():
            continue
        upload = Upload(parts[0], "", f"inbound/{item.name}")
        _walk(item, upload, timezone.utc)
        upload.timestamp = _timestamp_file(item) or _parse_time(parts[2])
        upload.secret = _secret_file(item)
        uploads.append(upload)
    return sorted(uploads, key=lambda u: (u.key, u.timestamp or datetime.min.replace(tzinfo=timezone.utc)))


def _walk(folder: Path, upload: Upload, local_tz: tzinfo) -> None:
    for root, dirs, files in os.walk(folder):  # os.walk does not follow symlinked folders
        base = Path(root)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                upload.refused.append(Refusal((base / name).relative_to(folder).as_posix(),
                                              "symbolischer Link – abgelehnt"))
        dirs.sort()
        for name in sorted(files):
            if base == folder and name in ("timestamp.txt", SECRET):
                continue  # the source's own records of the time and the secret, read below
            _read_file(base / name, (base / name).relative_to(folder).as_posix(), upload, local_tz)


def _read_file(path: Path, shown: str, upload: Upload, local_tz: tzinfo) -> None:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            upload.add(Refusal(shown, "symbolischer Link oder keine normale Datei – abgelehnt"))
        elif info.st_size > archive.MAX_ENTRY_BYTES:
            upload.add(Refusal(shown, f"größer als {archive.MAX_ENTRY_BYTES >> 20} MB – abgelehnt"))
        else:
            with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW)) as handle:
                data = handle.read(archive.MAX_ENTRY_BYTES + 1)
            upload.add(Member(shown, data, datetime.fromtimestamp(info.st_mtime, timezone.utc)))
    except OSError as exc:
        upload.add(Refusal(shown, f"nicht lesbar ({exc.strerror}) – abgelehnt"))


def _timestamp_file(folder: Path) -> datetime | None:
    path = folder / "timestamp.txt"
    if path.is_symlink() or not path.is_file():
        return None
    return _parse_time(path.read_text(encoding="utf-8", errors="replace")[:200].strip())


def _secret_file(folder: Path) -> str:
    path = folder / SECRET
    if path.is_symlink() or not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace")[:1000].strip()
    return text if re.fullmatch(r"[0-9a-f]{16,512}", text) else ""  # nbgrader writes 128 hex digits


def _parse_time(text: str) -> datetime | None:
    try:
        return parse_utc(text).replace(tzinfo=timezone.utc)  # nbgrader's own parser; naive UTC
    except (ValueError, OverflowError, TypeError):
        return None
