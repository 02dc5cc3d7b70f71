"""CSV files that instructors bring (rosters, response tables): Excel's BOM, `,` `;` or tab."""

from __future__ import annotations

import csv
from pathlib import Path

from .course import CourseError


def read_rows(path: Path, what: str) -> tuple[list[dict], dict[str, str]]:
    """(rows, lower-cased column name -> column name as written); ``what`` names the file in errors."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"{what} {path} ist nicht lesbar ({exc}).") from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    columns = {c.strip().lower(): c for c in reader.fieldnames or [] if c}
    return list(reader), columns
