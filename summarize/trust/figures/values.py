"""Figures as exact values: a digit chunk read (thousands and decimal separators of both
habits), and a value written as a short canonical decimal."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

__all__ = ["NUMBER_RUN", "ORDINAL_SUFFIXES", "Found", "canon", "plain_value"]
# Values


def canon(value: Fraction) -> str:
    """A figure as a short exact decimal: 3500000000, 3.5, 0.25; thirds to three places."""
    if value.denominator == 1:
        return str(value.numerator)
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:  # a repeating decimal: 1/3, 2/3
        return f"{float(value):.3f}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def plain_value(chunk: str) -> Fraction | None:
    """The value of a digit chunk with no «/» or «:», or None when it is several figures."""
    if _THOUSANDS_COMMA.fullmatch(chunk):
        return Fraction(chunk.replace(",", ""))
    if _THOUSANDS_DOT.fullmatch(chunk):
        return Fraction(chunk.replace(".", "").replace(",", "."))
    if _DECIMAL.fullmatch(chunk):
        return Fraction(chunk)
    if _DECIMAL_COMMA.fullmatch(chunk):
        return Fraction(chunk.replace(",", "."))
    return None


class Found(NamedTuple):
    value: str
    kind: str
    last: int  # index of the last token of the mention
    weak: bool = False


ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
NUMBER_RUN = re.compile(r"\d+")
