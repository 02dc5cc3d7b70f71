"""``graders similar``: which submissions of an assignment share more of their own code than chance.

Only what students wrote is compared: the answer cells (nbgrader ``solution: true``: code and
markdown) of ``submitted/<student>/<aid>/*.ipynb``, with the starter code of ``source/`` and
``release/`` left out; locked and test cells never count. ``_fingerprint`` normalises and winnows
each submission. A fingerprint that many submissions share is task-forced code (everyone writes
``np.exp(z - z.max())``) and is left out too, so only what is rare can make two submissions alike.

The score of a pair is the share of the smaller submission's fingerprints that the other one has as
well; a pair is flagged at ``threshold`` or more when it also shares enough code in absolute terms
(``min_shared`` fingerprints, ``min_lines`` lines on each side), so that short answers do not match
by themselves. Archived submissions of earlier cohorts (``--archive``) are compared with the current
cohort, not with each other. Writes ``reports/<aid>/similarity.html`` (ranked pairs, groups of three
or more, the shared regions side by side; self-contained) and ``similarity.csv``.
"""

from __future__ import annotations

import csv
import html
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import combinations
from pathlib import Path

from . import _markup as markup
from ._fingerprint import Fingerprinter, Fingerprints
from .course import Course, CourseError

__all__ = ["Settings", "similar"]


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.5
    k: int = 8  # tokens per k-gram (about one line)
    w: int = 3  # k-grams per winnowing window: every shared run of k + w - 1 tokens is seen
    k_text: int = 6  # words per k-gram of a markdown answer
    min_shared: int = 8  # fingerprints a flagged pair shares at least
    min_lines: int = 4  # lines a flagged pair shares at least, on each side
    common_share: float = 0.2  # fingerprints in more than this share of the submissions are task-forced,
    common_floor: int = 5  # but one in at most this many never is (a group of copiers in a small course)
    detailed_pairs: int = 100  # pairs shown side by side in the page; the CSV has all


@dataclass(frozen=True)
class Part:
    """One answer cell of a submission."""
    notebook: str
    cell: str  # grade_id, or "Zelle <n>" where the notebook lost nbgrader's metadata
    kind: str  # "code" or "markdown"
    source: str


@dataclass
class Submission:
    name: str  # the student, or "<archive folder>/<student>"
    archived: bool
    parts: list[Part]
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    kept: set[int] = field(default_factory=set)  # fingerprints that count (no starter, nothing common)


@dataclass(frozen=True)
class Unreadable:
    who: str
    path: str
    reason: str


@dataclass
class Pair:
    a: Submission
    b: Submission
    score: float
    shared: int  # fingerprints
    lines: int  # shared lines (the smaller side)
    marks_a: dict[tuple[int, int], int] = field(default_factory=dict)  # (part, line) -> region number
    marks_b: dict[tuple[int, int], int] = field(default_factory=dict)
    group: int | None = None  # number of the group of three or more, if any


@dataclass(frozen=True)
class Result:
    aid: str
    submissions: int  # current cohort, readable
    archived: int
    pairs: list[Pair]  # flagged, best first
    groups: list[list[str]]  # three or more, largest first
    unreadable: list[Unreadable]
    html: Path
    csv: Path


# -- reading ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Notebook:
    """What the assignment's notebook says: its answer cells and the starter code students got."""
    name: str
    answers: dict[str, str]  # grade_id -> kind
    starter: list[tuple[str, str]]  # (kind, source) of the answer cells as handed out
    given: set[str]  # every cell text students got (for notebooks without nbgrader metadata)


def _source(cell) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _read_json(path: Path) -> dict:
    """The notebook as a dict, or ValueError with a German reason."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError("kein UTF-8-Text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"kein gültiges Notebook-JSON (Zeile {exc.lineno}: {exc.msg})") from None
    except OSError as exc:
        raise ValueError(f"nicht lesbar ({exc.strerror or exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("keine Notebook-Struktur (die Liste »cells« fehlt)")
    for number, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict) or not isinstance(cell.get("metadata", {}), dict) or \
                not isinstance(cell.get("metadata", {}).get("nbgrader", {}) or {}, dict):
            raise ValueError(f"keine Notebook-Struktur (Zelle {number})")
    return nb


_REGION = re.compile(rf"^([ \t]*){re.escape(markup.SOLUTION_BEGIN)}.*?^[ \t]*{re.escape(markup.SOLUTION_END)}[ \t]*$",
                     re.DOTALL | re.MULTILINE)


def _handed_out(cell) -> str:
    """A source answer cell as nbgrader hands it out, up to the stub's comment: a code cell with its
    solution regions (or, without them, as a whole) replaced by ``raise NotImplementedError()``; a
    markdown answer replaced by its stub (the release notebook has that text)."""
    if cell.get("cell_type") == "markdown":
        return ""
    source = _source(cell)
    if _REGION.search(source):
        return _REGION.sub(lambda m: f"{m.group(1)}raise NotImplementedError()", source)
    return "raise NotImplementedError()"


def _assignment(course: Course, aid: str) -> list[_Notebook]:
    notebooks = []
    for path in course.notebooks(aid):
        cells = _read_json(path)["cells"]
        answers = {markup.grade_id(c): c.get("cell_type", "code") for c in cells
                   if markup.nbgrader_meta(c).get("solution") and markup.grade_id(c)}
        starter = [(answers[markup.grade_id(c)], _handed_out(c)) for c in cells if markup.grade_id(c) in answers]
        given = {_source(c).strip() for c in cells}
        released = course.release(aid) / path.name
        if released.is_file():
            try:
                release_cells = _read_json(released)["cells"]
            except ValueError:
                release_cells = []
            starter += [(answers[markup.grade_id(c)], _source(c)) for c in release_cells
                        if markup.grade_id(c) in answers]
            given |= {_source(c).strip() for c in release_cells}
        notebooks.append(_Notebook(path.stem, answers, starter, given))
    return notebooks


def _parts(nb: dict, notebook: _Notebook) -> list[Part]:
    """The student's answer cells, by grade_id; where no cell has nbgrader's metadata any more (a
    notebook copied into a fresh one), every cell the student did not get as it is."""
    cells = nb["cells"]
    found = [Part(notebook.name, markup.grade_id(c), notebook.answers[markup.grade_id(c)], _source(c))
             for c in cells if markup.grade_id(c) in notebook.answers]
    if found or any(markup.grade_id(c) for c in cells):
        return found
    return [Part(notebook.name, f"Zelle {i}", c.get("cell_type"), _source(c)) for i, c in enumerate(cells, 1)
            if c.get("cell_type") in ("code", "markdown") and _source(c).strip() not in notebook.given]


def _submission(name: str, files: dict[str, Path], notebooks: list[_Notebook], archived: bool,
                unreadable: list[Unreadable], root: Path) -> Submission | None:
    parts: list[Part] = []
    readable = 0
    for notebook in notebooks:
        path = files.get(notebook.name)
        if path is None:
            continue
        try:
            parts += _parts(_read_json(path), notebook)
            readable += 1
        except ValueError as exc:
            unreadable.append(Unreadable(name, _shown(path, root), str(exc)))
    return Submission(name, archived, parts) if readable else None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _from_folder(name: str, folder: Path, notebooks: list[_Notebook], archived: bool,
                 unreadable: list[Unreadable], root: Path) -> Submission | None:
    """One student's folder (``submitted/<student>/<aid>/`` or the same in an archive)."""
    files = {nb.name: folder / f"{nb.name}.ipynb" for nb in notebooks if (folder / f"{nb.name}.ipynb").is_file()}
    if not files:
        unreadable.append(Unreadable(name, _shown(folder, root), "kein Notebook der Aufgabe im Ordner"))
        return None
    return _submission(name, files, notebooks, archived, unreadable, root)


def _current(course: Course, aid: str, notebooks: list[_Notebook],
             unreadable: list[Unreadable]) -> list[Submission]:
    found = [_from_folder(student, course.submitted(student, aid), notebooks, False, unreadable, course.root)
             for student in course.students(aid)]
    return [submission for submission in found if submission is not None]


def _archived(folder: Path, aid: str, notebooks: list[_Notebook], unreadable: list[Unreadable],
              root: Path) -> list[Submission]:
    """An earlier cohort: ``<student>/<aid>/*.ipynb`` like submitted/, or any notebooks below
    ``folder``, each its own submission (matched to the assignment's notebook by name, or to the
    only one)."""
    if not folder.is_dir():
        raise CourseError(f"Archiv {folder} ist kein Ordner.")
    label = folder.name
    names = {nb.name for nb in notebooks}
    students = sorted(p.parent for p in folder.glob(f"*/{aid}") if p.is_dir())
    if students:
        found = [_from_folder(f"{label}/{student.name}", student / aid, notebooks, True, unreadable, root)
                 for student in students]
        return [submission for submission in found if submission is not None]
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        who = f"{label}/{path.relative_to(folder).with_suffix('')}"
        name = path.stem if path.stem in names else (notebooks[0].name if len(notebooks) == 1 else None)
        if name is None:
            unreadable.append(Unreadable(who, _shown(path, root), "passt zu keinem Notebook der Aufgabe"))
            continue
        submission = _submission(who, {name: path}, notebooks, True, unreadable, root)
        if submission is not None:
            found.append(submission)
    return found


# -- comparing -------------------------------------------------------------------------------------

def _fingerprint(submissions: list[Submission], notebooks: list[_Notebook], settings: Settings) -> None:
    """Each submission's fingerprints, and those that count: not in the starter code, not common."""
    printer = Fingerprinter(settings.k, settings.w, settings.k_text)
    starter = printer.all_kgrams([part for nb in notebooks for part in nb.starter])
    for submission in submissions:
        submission.fingerprints = printer.document([(p.kind, p.source) for p in submission.parts])
        submission.kept = set(submission.fingerprints.hashes) - starter
    spread = Counter(h for s in submissions for h in s.kept)
    limit = max(settings.common_floor, settings.common_share * len(submissions))
    common = {h for h, n in spread.items() if n > limit}
    for submission in submissions:
        submission.kept -= common


def _candidates(submissions: list[Submission]) -> Counter:
    """(i, j) -> shared fingerprints, from an index of who has which: never all pairs one by one."""
    holders: dict[int, list[int]] = {}
    for i, submission in enumerate(submissions):
        for h in submission.kept:
            holders.setdefault(h, []).append(i)
    shared: Counter = Counter()
    for owners in holders.values():
        if len(owners) > 1:
            shared.update(pair for pair in combinations(owners, 2)
                          if not (submissions[pair[0]].archived and submissions[pair[1]].archived))
    return shared


def _regions(fingerprints: Fingerprints, hashes: set[int]) -> dict[int, int]:
    """Token position -> region number: runs of consecutive tokens of one unit that the shared
    k-grams cover."""
    positions = sorted({p for h in hashes for kgram in fingerprints.hashes[h] for p in kgram})
    region, previous, found = -1, None, {}
    for p in positions:
        if previous is None or p != previous + 1 or fingerprints.unit[p] != fingerprints.unit[previous]:
            region += 1
        found[p], previous = region, p
    return found


def _lines(fingerprints: Fingerprints, regions: dict[int, int], number) -> dict[tuple[int, int], int]:
    """(part, line) -> the number of the region there; the lines inside a region (comments) too."""
    span: dict[tuple[int, int], list[int]] = {}  # (region, part) -> first and last line
    for p, region in regions.items():
        part, line = fingerprints.where[p]
        first, last = span.setdefault((region, part), [line, line])
        span[region, part] = [min(first, line), max(last, line)]
    marks: dict[tuple[int, int], int] = {}
    for (region, part), (first, last) in sorted(span.items()):
        for line in range(first, last + 1):
            marks.setdefault((part, line), number(region))
    return marks


def _marks(pair: Pair, hashes: set[int]) -> None:
    """Which lines of each side the shared fingerprints cover, numbered so that a region of A and
    the region of B it matches carry the same number."""
    a, b = pair.a.fingerprints, pair.b.fingerprints
    regions_a, regions_b = _regions(a, hashes), _regions(b, hashes)
    votes: Counter = Counter()
    for h in hashes:
        for ka in a.hashes[h]:
            for kb in b.hashes[h]:
                votes[regions_b[kb[0]], regions_a[ka[0]]] += 1
    partner: dict[int, int] = {}
    for (rb, ra), _ in votes.most_common():
        partner.setdefault(rb, ra)
    pair.marks_a = _lines(a, regions_a, lambda ra: ra + 1)
    pair.marks_b = _lines(b, regions_b, lambda rb: partner[rb] + 1)


def _pairs(submissions: list[Submission], settings: Settings) -> list[Pair]:
    pairs = []
    for (i, j), shared in _candidates(submissions).items():
        a, b = submissions[i], submissions[j]
        if shared < settings.min_shared:
            continue
        score = shared / min(len(a.kept), len(b.kept))
        if score < settings.threshold:
            continue
        hashes = a.kept & b.kept
        lines_a = a.fingerprints.lines(k for h in hashes for k in a.fingerprints.hashes[h])
        lines_b = b.fingerprints.lines(k for h in hashes for k in b.fingerprints.hashes[h])
        lines = min(len(lines_a), len(lines_b))
        if lines >= settings.min_lines:
            if (a.archived, a.name) > (b.archived, b.name):  # the current cohort on the left
                a, b = b, a
            pairs.append(Pair(a, b, score, shared, lines))
    pairs.sort(key=lambda p: (-p.score, -p.lines, p.a.name, p.b.name))
    for pair in pairs[:settings.detailed_pairs]:
        _marks(pair, pair.a.kept & pair.b.kept)
    return pairs


def _groups(pairs: list[Pair]) -> list[list[str]]:
    """Connected components of three or more among the flagged pairs (numbered into the pairs)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[root(pair.a.name)] = root(pair.b.name)
    members: dict[str, list[str]] = {}
    for name in list(parent):
        members.setdefault(root(name), []).append(name)
    groups = sorted((sorted(m) for m in members.values() if len(m) >= 3), key=lambda m: (-len(m), m))
    number = {name: n for n, group in enumerate(groups, 1) for name in group}
    for pair in pairs:
        pair.group = number.get(pair.a.name)
    return groups


# -- the command -----------------------------------------------------------------------------------

def similar(course: Course, aid: str, archives: list[Path] | tuple[Path, ...] = (),
            threshold: float | None = None, settings: Settings = Settings()) -> Result:
    course.check_assignment(aid)
    if threshold is not None:
        if not 0 < threshold <= 1:
            raise CourseError("--threshold muss zwischen 0 und 1 liegen (Anteil gemeinsamen Codes, z. B. 0.5).")
        settings = replace(settings, threshold=threshold)
    try:
        notebooks = _assignment(course, aid)
    except ValueError as exc:
        raise CourseError(f"{aid}: ein Notebook in source/ ist nicht lesbar: {exc}") from None
    unreadable: list[Unreadable] = []
    current = _current(course, aid, notebooks, unreadable)
    labels = [Path(folder).name for folder in archives]
    if len(set(labels)) < len(labels):  # archived submissions are named <folder name>/<student>
        raise CourseError(f"Zwei Archive heißen gleich ({', '.join(sorted(labels))}); bitte einen Ordner umbenennen.")
    archived = [s for folder in archives for s in _archived(Path(folder), aid, notebooks, unreadable, course.root)]
    if len(current) < 2 and not (current and archived):
        problems = "".join(f"\n  {u.who}: {u.path}: {u.reason}" for u in unreadable)
        raise CourseError(f"{aid}: {len(current)} lesbare Abgabe(n) in submitted/ – zum Vergleichen braucht es "
                          f"mindestens zwei (oder eine und --archive).{problems}")
    submissions = current + archived
    _fingerprint(submissions, notebooks, settings)
    pairs = _pairs(submissions, settings)
    groups = _groups(pairs)
    out = course.reports(aid)
    out.mkdir(parents=True, exist_ok=True)
    table = _write_csv(out / "similarity.csv", pairs)
    page = out / "similarity.html"
    page.write_text(_page(aid, settings, pairs, groups, unreadable, len(current), len(archived),
                          [Path(a).name for a in archives]), encoding="utf-8")
    return Result(aid, len(current), len(archived), pairs, groups, unreadable, page, table)


def _write_csv(path: Path, pairs: list[Pair]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["student_a", "student_b", "score", "shared_lines", "cluster"])
        writer.writerows([p.a.name, p.b.name, f"{p.score:.3f}", p.lines, p.group or ""] for p in pairs)
    return path


# -- the page --------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1400px;
     padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}h4{font-size:.9rem;margin:.8rem 0 .3rem;color:#444}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f6}
.meta,.note{color:#555}.archived{color:#6a4c93;font-size:.8rem}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}
.side{min-width:0}.side h5{margin:.1rem 0;font-size:.8rem;color:#333}
pre.code{margin:0;padding:.4rem 0;background:#fafafa;border:1px solid #e3e3e3;overflow-x:auto;font-size:.78rem;
         line-height:1.35}
pre.code span.line{display:block;padding:0 .5rem;white-space:pre}
pre.code span.no{display:inline-block;width:2.5em;color:#999;user-select:none}
pre.code .m1{background:#ffe08a}pre.code .m2{background:#a8e6cf}pre.code .m3{background:#ffb3c1}
pre.code .m4{background:#b5d8ff}pre.code .m5{background:#e0c3fc}pre.code .m6{background:#ffd1a6}
"""


def _who(submission: Submission) -> str:
    tag = ' <span class="archived">(Archiv)</span>' if submission.archived else ""
    return html.escape(submission.name) + tag


def _code(part: Part | None, marks: dict[tuple[int, int], int], index: int) -> str:
    if part is None:
        return '<pre class="code"><span class="line">(keine solche Zelle)</span></pre>'
    lines = []
    for number, text in enumerate(part.source.split("\n"), 1):
        region = marks.get((index, number))
        attrs = f' m{(region - 1) % 6 + 1}" title="gemeinsame Stelle {region}' if region else ""
        lines.append(f'<span class="line{attrs}"><span class="no">{number}</span>{html.escape(text)}</span>')
    return f'<pre class="code">{"".join(lines)}</pre>'


def _side_by_side(number: int, pair: Pair) -> str:
    """The cells with shared regions, A's beside B's, each region marked in one colour on both sides."""
    cells_a = {(p.notebook, p.cell): i for i, p in enumerate(pair.a.parts)}
    cells_b = {(p.notebook, p.cell): i for i, p in enumerate(pair.b.parts)}
    touched = {pair.a.parts[i] for i, _ in pair.marks_a} | {pair.b.parts[i] for i, _ in pair.marks_b}
    keys = sorted({(p.notebook, p.cell) for p in touched},
                  key=lambda key: (cells_a.get(key, len(cells_a)), cells_b.get(key, len(cells_b))))
    blocks = []
    for key in keys:
        ia, ib = cells_a.get(key), cells_b.get(key)
        left = _code(pair.a.parts[ia] if ia is not None else None, pair.marks_a, ia if ia is not None else -1)
        right = _code(pair.b.parts[ib] if ib is not None else None, pair.marks_b, ib if ib is not None else -1)
        blocks.append(f"<h4>{html.escape(key[0])} / {html.escape(key[1])}</h4>"
                      f'<div class="sides"><div class="side"><h5>{_who(pair.a)}</h5>{left}</div>'
                      f'<div class="side"><h5>{_who(pair.b)}</h5>{right}</div></div>')
    group = f", Gruppe {pair.group}" if pair.group else ""
    return (f'<article class="pair" id="paar-{number}"><h3>{number}. {_who(pair.a)} – {_who(pair.b)}: '
            f"{_percent(pair.score)} gemeinsam, {pair.lines} Zeilen{group}</h3>{''.join(blocks)}</article>")


def _percent(score: float) -> str:
    return f"{math.floor(100 * score + 0.5)}\u00a0%"


def _table(table_id: str, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _page(aid: str, settings: Settings, pairs: list[Pair], groups: list[list[str]],
          unreadable: list[Unreadable], current: int, archived: int, archives: list[str]) -> str:
    shown = pairs[:settings.detailed_pairs]
    archive_note = (f" und {archived} aus dem Archiv ({html.escape(', '.join(archives))}; nur mit dem "
                    "aktuellen Jahrgang verglichen)" if archives else "")
    meta = (f"Erstellt {datetime.now().astimezone():%d.%m.%Y %H:%M}: {current} Abgaben{archive_note}, "
            f"Schwelle {_percent(settings.threshold)}.")
    sections = []
    if pairs:
        rows = [[str(n), _who(p.a), _who(p.b), _percent(p.score), str(p.lines), str(p.group or "–"),
                 f'<a href="#paar-{n}">ansehen</a>' if n <= len(shown) else "nur in der CSV-Datei"]
                for n, p in enumerate(pairs, 1)]
        pairs_html = _table("pairs", ["Rang", "Abgabe A", "Abgabe B", "Ähnlichkeit", "gemeinsame Zeilen",
                                      "Gruppe", "Stellen"], rows, numeric={0, 3, 4})
    else:
        pairs_html = '<p id="pairs">Kein Paar über der Schwelle.</p>'
    sections.append(("Auffällige Paare", pairs_html))
    by_group: dict[int, list[Pair]] = {}
    for pair in pairs:
        if pair.group:
            by_group.setdefault(pair.group, []).append(pair)
    group_rows = [[str(n), html.escape(", ".join(members)), str(len(by_group[n])),
                   _percent(max(p.score for p in by_group[n]))] for n, members in enumerate(groups, 1)]
    sections.append(("Gruppen (drei oder mehr)", _table(
        "groups", ["Gruppe", "Abgaben", "auffällige Paare", "höchste Ähnlichkeit"], group_rows, numeric={2, 3})
        if groups else '<p id="groups">Keine Gruppe von drei oder mehr.</p>'))
    if unreadable:
        sections.append(("Nicht lesbare Notebooks (nicht verglichen)", _table(
            "unreadable", ["Abgabe", "Datei", "Grund"],
            [[html.escape(u.who), html.escape(u.path), html.escape(u.reason)] for u in unreadable])))
    if shown:
        sections.append(("Gemeinsame Stellen", "".join(_side_by_side(n, p) for n, p in enumerate(shown, 1))))
    sections.append(("So wird verglichen", (
        "<p>Verglichen wird nur, was Studierende geschrieben haben: die Lösungszellen (Code und Markdown), "
        "ohne den vorgegebenen Code. Namen, Zahlen, Texte, Kommentare, Docstrings, <code>pass</code>, "
        "<code>print</code> und die Reihenfolge der Funktionen zählen nicht; Umbenennen und Umstellen "
        f"verstecken also nichts. Aus je {settings.k} aufeinanderfolgenden Token wird ein Fingerabdruck "
        f"(Winnowing, Fenster {settings.w}); Fingerabdrücke, die mehr als "
        f"{_percent(settings.common_share)} der Abgaben (mindestens {settings.common_floor + 1}) haben, "
        "gelten als von der Aufgabe erzwungen und zählen nicht.</p>"
        "<p>Ähnlichkeit: der Anteil der Fingerabdrücke der kleineren Abgabe, den die andere auch hat. "
        f"Auffällig ist ein Paar ab der Schwelle, wenn es zudem mindestens {settings.min_shared} "
        f"Fingerabdrücke und auf jeder Seite mindestens {settings.min_lines} Zeilen teilt. Ähnlichkeit ist "
        "ein Hinweis, kein Beweis: Bitte die markierten Stellen selbst ansehen.</p>")))
    body = "".join(f"<section><h2>{html.escape(heading)}</h2>{content}</section>" for heading, content in sections)
    title = f"Ähnlichkeit der Abgaben: {aid}"
    return (f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
            f'<body><h1>{html.escape(title)}</h1><p class="meta">{meta}</p>{body}</body></html>\n')
