"""Numbers as students type them (German decimal comma) and as exports and keys print them."""

from __future__ import annotations

import math
import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


class NumberError(ValueError):
    """Input that is not a number (message German)."""


def parse_number(raw: str, unit: str | None = None) -> float:
    """``"0,25"``, ``"0.25"``, ``"1.234,5"``, ``"−3"``, ``"2,5e-3"``, optionally followed by the unit."""
    text = str(raw).strip().replace("\u2212", "-").replace("\u2013", "-")
    if unit and text.lower().endswith(unit.lower()):
        text = text[: -len(unit)].strip()
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        # both separators: the last one is the decimal separator, the other groups thousands
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise NumberError(f"„{raw}“ ist keine Zahl (Dezimalkomma oder -punkt, z. B. 0,25).") from None
    if not math.isfinite(value):
        raise NumberError(f"„{raw}“ ist keine endliche Zahl.")
    return value


def format_plain(value: float) -> str:
    """Machine-readable (GIFT, Moodle XML): a dot, no exponent for ordinary magnitudes."""
    value = float(value)
    if value == 0:
        return "0"
    if 1e-6 <= abs(value) < 1e15:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
        # keep significant digits of small values that the fixed format would cut
        if float(text) == float(f"{value:.12g}"):
            return text
    return f"{value:.12g}"


def format_de(value: float, digits: int = 6) -> str:
    """For people: decimal comma, at most ``digits`` significant digits, no float noise."""
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}".replace(".", ",")
