"""The scanner's part for figures written with digits: plain, glued to a suffix ("30th",
"3.5bn"), slashed dates, clock times, and what follows them."""

from __future__ import annotations

import re
from fractions import Fraction

from summarize.trust.figures.scan_base import ScannerBase, date_value
from summarize.trust.figures.tokens import LATIN, Tok
from summarize.trust.figures.values import ORDINAL_SUFFIXES, Found, canon, plain_value
from summarize.trust.figures.words import SCALE_ABBREVIATIONS

__all__ = ["DigitScanner"]

DECADE_SUFFIX = re.compile(r"['’]?s\b")
WORD_BEFORE_HYPHEN = re.compile(r"([^\W\d_]+)-$")
MAGHREB_DECIMAL = "ر"


class DigitScanner(ScannerBase):
    """Figures that start with a digit token."""

    def digits(self, i: int) -> int:
        t = self.toks[i]
        before = self.text[max(0, t.start - 2) : t.start]
        if LATIN.fullmatch(before[-1:]) or (before[-1:] == "-" and self.code_before(t)):
            return i + 1  # G20, COVID-19, F-16, «كوفيد-19»: a name, not a figure
        decade = DECADE_SUFFIX.match(self.text, t.end)
        if decade is not None and t.text.isdigit() and int(t.text) % 10 == 0:
            # "1990s", "1990's", "the '60s", "mid-1970s"
            if len(t.text) == 4 or (len(t.text) == 2 and before[-1:] in "'’"):
                last = i
                while last + 1 < len(self.toks) and self.toks[last + 1].start < decade.end():
                    last += 1
                return self.emit(i, Found(f"{t.text}s", "decade", last))
        glued = self.tok(i + 1)
        if glued is not None and glued.start == t.end and LATIN.match(glued.text):
            return self.glued_suffix(i, glued)
        if "/" in t.text:
            return self.slashed(i)
        if ":" in t.text:
            return self.clock(i)
        value = plain_value(t.text)
        if value is None:
            self.emit_parts(t)
            return i + 1
        percent_first = before[-1:] in ("%", "٪") and not before[:1].isdigit()  # «%15»
        comma, frac = self.tok(i + 1), self.tok(i + 2)
        if (
            comma is not None
            and frac is not None
            and comma.text == MAGHREB_DECIMAL
            and comma.start == t.end
            and frac.start == comma.end
            and t.text.isdigit()
            and frac.text.isdigit()
        ):
            value = Fraction(f"{t.text}.{frac.text}")  # «5ر5»: 5.5 in Maghreb papers
            return self.emit(i, self.after_figure(i + 2, value, percent_first=percent_first))
        return self.emit(i, self.after_figure(i, value, percent_first=percent_first))

    def code_before(self, t: Tok) -> bool:
        """Whether the word before a hyphen glued to figure T makes it a code ("COVID-19",
        "F-16", «كوفيد-19») rather than a figure ("mid-1962", "pre-2011", "over-65s")."""
        word = WORD_BEFORE_HYPHEN.search(self.text, 0, t.start)
        if word is None:
            return False
        return not (word.group(1).isascii() and word.group(1).islower() and len(word.group(1)) > 1)

    def after_figure(self, i: int, value: Fraction, *, percent_first: bool = False) -> Found:
        """What follows a figure: a percent sign, a scale word, a month, or nothing."""
        pct = self.percent_after(i)
        if pct is not None or percent_first:
            return Found(canon(value) + "%", "percent", i if pct is None else pct)
        scale = self.scale_after(i)
        if scale is not None:
            multiplier, last = scale
            return self.maybe_percent(Found(canon(value * multiplier), "number", last))
        if value.denominator == 1 and 1 <= value <= 31:
            month = self.month_after(i)
            if month is not None:
                return Found(date_value(value, month[0]), "date", month[1])
        digits = self.toks[i].text
        kind = (
            "year" if len(digits) == 4 and digits.isdigit() and 1900 <= value <= 2100 else "number"
        )
        return Found(canon(value), kind, i)

    def glued_suffix(self, i: int, glued: Tok) -> int:
        """Latin letters glued to a figure: 30th, the 1990s, 3.5bn; anything else is a name."""
        value = plain_value(self.toks[i].text)
        suffix = glued.key
        if value is None:
            return i + 2
        if suffix in ORDINAL_SUFFIXES and value.denominator == 1:
            month = self.month_after(i + 1)
            if month is not None and 1 <= value <= 31:
                return self.emit(i, Found(date_value(value, month[0]), "date", month[1]))
            return self.emit(i, Found(canon(value), "ordinal", i + 1))
        if suffix == "s" and value.denominator == 1:
            return self.emit(i, Found(canon(value), "number", i + 1))  # "the over-65s"
        if suffix in SCALE_ABBREVIATIONS:
            found = Found(canon(value * SCALE_ABBREVIATIONS[suffix]), "number", i + 1)
            return self.emit(i, self.maybe_percent(found))
        return i + 2  # 5G, 3D

    def slashed(self, i: int) -> int:
        t = self.toks[i]
        parts = t.text.split("/")
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            day, month = int(parts[0]), int(parts[1])
            if 1 <= day <= 31 and 1 <= month <= 12:
                value = f"{day}/{month}" + (f"/{int(parts[2])}" if len(parts) == 3 else "")
                return self.emit(i, Found(value, "date", i))
        self.emit_parts(t)
        return i + 1

    def clock(self, i: int) -> int:
        t = self.toks[i]
        parts = t.text.split(":")
        if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[1]) == 2:
            if int(parts[0]) <= 24 and int(parts[1]) < 60:
                return self.emit(i, Found(f"{int(parts[0])}:{parts[1]}", "time", i))
        self.emit_parts(t)
        return i + 1
