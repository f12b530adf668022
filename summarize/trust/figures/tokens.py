"""Tokens of a text for the figure scanner: digit runs, words and single symbols, with their
offsets in the original text (digits of every script read as ASCII)."""

from __future__ import annotations

import re
from typing import NamedTuple

from summarize.text.fold import fold_digits
from summarize.trust._cache import folded

__all__ = ["LATIN", "Tok", "adjacent", "tokens"]
# Tokens

_MARK_CHARS = "\u064b-\u065f\u0670\u0640"
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,:/]\d+)*)"
    rf"|(?P<word>(?:[^\W\d_]|[{_MARK_CHARS}])+)"
    r"|(?P<sym>\S)"
)
LATIN = re.compile(r"[A-Za-z]")


class Tok(NamedTuple):
    kind: str  # "num", "word" or "sym"
    text: str  # digits folded to ASCII for "num", as written otherwise
    key: str  # folded (fold()) for words, = text otherwise
    start: int
    end: int


def tokens(text: str) -> list[Tok]:
    digits = fold_digits(text)  # one character for one: offsets stay valid
    out = []
    for m in _TOKEN.finditer(digits):
        kind = m.lastgroup or "sym"
        piece = m.group()
        key = folded(piece) if kind == "word" else piece
        out.append(Tok(kind, piece, key, m.start(), m.end()))
    return out


def adjacent(text: str, a: Tok, b: Tok) -> bool:
    """Whether tokens a and b (consecutive) are on one line: a figure never runs across lines."""
    return "\n" not in text[a.end : b.start]
