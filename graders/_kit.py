"""The student kit: an installable wheel of what released notebooks import, and nothing of the course.

Distribution ``graders-student``, import name ``graders_student`` (``graders`` on the public package
index is an unrelated project, so the kit never goes by that name). The wheel holds ``_student_api`` as
the package's ``__init__`` and verbatim copies of the modules it imports (``MODULES``): the same code as
the grader, so the same tolerances and German messages. It is built byte for byte reproducibly (fixed
timestamps, sorted entries), so ``problems`` can tell a stale committed wheel from a current one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from pathlib import Path

from ._student_api import __version__
from .course import Course

DISTRIBUTION = "graders_student"  # the wheel's file name form of graders-student
IMPORT_NAME = "graders_student"
FRONT = "_student_api.py"
MODULES = ("_compare.py", "_convert.py", "_inputs.py", "_local_check.py", "_markup.py", "_policy.py",
           "_test_messages.py", "_variante.py")
REQUIRES = ("numpy>=1.23",)
PYTHON = ">=3.10"
_PACKAGE = Path(__file__).resolve().parent
_EPOCH = (2020, 1, 1, 0, 0, 0)  # zip timestamps: a rebuild gives the same bytes

# What a released notebook's import cell starts with: the kit installs itself from its wheel beside the
# notebook (or one folder up, or in _kit/, as release/ has it), with no package index, once per environment.
INSTALL = (
    "try:  # die Prüfhilfe graders_student einmal installieren, aus ihrer .whl-Datei neben diesem Notebook\n"
    "    import graders_student\n"
    "except ImportError:\n"
    "    %pip install -qq --no-index --find-links . --find-links .. --find-links ../_kit graders_student\n")
_GRADERS_IMPORT = re.compile(r"^from graders import ", re.MULTILINE)

_METADATA = f"""\
Metadata-Version: 2.1
Name: graders-student
Version: {__version__}
Summary: Prüfhilfe für die Übungen des Deep-Learning-Kurses: check(), assert_close und die Eingabegeneratoren
Requires-Python: {PYTHON}
{"".join(f"Requires-Dist: {r}" + chr(10) for r in REQUIRES)}
Installiere diese Datei, wie du sie von deiner Lehrperson bekommen hast (nicht vom Paketindex):
    pip install graders_student-{__version__}-py3-none-any.whl
Dann in jedem Übungs-Notebook: check() prüft die sichtbaren Tests.
"""

_WHEEL = """\
Wheel-Version: 1.0
Generator: graders kit
Root-Is-Purelib: true
Tag: py3-none-any
"""


def student_imports(source: str) -> str:
    """A cell's code as the released notebook has it: ``from graders import`` becomes the kit's import,
    after the install lines. The grader runs the source's locked cells, never these."""
    if not _GRADERS_IMPORT.search(source):
        return source
    return INSTALL + _GRADERS_IMPORT.sub(f"from {IMPORT_NAME} import ", source)


def wheel_name() -> str:
    return f"{DISTRIBUTION}-{__version__}-py3-none-any.whl"


def files() -> dict[str, bytes]:
    """The wheel's entries (path in the wheel -> bytes), dist-info's RECORD aside."""
    package = {f"{IMPORT_NAME}/__init__.py": (_PACKAGE / FRONT).read_bytes()}
    package.update({f"{IMPORT_NAME}/{name}": (_PACKAGE / name).read_bytes() for name in MODULES})
    info = f"{DISTRIBUTION}-{__version__}.dist-info"
    package[f"{info}/METADATA"] = _METADATA.encode()
    package[f"{info}/WHEEL"] = _WHEEL.encode()
    package[f"{info}/top_level.txt"] = f"{IMPORT_NAME}\n".encode()
    return package


def wheel_bytes() -> bytes:
    entries = files()
    record_name = f"{DISTRIBUTION}-{__version__}.dist-info/RECORD"
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in sorted(entries.items()))
    entries[record_name] = (record + f"{record_name},,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path in sorted(entries):
            info = zipfile.ZipInfo(path, _EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, entries[path])
    return buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(course: Course) -> Path:
    """Write ``release/_kit/<wheel>`` afresh (older kit versions are removed); returns its path."""
    folder = course.kit_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{DISTRIBUTION}-*.whl"):
        old.unlink()
    path = folder / wheel_name()
    path.write_bytes(wheel_bytes())
    return path


def problems(course: Course) -> list[str]:
    """Why the committed kit no longer matches the grader's modules (empty when current)."""
    path = course.kit_folder() / wheel_name()
    if not path.is_file():
        return [f"release/_kit/{wheel_name()} fehlt: graders kit (oder graders release) schreibt es"]
    if path.read_bytes() != wheel_bytes():
        return [f"release/_kit/{wheel_name()} ist nicht aktuell: graders kit schreibt es neu"]
    return []
