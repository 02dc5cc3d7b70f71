"""Untrusted zip archives, read entry by entry (never ``extractall``): names checked, symlinks and
special files refused, sizes and compression ratio capped while reading, broken entries reported.

Everything is read into memory; nothing of an archive is ever written by this module.
"""

from __future__ import annotations

import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from io import BytesIO
from pathlib import Path

MAX_ENTRY_BYTES = 100 << 20     # same cap as autograde's notebooks
MAX_ENTRIES = 10_000
MAX_RATIO = 200                 # notebooks compress 5-20x; zip bombs 1000x and more
RATIO_FLOOR = 1 << 20           # below 1 MiB any ratio is harmless
_CHUNK = 1 << 20
_UTF8_FLAG = 0x800
_EXTENDED_TIMESTAMP = 0x5455


class ArchiveError(Exception):
    """The archive as a whole cannot be read (German message)."""


@dataclass(frozen=True)
class Entry:
    path: str                   # relative, '/'-separated, no '.' or '..'
    info: zipfile.ZipInfo
    note: str = ""              # a repaired name, e.g. not UTF-8


@dataclass(frozen=True)
class Member:
    path: str
    data: bytes
    mtime: datetime | None      # aware, UTC
    note: str = ""


@dataclass(frozen=True)
class Refusal:
    path: str
    reason: str


def open_zip(source: Path | bytes, what: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source)
    except FileNotFoundError:
        raise ArchiveError(f"{what} nicht gefunden.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:  # incl. bad UTF-8 names
        raise ArchiveError(f"{what} ist keine lesbare ZIP-Datei (unvollständig heruntergeladen oder "
                           f"beschädigt?): {exc}") from None
    if len(zf.infolist()) > MAX_ENTRIES:
        zf.close()
        raise ArchiveError(f"{what} hat mehr als {MAX_ENTRIES} Einträge.")
    return zf


def entries(zf: zipfile.ZipFile) -> list[Entry | Refusal]:
    """Every file entry with a checked name; directories are skipped, unsafe entries refused."""
    found: list[Entry | Refusal] = []
    for info in zf.infolist():
        name, note = _decoded_name(info)
        if name.endswith(("/", "\\")):
            continue
        path, problem = _safe_path(name)
        if problem:
            found.append(Refusal(name, problem))
            continue
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if kind == stat.S_IFLNK:
            found.append(Refusal(path, "symbolischer Link – abgelehnt"))
        elif kind not in (0, stat.S_IFREG):
            found.append(Refusal(path, "keine normale Datei (Gerät, Pipe o. Ä.) – abgelehnt"))
        elif info.flag_bits & 0x1:
            found.append(Refusal(path, "verschlüsselter ZIP-Eintrag – abgelehnt (bitte ohne Passwort packen)"))
        else:
            found.append(Entry(path, info, note))
    return found


def read(zf: zipfile.ZipFile, entry: Entry, local_tz: tzinfo) -> Member | Refusal:
    """The entry's bytes, or why not: the caps hold even when the header lies about sizes."""
    info = entry.info
    if info.file_size > MAX_ENTRY_BYTES:
        return Refusal(entry.path, f"größer als {MAX_ENTRY_BYTES >> 20} MB – abgelehnt")
    if _ratio_exceeded(info.file_size, info.compress_size):
        return Refusal(entry.path, f"Kompressionsrate über {MAX_RATIO}:1 (ZIP-Bombe?) – abgelehnt")
    parts, size = [], 0
    try:
        with zf.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > MAX_ENTRY_BYTES:
                    return Refusal(entry.path, f"größer als {MAX_ENTRY_BYTES >> 20} MB – abgelehnt")
                if _ratio_exceeded(size, info.compress_size):
                    return Refusal(entry.path, f"Kompressionsrate über {MAX_RATIO}:1 (ZIP-Bombe?) – abgelehnt")
                parts.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        return Refusal(entry.path, f"beschädigter ZIP-Eintrag ({exc}) – abgelehnt")
    return Member(entry.path, b"".join(parts), entry_time(info, local_tz), entry.note)


def entry_time(info: zipfile.ZipInfo, local_tz: tzinfo) -> datetime | None:
    """UTC time of an entry: the extended-timestamp field (UTC) if present, else the DOS time,
    which zip writers store in their local time."""
    extra = info.extra
    while len(extra) >= 4:
        kind, length = struct.unpack("<HH", extra[:4])
        body = extra[4:4 + length]
        if kind == _EXTENDED_TIMESTAMP and len(body) >= 5 and body[0] & 1:
            return datetime.fromtimestamp(struct.unpack("<i", body[1:5])[0], timezone.utc)
        extra = extra[4 + length:]
    try:
        return datetime(*info.date_time, tzinfo=local_tz).astimezone(timezone.utc)
    except ValueError:
        return None


def _decoded_name(info: zipfile.ZipInfo) -> tuple[str, str]:
    """zipfile decodes names without the UTF-8 flag as CP437 (the standard). Many tools write
    UTF-8 without setting the flag: such names are re-read as UTF-8; others stay CP437 (which is
    also what German Windows' CP850 gives for umlauts)."""
    if info.flag_bits & _UTF8_FLAG or info.filename.isascii():
        return info.filename, ""
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8"), "Dateiname ohne UTF-8-Kennzeichen, als UTF-8 gelesen"
    except UnicodeDecodeError:
        return info.filename, "Dateiname nicht UTF-8-kodiert, als CP437 gelesen"


def _safe_path(name: str) -> tuple[str, str]:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return name, "absoluter Pfad – abgelehnt"
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        return name, "Pfad mit '..' (verlässt den Ordner) – abgelehnt"
    if not parts or any("\x00" in p for p in parts):
        return name, "ungültiger Dateiname – abgelehnt"
    return posixpath.join(*parts), ""


def _ratio_exceeded(size: int, compressed: int) -> bool:
    return size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1)
