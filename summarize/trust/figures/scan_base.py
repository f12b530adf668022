"""The scanner's shared part: token access, emitting a mention, and what may follow a figure
(a month, a percent sign or word, a scale word)."""

from __future__ import annotations

from fractions import Fraction

from summarize.text.fold import fold
from summarize.trust.figures.calendar import (
    AMBIGUOUS_MONTHS,
    EN_MONTH_CONTEXT,
    MONTH_ABBREVIATIONS,
    MONTH_CONTEXT_AFTER,
    MONTH_CONTEXT_BEFORE,
    MONTH_STEMS,
    MONTHS,
    TWO_WORD_MONTHS,
)
from summarize.trust.figures.mention import NumberMention
from summarize.trust.figures.tokens import Tok, adjacent, tokens
from summarize.trust.figures.values import NUMBER_RUN, Found, canon
from summarize.trust.figures.words import (
    FI,
    MIN,
    PERCENT_AFTER_FI,
    PERCENT_WORDS,
    SCALE_ABBREVIATIONS,
    word_entry,
)

__all__ = ["ScannerBase", "date_value"]


def date_value(day: int | Fraction, month: str) -> str:
    """A date's value: ``3/4`` for 3 April (day/month), ``3/h9`` for 3 Ramadan."""
    return f"{day}/{month[1:]}" if month.startswith("m") else f"{day}/{month}"


class ScannerBase:
    """One left-to-right pass over the tokens; each method returns the next token index."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokens(text)
        self.out: list[NumberMention] = []

    # -- helpers over tokens ------------------------------------------------------------------

    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def next_adjacent(self, i: int) -> Tok | None:
        """Token i+1 when it is on the same line as token i (tokens are only space apart)."""
        a, b = self.tok(i), self.tok(i + 1)
        if a is None or b is None or not adjacent(self.text, a, b):
            return None
        return b

    def emit(self, first: int, found: Found) -> int:
        start, end = self.toks[first].start, self.toks[found.last].end
        self.out.append(
            NumberMention(self.text[start:end], found.value, found.kind, start, end, found.weak)
        )
        return found.last + 1

    def emit_parts(self, tok: Tok) -> None:
        """«2019,2020», «100/200», «1.2.3»: each digit run a figure of its own."""
        for m in NUMBER_RUN.finditer(tok.text):
            start, end = tok.start + m.start(), tok.start + m.end()
            self.out.append(
                NumberMention(
                    self.text[start:end], canon(Fraction(m.group())), "number", start, end
                )
            )

    def month_at(self, i: int, *, dated: bool = False) -> tuple[str, int] | None:
        """(month value, index of its last token) when a month name starts at token i.

        A name that is also a common word («مارس», "May") counts only when DATED (a day
        before it) or with a word of time or a year around it (:mod:`.calendar`).
        """
        t = self.tok(i)
        if t is None or t.kind != "word":
            return None
        key = t.key
        if not key.isascii() and key[:1] in "وفبل" and key[1:] in MONTH_STEMS:
            key = key[1:]  # «وكانون الثاني», «وأكتوبر»
        nxt = self.next_adjacent(i)
        if nxt is not None and (key, nxt.key) in TWO_WORD_MONTHS:
            return TWO_WORD_MONTHS[(key, nxt.key)], i + 1
        if key not in MONTHS or (key.isascii() and not t.text[:1].isupper()):
            return None  # English month names only capitalized: "may", "march" are verbs
        if key == fold("آب") and "آ" not in t.text:
            return None  # «أب», «اب»: father
        last = self.other_name(i)
        if key in AMBIGUOUS_MONTHS and not dated and not self.time_around(i, last):
            return None
        dot = self.tok(last + 1)
        if (
            key in MONTH_ABBREVIATIONS
            and dot is not None
            and dot.text == "."
            and dot.start == t.end
        ):
            last += 1  # "Oct."
        return MONTHS[key], last

    def other_name(self, i: int) -> int:
        """The last token of «أبريل/نيسان» or «أبريل (نيسان)»: one month under two names."""
        first, second, third = self.next_adjacent(i), self.tok(i + 2), self.tok(i + 3)
        if first is None or second is None or second.key not in MONTHS:
            return i
        if first.text == "/" and second.start == first.end:
            return i + 2
        if first.text == "(" and third is not None and third.text == ")":
            return i + 3
        return i

    def time_around(self, first: int, last: int) -> bool:
        """Whether a month name at tokens FIRST..LAST has a word of time before it («في»,
        «شهر», "in", "since") or a year, a day or «الماضي» after it."""
        before, after = self.tok(first - 1), self.next_adjacent(last)
        words = EN_MONTH_CONTEXT if self.toks[first].key.isascii() else MONTH_CONTEXT_BEFORE
        if before is not None and adjacent(self.text, before, self.toks[first]):
            if before.key.casefold() in words or self.is_month_name(first - 1):
                return True  # «في آب», "in May", «حزيران وآب»
            if before.key in ("to", "and", "-", "–", "or") and self.is_month_name(first - 2):
                return True  # "June to August"
        if after is None:
            return False
        return (after.kind == "num" and after.text.isdigit()) or after.key in MONTH_CONTEXT_AFTER

    def is_month_name(self, i: int) -> bool:
        t = self.tok(i)
        if t is None or t.kind != "word":
            return False
        key = t.key if t.key.isascii() else t.key.lstrip("وفبل")
        return key in MONTHS or t.key in MONTHS

    def month_after(self, i: int) -> tuple[str, int] | None:
        """A month name after token i (a day), straight or behind "of" ("4th of July") or
        «من» («الثالث من أبريل»)."""
        nxt = self.next_adjacent(i)
        if nxt is None:
            return None
        if nxt.key in ("of", MIN):
            return (
                self.month_at(i + 2, dated=True) if self.next_adjacent(i + 1) is not None else None
            )
        return self.month_at(i + 1, dated=True)

    def percent_after(self, i: int) -> int | None:
        """Index of the last token of a percent sign or word right after token i."""
        nxt = self.next_adjacent(i)
        if nxt is None:
            return None
        if nxt.text in ("%", "٪") or nxt.key in PERCENT_WORDS:
            return i + 1
        after = self.next_adjacent(i + 1)
        if after is not None and (
            (nxt.key == FI and after.key in PERCENT_AFTER_FI)
            or (nxt.key == "per" and after.key == "cent")
        ):
            return i + 2
        return None

    def scale_after(self, i: int) -> tuple[int, int] | None:
        """(multiplier, index) of a scale word right after figure i ("million", «مليار»)."""
        nxt = self.next_adjacent(i)
        if nxt is None or nxt.kind != "word":
            return None
        if nxt.key in SCALE_ABBREVIATIONS:
            return SCALE_ABBREVIATIONS[nxt.key], i + 1
        found = word_entry(nxt)
        if found is None:
            return None
        entry, prefix = found
        if prefix or entry.ordinal or entry.role not in ("scale", "scales", "hundred"):
            return None
        return int(entry.value), i + 1

    def maybe_percent(self, found: Found) -> Found:
        pct = self.percent_after(found.last)
        if pct is None:
            return found
        return Found(found.value + "%", "percent", pct)
