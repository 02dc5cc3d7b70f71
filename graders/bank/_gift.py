"""Write GIFT (Moodle's plain-text import format) from export items; no third-party writer.

Every text goes out as ``[html]``; ``\\ ~ = # { } :`` are escaped with a backslash and line breaks as
``\\n``, so a question is one block without blank lines and the first unescaped ``}`` closes it.
"""

from __future__ import annotations

from ._items import Item, category
from ._model import BankError
from ._numbers import format_plain

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _html(text: str) -> str:
    return "[html]" + escape(text)


def _feedback(text: str) -> str:
    return f"#{_html(text)}" if text else ""


def write(items: list[Item]) -> str:
    lines = ["// Fragenbank Deep Learning (graders), GIFT-Export.",
             "// Erzeugt mit `graders bank export --format gift`; Änderungen gehören in bank/.", ""]
    current = None
    for item in items:
        path = category(item.topic)
        if path != current:
            lines += [f"$CATEGORY: {path}", ""]
            current = path
        lines += _question(item) + [""]
    return "\n".join(lines)


def _question(item: Item) -> list[str]:
    # Moodle reads [id:…] and [tag:…] from the comment lines of a question
    head = [f"// [id:{item.idnumber}] [tag:{item.topic.key}] [tag:{item.question.type}]",
            f"::{escape(item.name)}::{_html(item.text)}{{"]
    general = item.feedback
    if item.kind == "multichoice":
        body = []
        for answer in item.answers:
            if item.single:
                mark = "=" if answer.fraction == "100" else "~"
            else:
                # "=" would make Moodle treat it as single choice: every weight goes after "~"
                mark = "~" if answer.fraction == "0" else f"~%{answer.fraction}%"
            body.append(f"\t{mark}{_html(answer.text)}{_feedback(answer.feedback)}")
    elif item.kind == "numerical":
        body = [f"\t#{format_plain(item.number)}:{format_plain(item.tolerance)}"]
    elif item.kind == "shortanswer":
        body = [f"\t={escape(answer.text)}" for answer in item.answers]
    elif item.kind == "essay":
        # GIFT has no grader information: the sample answer goes into the general feedback
        body = []
        general = "\n".join(part for part in (item.grader_info, item.feedback) if part)
    elif item.kind == "matching":
        body = []
        for left, right in item.pairs:
            if "->" in left:
                raise BankError(f"{item.name}: '->' in einer linken Seite ist in GIFT nicht darstellbar.")
            body.append(f"\t={_html(left)} -> {escape(right)}")
    else:
        raise BankError(f"{item.name}: Typ {item.kind} ist für GIFT nicht vorgesehen.")
    tail = [f"\t####{_html(general)}"] if general else []
    return head + body + tail + ["}"]
