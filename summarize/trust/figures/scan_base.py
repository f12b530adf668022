"""The scanner's shared part: token access, emitting a mention, and what may follow a figure
(a month, a percent sign or word, a scale word)."""

from __future__ import annotations

from fractions import Fraction

from summarize.trust.figures.mention import NumberMention
from summarize.trust.figures.tokens import Tok, adjacent, tokens
from summarize.trust.figures.values import NUMBER_RUN, Found, canon
from summarize.trust.figures.words import (
    FI,
    MONTH_ABBREVIATIONS,
    MONTH_STEMS,
    MONTHS,
    PERCENT_AFTER_FI,
    PERCENT_WORDS,
    SCALE_ABBREVIATIONS,
    TWO_WORD_MONTHS,
    word_entry,
)

__all__ = ["ScannerBase"]


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

    def month_at(self, i: int) -> tuple[int, int] | None:
        """(month, index of its last token) when a month name starts at token i."""
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
        last = i
        slash, other = self.next_adjacent(last), self.tok(last + 2)
        if slash is not None and slash.text == "/" and other is not None:
            if other.start == slash.end and other.key in MONTHS:
                last += 2  # «أبريل/نيسان»: one month under two names
        dot = self.tok(last + 1)
        if (
            key in MONTH_ABBREVIATIONS
            and dot is not None
            and dot.text == "."
            and dot.start == t.end
        ):
            last += 1  # "Oct."
        return MONTHS[key], last

    def month_after(self, i: int) -> tuple[int, int] | None:
        """A month name after token i, straight or behind "of" ("4th of July")."""
        nxt = self.next_adjacent(i)
        if nxt is None:
            return None
        if nxt.key == "of":
            return self.month_at(i + 2) if self.next_adjacent(i + 1) is not None else None
        return self.month_at(i + 1)

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
