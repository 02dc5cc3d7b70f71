"""Moodle's offline grading worksheet: the instructor's download ("Bewertungstabelle herunterladen"),
filled with grades and feedback comments, everything else as it was.

Moodle (``mod/assign/feedback/offline``) finds its columns by their localized headers: the
identifier ("Participant 104501", German "Teilnehmer/in104501"), the grade, the time the grade was
last modified (a grade changed in Moodle after the download is not overwritten) and one column per
feedback text field. Rows that are not filled keep their bytes; a filled row keeps every other
field as it was written, quoted in the file's own style.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .course import CourseError

# the headers Moodle writes, English and German (language packs of mod_assign, assignfeedback_comments, core)
HEADERS = {
    "identifier": ("Identifier", "ID"),
    "grade": ("Grade", "Bewertung"),
    "maximum": ("Maximum grade", "Bestwertung"),
    "modified": ("Last modified (grade)", "Zuletzt geändert (Bewertung)"),
    "changeable": ("Grade can be changed", "Bewertung kann geändert werden"),
    "comments": ("Feedback comments", "Feedback als Kommentar"),
    "fullname": ("Full name", "Vollständiger Name"),
}
REQUIRED = ("identifier", "grade", "maximum", "modified")
_NO = {"no", "nein"}
_PARTICIPANT = re.compile(r"^\D*?(\d+)$")  # "Participant 104501", "Teilnehmer/in104501"
_STYLES = ("minimal", "php", "all")          # Moodle writes PHP's fputcsv quoting


@dataclass(frozen=True)
class Row:
    participant: str    # digits; "" for a row that is no participant's
    fields: list[str]
    raw: str            # the record as written, line end included


@dataclass(frozen=True)
class Worksheet:
    path: Path
    encoding: str
    bom: bool
    delimiter: str
    columns: dict[str, int]     # HEADERS key -> column index
    header: str                 # the header record as written
    rows: list[Row]

    def value(self, row: Row, column: str) -> str:
        index = self.columns.get(column)
        return row.fields[index] if index is not None and index < len(row.fields) else ""


@dataclass(frozen=True)
class Entry:
    """What goes into one participant's row."""

    score: float
    max_score: float
    comment: str        # one HTML paragraph "<p>Lead: ...</p>"; replaces an earlier one with the same lead


def read(path: Path) -> Worksheet:
    """The worksheet, or a CourseError that says what a Moodle worksheet looks like."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CourseError(f"Bewertungstabelle {path} ist nicht lesbar ({exc.strerror}).") from None
    bom = data.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8"
    try:
        text = data[3 if bom else 0:].decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252", errors="replace")  # Excel on Windows
    lines = io.StringIO(text, newline="").readlines()
    first = lines[0] if lines else ""
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        records = _records(lines, delimiter)
    except csv.Error as exc:
        raise CourseError(f"Bewertungstabelle {path} ist keine lesbare CSV-Datei ({exc}).") from None
    if not records:
        raise CourseError(f"Bewertungstabelle {path} ist leer.")
    header_raw, header = records[0]
    found = {c.strip().casefold(): i for i, c in enumerate(header)}
    columns = {key: found[name.casefold()] for key, names in HEADERS.items() for name in names
               if name.casefold() in found}
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        expected = "; ".join(" / ".join(HEADERS[key]) for key in REQUIRED)
        raise CourseError(
            f"{path} ist keine Bewertungstabelle aus Moodle (Aufgabe → Bewertungsvorgang "
            f"»Bewertungstabelle herunterladen«, Bewertung in Punkten, nicht mit Skala). Erwartet die Spalten: "
            f"{expected}. Es fehlt: {', '.join(HEADERS[key][0] for key in missing)}; "
            f"vorhanden: {', '.join(header) or 'keine'}.")
    rows = []
    for raw, fields in records[1:]:
        ident = fields[columns["identifier"]].strip() if columns["identifier"] < len(fields) else ""
        match = _PARTICIPANT.match(ident)
        rows.append(Row(match[1] if match else "", fields, raw))
    if not any(r.participant for r in rows):
        raise CourseError(f"{path}: keine Zeile mit einer Teilnehmer-ID in Spalte {header[columns['identifier']]!r} "
                          "(erwartet z. B. »Teilnehmer/in104501« oder »Participant 104501«).")
    return Worksheet(Path(path), encoding, bom, delimiter, columns, header_raw, rows)


def locked(sheet: Worksheet, row: Row) -> bool:
    """Moodle marks a grade it will not take (locked, or overridden in the gradebook)."""
    return sheet.value(row, "changeable").strip().casefold() in _NO


def fill(sheet: Worksheet, entries: dict[str, Entry]) -> tuple[bytes, list[str]]:
    """The worksheet with the rows of ``entries`` (by participant id) filled; (file, problems in German).
    A row that cannot be filled stays as it was."""
    problems, out = [], [sheet.header]
    comma = any("," in sheet.value(r, "maximum") + sheet.value(r, "grade") for r in sheet.rows)
    for row in sheet.rows:
        entry = entries.get(row.participant)
        if entry is None or not row.participant:
            out.append(row.raw)
            continue
        maximum = _number(sheet.value(row, "maximum"))
        if maximum is None or maximum <= 0 or entry.max_score <= 0:
            problems.append(f"{row.participant}: keine gültige Bestwertung ({sheet.value(row, 'maximum')!r}) "
                            "– Zeile unverändert")
            out.append(row.raw)
            continue
        if locked(sheet, row):
            problems.append(f"{row.participant}: Bewertung in Moodle gesperrt – Zeile unverändert")
            out.append(row.raw)
            continue
        fields = row.fields + [""] * max(0, max(sheet.columns.values()) + 1 - len(row.fields))
        fields[sheet.columns["grade"]] = _format(entry.score / entry.max_score * maximum,
                                                 sheet.value(row, "maximum"), comma)
        if "comments" in sheet.columns:
            index = sheet.columns["comments"]
            fields[index] = _merged_comment(fields[index], entry.comment)
        out.append(_record(fields, row, sheet.delimiter))
    text = "".join(out)
    return (b"\xef\xbb\xbf" if sheet.bom else b"") + text.encode(sheet.encoding, errors="replace"), problems


def _records(lines: list[str], delimiter: str) -> list[tuple[str, list[str]]]:
    """(raw text, fields) per record; a quoted field may span lines."""
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    records, used = [], 0
    for fields in reader:
        records.append(("".join(lines[used:reader.line_num]), fields))
        used = reader.line_num
    return records


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _format(value: float, like: str, comma: bool) -> str:
    """``value`` with the decimals of the maximum grade as written (Moodle: two), in the sheet's separator."""
    digits = re.search(r"[.,](\d+)\s*$", like)
    text = f"{value:.{len(digits[1]) if digits else 2}f}"
    return text.replace(".", ",") if comma else text


def _merged_comment(existing: str, ours: str) -> str:
    """Keep what the instructor wrote; replace an earlier comment of ours."""
    lead = re.escape(re.sub(r"<[^>]+>", "", ours).split(":", 1)[0])
    kept = re.sub(rf"<p[^>]*>\s*{lead}:.*?</p>", "", existing, flags=re.DOTALL).strip()
    return f"{kept}{ours}" if kept else ours


def _record(fields: list[str], row: Row, delimiter: str) -> str:
    body = row.raw.rstrip("\r\n")
    ending = row.raw[len(body):]
    style = next((s for s in _STYLES if _join(row.fields, s, delimiter) == body), "minimal")
    return _join(fields, style, delimiter) + ending


def _join(fields: list[str], style: str, delimiter: str) -> str:
    special = delimiter + '"\r\n' + (" \t\\" if style == "php" else "")

    def quoted(value: str) -> str:
        if style == "all" or any(c in special for c in value):
            return '"' + value.replace('"', '""') + '"'
        return value

    return delimiter.join(quoted(v) for v in fields)
