"""Unpack the wheels that fit this interpreter into a site folder, without pip.

The GPU runner has no package index and no pip to speak of: ``gpu_check.sh --prepare`` downloads the
wheels here (for Python 3.12 and 3.11 side by side), and at run time this unzips the ones whose tags
this interpreter accepts into a temporary folder that goes on PYTHONPATH.

    python benchmarks/wheel_site.py WHEEL_FOLDER SITE_FOLDER
"""

from __future__ import annotations

import platform
import shutil
import sys
import zipfile
from pathlib import Path


def fits(wheel: Path) -> bool:
    """Whether this interpreter can use ``wheel`` (name-version[-build]-python-abi-platform.whl)."""
    python_tags, abi, platforms = wheel.stem.split("-")[-3:]
    here = f"{sys.version_info.major}{sys.version_info.minor}"
    pythons = python_tags.split(".")
    if abi == "abi3":  # stable ABI: built for cp3X, usable from 3.X on
        ok_python = any(t.startswith("cp3") and int(t[3:]) <= sys.version_info.minor for t in pythons)
    else:
        ok_python = any(t in ("py3", f"py{here}", f"cp{here}") for t in pythons) and abi in ("none", f"cp{here}")
    ok_platform = platforms == "any" or platform.machine() in platforms
    return ok_python and ok_platform


def unpack(wheels: Path, site: Path) -> list[Path]:
    site.mkdir(parents=True, exist_ok=True)
    used = sorted(w for w in wheels.glob("*.whl") if fits(w))
    for wheel in used:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    # a wheel's <name>.data/{purelib,platlib}/ belongs on the path itself
    for data in site.glob("*.data"):
        for kind in ("purelib", "platlib"):
            for entry in (data / kind).glob("*") if (data / kind).is_dir() else ():
                shutil.move(str(entry), site / entry.name)
    return used


def main() -> None:
    wheels, site = Path(sys.argv[1]), Path(sys.argv[2])
    used = unpack(wheels, site)
    size = sum(w.stat().st_size for w in used)
    print(f"gpu_check: {len(used)} Wheels ({size / 2**20:.1f} MiB) für Python {platform.python_version()} "
          f"entpackt nach {site}", flush=True)


if __name__ == "__main__":
    main()
