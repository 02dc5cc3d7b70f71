"""Write Moodle XML from export items; no third-party writer.

Texts are HTML inside CDATA (``]]>`` split across sections), attributes are XML-quoted, weights come
from ``_weights.ALLOWED`` only, numerical tolerances are absolute (Moodle's ``<tolerance>``).
"""

from __future__ import annotations

import re
from typing import Callable
from xml.sax.saxutils import quoteattr

from ._items import Item, category
from ._model import BankError
from ._numbers import format_plain

# characters XML 1.0 forbids even inside CDATA
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _answer(answer, fmt: str) -> str:
    return "\n".join([f"    <answer fraction={quoteattr(answer.fraction)} format=\"{fmt}\">",
                      f"      <text>{cdata(answer.text)}</text>",
                      _text("feedback", answer.feedback, indent="      "),
                      "    </answer>"])


def _text(tag: str, text: str, fmt: str | None = "html", indent: str = "    ") -> str:
    attr = f" format={quoteattr(fmt)}" if fmt else ""
    return f"{indent}<{tag}{attr}><text>{cdata(text)}</text></{tag}>"


def write(items: list[Item], category_of: Callable[[Item], str] | None = None) -> str:
    """The whole quiz file; categories per topic unless ``category_of`` names one per item (exams)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- Fragenbank Deep Learning (graders): erzeugt mit `graders bank export`; Änderungen in bank/. -->",
           "<quiz>"]
    current = None
    for item in items:
        path = category_of(item) if category_of else category(item.topic)
        if path != current:
            out += ['  <question type="category">',
                    f"    <category><text>{cdata(path)}</text></category>",
                    '    <info format="html"><text></text></info>',
                    "  </question>"]
            current = path
        out += _question(item)
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def _question(item: Item) -> list[str]:
    kind = item.kind
    lines = [f"  <question type={quoteattr(kind)}>",
             f"    <name><text>{cdata(item.name)}</text></name>",
             _text("questiontext", item.text),
             _text("generalfeedback", item.feedback),
             "    <defaultgrade>1</defaultgrade>",
             "    <penalty>0</penalty>",
             "    <hidden>0</hidden>",
             f"    <idnumber>{cdata(item.idnumber)}</idnumber>"]
    if kind == "multichoice":
        lines += [f"    <single>{'true' if item.single else 'false'}</single>",
                  "    <shuffleanswers>true</shuffleanswers>",
                  "    <answernumbering>abc</answernumbering>"]
        lines += [_answer(answer, "html") for answer in item.answers]
    elif kind == "numerical":
        lines += ['    <answer fraction="100" format="moodle_auto_format">',
                  f"      <text>{format_plain(item.number)}</text>",
                  f"      <tolerance>{format_plain(item.tolerance)}</tolerance>",
                  _text("feedback", "", indent="      "),
                  "    </answer>",
                  "    <unitgradingtype>0</unitgradingtype>",
                  "    <unitpenalty>0.1000000</unitpenalty>",
                  "    <showunits>3</showunits>",
                  "    <unitsleft>0</unitsleft>"]
    elif kind == "shortanswer":
        lines.append("    <usecase>0</usecase>")
        lines += [_answer(answer, "moodle_auto_format") for answer in item.answers]
    elif kind == "essay":
        lines += ["    <responseformat>editor</responseformat>",
                  "    <responserequired>1</responserequired>",
                  "    <responsefieldlines>10</responsefieldlines>",
                  "    <attachments>0</attachments>",
                  "    <attachmentsrequired>0</attachmentsrequired>",
                  _text("graderinfo", item.grader_info),
                  _text("responsetemplate", "")]
    elif kind == "matching":
        lines.append("    <shuffleanswers>true</shuffleanswers>")
        for left, right in item.pairs:
            lines += ['    <subquestion format="html">',
                      f"      <text>{cdata(left)}</text>",
                      f"      <answer><text>{cdata(right)}</text></answer>",
                      "    </subquestion>"]
    else:
        raise BankError(f"{item.name}: Typ {kind} ist für Moodle XML nicht vorgesehen.")
    tags = [item.topic.key, item.question.type]
    lines += ["    <tags>"] + [f"      <tag><text>{cdata(t)}</text></tag>" for t in tags] + ["    </tags>",
                                                                                       "  </question>"]
    return lines
