"""Read back the GIFT subset our writer produces, the way Moodle's importer (qformat_gift) reads it.

Follows Moodle's steps: questions are blocks between blank lines, ``//`` lines are comments (with
``[id:…]`` and ``[tag:…]``), escaped characters become placeholders before anything is split, the
first ``{`` and ``}`` delimit the answers, ``####`` starts the general feedback, and the answer text
decides the type (empty: essay, ``#``: numerical, ``~``: multichoice, ``=`` with ``->``: matching,
otherwise shortanswer). Anything Moodle would reject raises ``GiftError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPES = {"\\:": "\x01058", "\\#": "\x01035", "\\=": "\x01061", "\\{": "\x01123", "\\}": "\x01125",
            "\\~": "\x01126", "\\n": "\x01010"}
_CHARS = {"\x01058": ":", "\x01035": "#", "\x01061": "=", "\x01123": "{", "\x01125": "}", "\x01126": "~",
          "\x01010": "\n"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = ("moodle", "html", "plain", "markdown")


class GiftError(ValueError):
    pass


@dataclass
class ParsedAnswer:
    text: str
    weight: str | None      # the literal percentage between % signs; None: implied by = or ~
    correct_mark: bool      # written with "="
    feedback: str


@dataclass
class ParsedQuestion:
    category: str
    name: str
    idnumber: str
    tags: list[str]
    kind: str
    text: str
    text_format: str
    feedback: str
    single: bool = True
    answers: list[ParsedAnswer] = field(default_factory=list)
    number: str = ""
    tolerance: str = ""
    pairs: list[tuple[str, str]] = field(default_factory=list)


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\x01092")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\x01092", "\\")


def _post(text: str) -> str:
    for placeholder, char in _CHARS.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end > 0 else ""
        if name in _FORMATS:
            fmt, text = name, text[end + 1:]
    return _post(text).strip(), fmt


def _blocks(source: str) -> list[tuple[int, list[str]]]:
    blocks, current, start = [], [], 0
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse(source: str) -> list[ParsedQuestion]:
    questions, category = [], ""
    for line_no, lines in _blocks(source):
        comments = [ln.strip() for ln in lines if ln.strip().startswith("//")]
        text = "\n".join(ln for ln in lines if not ln.strip().startswith("//")).strip()
        if not text:
            continue
        where = f"Zeile {line_no}"
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = text[len("$CATEGORY:"):].strip()
            continue
        questions.append(_question(text, comments, category, where))
    return questions


def _question(text: str, comments: list[str], category: str, where: str) -> ParsedQuestion:
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(f"{where}: Fragetitel ohne schließendes '::'")
        name, text = _post(text[2:end]).strip(), text[end + 2:].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 or finish < 0 or finish < start:
        raise GiftError(f"{where} ({name}): Antwortblock {{…}} fehlt oder ist falsch geklammert")
    if finish != len(text) - 1:
        raise GiftError(f"{where} ({name}): Text nach dem Antwortblock (unescaptes '}}' im Inhalt?)")
    answer_text = text[start + 1:finish].strip()
    general = ""
    if "####" in answer_text:
        cut = answer_text.rfind("####")
        general, answer_text = answer_text[cut + 4:], answer_text[:cut].strip()
    body, fmt = _with_format(text[:start].strip())
    feedback, _ = _with_format(general.strip(), fmt)
    joined = "\n".join(comments)
    id_match = re.search(r"\[id:((?:\\]|[^\]\x00-\x1f])+)\]", joined)
    tags = [t.strip() for t in re.findall(r"\[tag:((?:\\]|[^\]<>`\x00-\x1f])+)\]", joined)]
    q = ParsedQuestion(category, name, id_match.group(1).strip() if id_match else "", tags, "", body, fmt, feedback)
    if answer_text == "":
        q.kind = "essay"
    elif answer_text[0] == "#":
        q.kind = "numerical"
        _numerical(q, answer_text[1:], where)
    elif "~" in answer_text:
        q.kind = "multichoice"
        _multichoice(q, answer_text, fmt, where)
    elif "=" in answer_text and "->" in answer_text:
        q.kind = "matching"
        _matching(q, answer_text, fmt, where)
    elif answer_text.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        raise GiftError(f"{where} ({name}): Wahr/Falsch-Fragen schreibt der Export nicht")
    else:
        q.kind = "shortanswer"
        _shortanswer(q, answer_text, fmt, where)
    return q


def _split_feedback(answer: str, fmt: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _with_format(text.strip(), fmt)[0], _with_format(feedback.strip(), fmt)[0] if feedback else ""


def _pieces(answer_text: str, sep: str) -> list[str]:
    pieces = answer_text.split(sep)
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    return [p.strip() for p in pieces]


def _multichoice(q: ParsedQuestion, answer_text: str, fmt: str, where: str) -> None:
    q.single = "=" in answer_text
    pieces = _pieces(answer_text.replace("=", "~="), "~")
    if len(pieces) < 2:
        raise GiftError(f"{where} ({q.name}): Multiple Choice braucht mindestens 2 Antworten")
    for piece in pieces:
        weight, correct = None, False
        if piece.startswith("="):
            correct, piece = True, piece[1:]
        elif _WEIGHT.match(piece):
            end = piece.index("%", 1)
            weight, piece = piece[1:end], piece[end + 1:]
        text, feedback = _split_feedback(piece, fmt)
        q.answers.append(ParsedAnswer(text, weight, correct, feedback))


def _numerical(q: ParsedQuestion, answer_text: str, where: str) -> None:
    if "~" in answer_text or "=" in answer_text or ".." in answer_text:
        raise GiftError(f"{where} ({q.name}): nur die Form #Antwort:Toleranz wird geschrieben")
    answer = answer_text.split("#")[0].strip()
    number, _, tolerance = answer.partition(":")
    for value in (number, tolerance):
        try:
            float(value)
        except ValueError:
            raise GiftError(f"{where} ({q.name}): {value!r} ist keine Zahl") from None
    q.number, q.tolerance = number.strip(), tolerance.strip()


def _matching(q: ParsedQuestion, answer_text: str, fmt: str, where: str) -> None:
    pieces = _pieces(answer_text, "=")
    if len(pieces) < 2:
        raise GiftError(f"{where} ({q.name}): Zuordnung braucht mindestens 2 Paare")
    for piece in pieces:
        if "->" not in piece:
            raise GiftError(f"{where} ({q.name}): Paar ohne '->'")
        left, _, right = piece.partition("->")
        q.pairs.append((_with_format(left.strip(), fmt)[0], _post(right).strip()))


def _shortanswer(q: ParsedQuestion, answer_text: str, fmt: str, where: str) -> None:
    for piece in _pieces(answer_text, "="):
        weight = None
        if _WEIGHT.match(piece):
            end = piece.index("%", 1)
            weight, piece = piece[1:end], piece[end + 1:]
        text, feedback = _split_feedback(piece, fmt)
        q.answers.append(ParsedAnswer(text, weight, True, feedback))
    if not q.answers:
        raise GiftError(f"{where} ({q.name}): Kurzantwort ohne Antwort")
