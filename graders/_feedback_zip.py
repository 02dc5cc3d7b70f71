"""The zip for Moodle's "Upload multiple feedback files in a zip" (``assignfeedback_file``).

Moodle's importer (``importziplib.php``) splits each path part at ``_`` into at most five pieces
and takes the second as the participant id, the third and fourth as the plugin that made the
folder; what follows is the file's path in the student's feedback. The folders are named as
Moodle's "Download all submissions" names them: ``<full name>_<participant id>_assignsubmission_file_``,
the full name without ``_`` (Moodle replaces it by a space) and without the characters a file name
cannot hold. The zip is the same for the same files: fixed times and modes, sorted entries.
"""

from __future__ import annotations

import io
import re
import zipfile

PLUGIN = "assignsubmission_file"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)   # the earliest a zip can hold: no build time in the file
_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_FALLBACK_NAME = "Teilnehmer"


def folder_name(full_name: str, participant: str) -> str:
    name = " ".join(_NOT_IN_NAMES.sub(" ", full_name.replace("_", " ")).split()) or _FALLBACK_NAME
    return f"{name}_{participant}_{PLUGIN}_"


def ignored_by_moodle(name: str) -> bool:
    """Moodle's importer skips hidden files."""
    return name.startswith((".", "~"))


def build(folders: dict[str, dict[str, bytes]]) -> bytes:
    """``folders``: folder name -> (path inside it, '/'-separated -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for folder in sorted(folders):
            for path in sorted(folders[folder]):
                info = zipfile.ZipInfo(f"{folder}/{path}", _FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                zf.writestr(info, folders[folder][path])
    return out.getvalue()
