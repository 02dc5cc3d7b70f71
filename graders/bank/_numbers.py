"""Numbers as students type them and read them: the one German number formatter and the one parser.

Everything a student sees (question texts, explanations, grading feedback, answer keys, exports for
people) goes through ``format_de``: decimal comma (``{,}`` inside LaTeX, so no space follows it),
at most the significant digits asked for, no float noise, thousands grouped by a narrow space from
10 000 on (never by a dot: ``5.400`` would be ambiguous). Machine formats (GIFT, Moodle XML) use
``format_plain``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
# 1-3 digits, then groups of three after dots, no comma: "5.400", "12.345.678"
_DOT_GROUPS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
_NARROW = "\u202f"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# "7,45 · 10⁻⁹", "7,45*10^-9", "7.45 × 10**-9": as explanations print it and as people type it
_POWER_OF_TEN = re.compile(r"^(?P<mantissa>.+?)\s*[·×*xX]\s*10\s*(?:\^|\*\*)?\s*\(?"
                           r"(?P<exponent>[-+⁻⁺]?[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+)\)?$")
DIGITS = 6


class NumberError(ValueError):
    """Input that is not a number (message German)."""


class AmbiguousNumber(NumberError):
    """``5.400``: a thousands dot (5400) or a decimal point (5,4)? ``readings`` holds both."""

    def __init__(self, raw: str, readings: tuple[float, float]):
        self.readings = readings
        grouped, decimal = (format_de(r) for r in readings)
        super().__init__(f"„{raw.strip()}“ ist mehrdeutig: {grouped} (Punkt als Tausendertrennzeichen) oder "
                         f"{decimal} (Punkt als Dezimaltrennzeichen)? Schreib {grouped} ohne Punkt oder "
                         f"{decimal} mit Komma.")


def parse_number(raw: str, unit: str | None = None) -> float:
    """``"0,25"``, ``"0.25"``, ``"1.234,5"``, ``"12 345"``, ``"−3"``, ``"2,5e-3"``, optionally followed by the unit.

    ``"5.400"`` raises ``AmbiguousNumber`` (the drill asks back, non-interactive grading refuses);
    ``"12.345.678"`` can only be grouped thousands.
    """
    text = str(raw).strip().replace("\u2212", "-").replace("\u2013", "-")
    if unit and text.lower().endswith(unit.lower()):
        text = text[: -len(unit)].strip()
    power = _POWER_OF_TEN.match(text)
    if power:
        mantissa = parse_number(power.group("mantissa"))
        return mantissa * 10.0 ** int(power.group("exponent").translate(_FROM_SUPERSCRIPT))
    text = _SPACES.sub("", text)
    if _DOT_GROUPS.match(text):
        if text.count(".") == 1:
            raise AmbiguousNumber(str(raw), (float(text.replace(".", "")), float(text)))
        text = text.replace(".", "")
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


def format_de(value: float, digits: int | None = DIGITS, *, decimals: int | None = None, math_mode: bool = False) -> str:
    """For people: decimal comma, at most ``digits`` significant digits or ``decimals`` decimals, no float noise.

    Trailing zeros go; integers stay integers; ``math_mode`` writes LaTeX (``0{,}5``, ``12\\,345``).
    """
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if decimals is not None:
        value = round(value, decimals)
    elif digits is not None and value != 0:
        # significant digits thin out decimals only: 13124211 stays whole
        value = round(value, max(0, digits - 1 - math.floor(math.log10(abs(value)))))
    if value == 0:
        return "0"
    if abs(value) < 1e-6 or abs(value) >= 1e15:
        mantissa, exponent = f"{value:.{(digits or DIGITS) - 1}e}".split("e")
        mantissa = _german(mantissa.rstrip("0").rstrip("."), math_mode)
        exponent = str(int(exponent))
        return f"{mantissa} \\cdot 10^{{{exponent}}}" if math_mode else f"{mantissa} · 10{exponent.translate(_SUPERSCRIPT)}"
    # shortest text that reads back as this (already rounded) value: no 0.30000000000000004
    text = f"{value:.15f}".rstrip("0").rstrip(".")
    for places in range(16):
        candidate = f"{value:.{places}f}"
        if float(candidate) == value:
            text = candidate
            break
    return _german(text, math_mode)


def _german(text: str, math_mode: bool) -> str:
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    if len(whole) > 4:
        groups = [whole[max(0, i - 3):i] for i in range(len(whole), 0, -3)][::-1]
        whole = ("\\," if math_mode else _NARROW).join(groups)
    comma = "{,}" if math_mode else ","
    return sign + whole + (comma + fraction if fraction else "")


def germanize(formatted: str, math_mode: bool = False) -> str:
    """A number Python already formatted (``f"{x:.3f}"``) in German."""
    return _german(formatted, math_mode)


@dataclass(frozen=True)
class Precision:
    """The digits a question asks for: ``decimals`` places or ``digits`` significant digits."""

    decimals: int | None = None
    digits: int | None = None

    def format(self, value: float, math_mode: bool = False) -> str:
        return format_de(value, self.digits, decimals=self.decimals, math_mode=math_mode)

    def shown_digits(self, text: str) -> bool:
        """Whether a number as shown (German or plain) keeps within this precision."""
        cleaned = text.replace("{,}", ",").replace("\\,", "").replace(_NARROW, "").lstrip("-")
        whole, _, fraction = cleaned.replace(",", ".").partition(".")
        if not fraction:
            return True   # whole numbers are exact, however many digits
        if self.decimals is not None:
            return len(fraction) <= self.decimals
        return len((whole + fraction).lstrip("0")) <= (self.digits or DIGITS)

    def describe(self) -> str:
        if self.decimals is not None:
            return f"{self.decimals} Nachkommastellen"
        return f"{self.digits} signifikante Stellen"
