"""``graders bank export``: the bank (or some topics) as GIFT, Moodle XML, Anki package or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from . import _anki, _gift, _items, _jsondump, _moodle
from ._model import Bank, BankError

FORMATS = ("gift", "moodle-xml", "anki", "json")
SUFFIX = {"gift": ".gift.txt", "moodle-xml": ".xml", "anki": ".apkg", "json": ".json"}


def export(bank: Bank, fmt: str, out: Path, topics: list[str] | None = None,
           variants: int = _items.VARIANTS) -> int:
    """Write ``out`` in ``fmt``; returns how many questions (Moodle/Anki: concrete ones) it holds."""
    if fmt not in FORMATS:
        raise BankError(f"Unbekanntes Format {fmt!r} (möglich: {', '.join(FORMATS)}).")
    selected = bank.select(topics)
    if not selected.questions:
        raise BankError("Keine Fragen zu exportieren.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "anki":
        return _anki.write(selected, out, variants)
    if fmt == "json":
        document = _jsondump.dump(selected, variants)
        out.write_text(json.dumps(document, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        return len(document["questions"])
    items = _items.items(selected, variants)
    writer = _gift.write if fmt == "gift" else _moodle.write
    out.write_text(writer(items), encoding="utf-8")
    return len(items)
