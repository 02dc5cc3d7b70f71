"""Read bank/ into the model and check each question against its type's keys (bank/FORMAT.md)."""

from __future__ import annotations

import math
import re
import uuid as uuidlib
from pathlib import Path

import yaml

from .._topics import read_topics
from ._model import TYPES, Bank, BankError, Choice, Question, Tolerance

QID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COMMON = {"schema", "uuid", "type", "difficulty", "source", "text", "feedback"}
OPTIONAL = {"exam_question", "exam_only"}
REQUIRED = {
    "single": {"answers"}, "multiple": {"answers"}, "numeric": {"answer", "tolerance"},
    "parameterized": {"tolerance"}, "text": {"accepted", "sample_answer", "review"},
    "ordering": {"items"}, "matching": {"pairs"},
}
OPTIONAL_BY_TYPE = {"numeric": {"unit"}, "parameterized": {"unit"}}
TOLERANCE_KINDS = ("abs", "rel", "sigfigs")
# libyaml's loader is ten times faster on the ~460 files; same result as yaml.safe_load
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Invalid(Exception):
    """One problem of one question (German), collected by ``read_bank``."""


def load_bank(root: Path) -> Bank:
    """The whole bank; a ``BankError`` lists every problem (``graders bank validate`` explains more)."""
    bank, problems = read_bank(root)
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  … und {len(problems) - 20} weitere" if len(problems) > 20 else ""
        raise BankError(f"Die Fragenbank {root} hat Fehler (graders bank validate):\n{shown}{more}")
    return bank


def read_bank(root: Path) -> tuple[Bank, list[str]]:
    """The readable part of the bank and the problems of the rest (lenient, for validation)."""
    root = Path(root)
    problems: list[str] = []
    topics = read_topics(root / "topics.yaml")
    known = {t.key for t in topics}
    questions: list[Question] = []
    order = {t.key: i for i, t in enumerate(topics)}
    folders = sorted((p.parent for p in root.glob("*/*/question.yaml")),
                     key=lambda f: (order.get(f.parent.name, len(order)), f.parent.name, f.name))
    for folder in folders:
        where = f"{folder.parent.name}/{folder.name}"
        try:
            if folder.parent.name not in known:
                raise _Invalid(f"Thema {folder.parent.name!r} steht nicht in topics.yaml")
            questions.append(_read_question(folder))
        except _Invalid as exc:
            problems.append(f"{where}: {exc}")
    for topic_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        for folder in sorted(p for p in topic_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            if not (folder / "question.yaml").is_file():
                problems.append(f"{topic_dir.name}/{folder.name}: question.yaml fehlt")
    bank = Bank(root, tuple(topics), tuple(questions))
    return bank, problems + check_unique(bank)


def _read_question(folder: Path) -> Question:
    try:
        data = yaml.load((folder / "question.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _Invalid(f"question.yaml ist kein lesbares YAML ({exc})") from None
    if not isinstance(data, dict):
        raise _Invalid("question.yaml enthält kein Mapping")
    qtype = data.get("type")
    if qtype not in TYPES:
        raise _Invalid(f"unbekannter Typ {qtype!r} (erlaubt: {', '.join(TYPES)})")
    required = COMMON | REQUIRED[qtype]
    missing = sorted(required - set(data))
    unknown = sorted(set(data) - required - OPTIONAL - OPTIONAL_BY_TYPE.get(qtype, set()))
    if missing:
        raise _Invalid(f"Schlüssel fehlen für Typ {qtype}: {', '.join(missing)}")
    if unknown:
        raise _Invalid(f"unbekannte Schlüssel für Typ {qtype}: {', '.join(unknown)}")
    if data["schema"] != 1:
        raise _Invalid(f"schema muss 1 sein, ist {data['schema']!r}")
    qid = folder.name
    if not QID.match(qid):
        raise _Invalid("qid (Ordnername) nur aus Kleinbuchstaben, Ziffern und '-'")
    has_generator = (folder / "generator.py").is_file()
    if has_generator != (qtype == "parameterized"):
        raise _Invalid("generator.py gehört zu genau den Fragen vom Typ parameterized")
    if data["difficulty"] not in (1, 2, 3) or isinstance(data["difficulty"], bool):
        raise _Invalid("difficulty muss 1, 2 oder 3 sein")
    common = dict(qid=qid, topic=folder.parent.name, uuid=_uuid(data["uuid"]), type=qtype,
                  difficulty=int(data["difficulty"]), source=_text(data, "source"), text=_text(data, "text"),
                  feedback=_text(data, "feedback"), folder=folder, exam_question=_flag(data, "exam_question"),
                  exam_only=_flag(data, "exam_only"), data=data)
    return Question(**common, **_PARTS[qtype](data))


def _uuid(value) -> str:
    try:
        parsed = uuidlib.UUID(str(value))
    except ValueError:
        raise _Invalid(f"uuid {value!r} ist keine UUID") from None
    if parsed.version != 4 or str(parsed) != str(value):
        raise _Invalid(f"uuid {value!r} ist keine kleingeschriebene UUID4")
    return str(parsed)


def _text(data: dict, key: str, *, allow_empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _Invalid(f"{key} muss ein nicht leerer Text sein")
    return value


def _flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _Invalid(f"{key} muss true oder false sein")
    return value


def _choices(data: dict) -> dict:
    answers = data["answers"]
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        raise _Invalid("answers muss eine Liste von {text, correct, feedback} sein")
    choices = []
    for i, answer in enumerate(answers, 1):
        if set(answer) != {"text", "correct", "feedback"}:
            raise _Invalid(f"Antwort {i}: genau die Schlüssel text, correct, feedback")
        if not isinstance(answer["correct"], bool):
            raise _Invalid(f"Antwort {i}: correct muss true oder false sein")
        choices.append(Choice(_text(answer, "text"), answer["correct"], _text(answer, "feedback")))
    correct = sum(c.correct for c in choices)
    if data["type"] == "single" and not (correct == 1 and 3 <= len(choices) <= 5):
        raise _Invalid(f"single braucht genau 1 richtige von 3–5 Antworten (hat {correct} von {len(choices)})")
    if data["type"] == "multiple" and not (correct >= 1 and 4 <= len(choices) <= 6):
        raise _Invalid(f"multiple braucht mind. 1 richtige von 4–6 Antworten (hat {correct} von {len(choices)})")
    if len({c.text for c in choices}) != len(choices):
        raise _Invalid("zwei Antworten haben denselben Text")
    return {"choices": tuple(choices)}


def _tolerance(data: dict) -> Tolerance:
    tol = data["tolerance"]
    if not isinstance(tol, dict) or len(tol) != 1 or next(iter(tol)) not in TOLERANCE_KINDS:
        raise _Invalid("tolerance braucht genau einen von abs, rel, sigfigs")
    kind, value = next(iter(tol.items()))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _Invalid(f"tolerance.{kind} muss eine positive Zahl sein")
    if kind == "sigfigs" and (not isinstance(value, int) or value > 15):
        raise _Invalid("tolerance.sigfigs muss eine ganze Zahl von 1 bis 15 sein")
    return Tolerance(kind, float(value))


def _unit(data: dict) -> str | None:
    unit = data.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise _Invalid("unit muss ein Text sein")
    return unit


def _numeric(data: dict) -> dict:
    answer = data["answer"]
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        raise _Invalid("answer muss eine endliche Zahl sein")
    return {"answer": float(answer), "tolerance": _tolerance(data), "unit": _unit(data)}


def _parameterized(data: dict) -> dict:
    return {"tolerance": _tolerance(data), "unit": _unit(data)}


def _free_text(data: dict) -> dict:
    accepted = data["accepted"]
    if not isinstance(accepted, list) or not accepted or not all(isinstance(a, str) and a for a in accepted):
        raise _Invalid("accepted muss eine nicht leere Liste regulärer Ausdrücke sein")
    for pattern in accepted:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise _Invalid(f"accepted: {pattern!r} ist kein gültiger regulärer Ausdruck ({exc})") from None
    return {"accepted": tuple(accepted), "sample_answer": _text(data, "sample_answer"),
            "review": _flag(data, "review")}


def _ordering(data: dict) -> dict:
    items = data["items"]
    if not isinstance(items, list) or len(items) < 2 or not all(isinstance(i, str) and i.strip() for i in items):
        raise _Invalid("items muss eine Liste von mind. 2 Texten sein")
    if len(set(items)) != len(items):
        raise _Invalid("items enthält einen Schritt doppelt")
    return {"items": tuple(items)}


def _matching(data: dict) -> dict:
    pairs = data["pairs"]
    if (not isinstance(pairs, list) or len(pairs) < 2
            or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
                       for p in pairs)):
        raise _Invalid("pairs muss eine Liste von mind. 2 Paaren [links, rechts] aus Texten sein")
    if len({left for left, _ in pairs}) != len(pairs):
        raise _Invalid("pairs: jede linke Seite darf nur einmal vorkommen")
    return {"pairs": tuple((left, right) for left, right in pairs)}


_PARTS = {"single": _choices, "multiple": _choices, "numeric": _numeric, "parameterized": _parameterized,
          "text": _free_text, "ordering": _ordering, "matching": _matching}


def check_unique(bank: Bank) -> list[str]:
    """uuids and qids appear once in the whole bank."""
    problems = []
    for attr, label in (("uuid", "uuid"), ("qid", "qid")):
        seen: dict[str, str] = {}
        for q in bank.questions:
            value = getattr(q, attr)
            if value in seen:
                problems.append(f"{q.topic}/{q.qid}: {label} {value} schon bei {seen[value]}")
            else:
                seen[value] = f"{q.topic}/{q.qid}"
    return problems
