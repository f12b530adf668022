"""Run-on "sentences": where a models' unit ends inside text that has no sentence stop.

Regional copy runs bullet lists together with « - » or «•», glues a sub-heading and its colon to
the next sentence, and chains clauses with «،» for three hundred words. The splitter rightly
finds no sentence end there; but a summary line or a translation unit of 300 words is useless.
A sentence over :data:`RUN_ON_WORDS` words is cut for the models at its strongest internal
boundaries, strongest first: bullets, a spaced dash run, a colon after a short label, «؛»,
«،», then words. A list (two or more bullets or dashes) is cut at every item; anything else is
cut in the middle of its strongest boundaries until each piece is short enough. Pure: the
pieces tile the text exactly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["RUN_ON_WORDS", "LIST_RULES", "Cut", "run_on_cuts", "split_run_on"]

RUN_ON_WORDS = 80
"""Past this many words a sentence is a run-on: it is cut into pieces for the models."""
LIST_RULES = frozenset({"bullet", "dash-run"})
"""Cuts that separate the items of a list: such pieces are list items, not sentences."""
_MIN_PIECE_WORDS = 6

# Each tier: (rule, pattern of the place a piece starts). Bullets and dashes start the next
# piece; punctuation ends the piece before it.
_BULLET = re.compile(r"(?<=\s)(?:[•●▪■◆]+|\*+)(?=\s|\S)")
_DASH = re.compile(r"(?<=\s)[-–—](?=\s)")
_ANY_DASH = re.compile(r"(?<=\s)[-–—]|[-–—](?=\s)")
_ASIDE_MAX_WORDS = 5
_COLON = re.compile(r"[:：]\s+")
_SEMICOLON = re.compile(r"[؛;]\s+")
_COMMA = re.compile(r"[،,]\s+")
_WORD = re.compile(r"\s+(?=\S)")
_TOKEN = re.compile(r"\S+")
_LABEL_WINDOW = 120  # a label is at most six words: look no further back for its opening
_LABEL_MAX_WORDS = 6
# «قال الوزير: …» is not a label: a verb of saying before the colon introduces a quotation.
_SAYING = re.compile(r"(?:^|\s)[وف]?(?:قال|قالت|أضاف|أضافت|أكد|أكدت|أوضح|أوضحت|يقول|تقول|ذكر|ذكرت)")


@dataclass(frozen=True)
class Cut:
    """Where a piece of a run-on sentence starts (``offset`` in its text), and why there."""

    offset: int
    rule: str


def _words(text: str) -> int:
    return len(text.split())


def _quoted(text: str, places: list[int]) -> set[int]:
    """The PLACES (sorted) that sit inside an open «» or "" pair, in one pass over TEXT."""
    inside: set[int] = set()
    straight = opened = at = 0
    for place in places:
        straight += text.count('"', at, place)
        opened += text.count("«", at, place) - text.count("»", at, place)
        at = place
        if straight % 2 == 1 or opened > 0:
            inside.add(place)
    return inside


def _dash_cuts(text: str) -> list[int]:
    """Spaced dashes that start an item: not in a range («2015 - 2016»), a quoted name («عيدنا -
    عيدين») or a pair around an aside («حمله - رعاه الله - تحياته», «- رحمه الله-»)."""
    every = [m.start() for m in _ANY_DASH.finditer(text)]
    asides: set[int] = set()
    for a, b in zip(every, every[1:], strict=False):
        if len(text[a + 1 : b].split(maxsplit=_ASIDE_MAX_WORDS)) <= _ASIDE_MAX_WORDS:
            asides |= {a, b}
    spaced = [m.start() for m in _DASH.finditer(text)]
    quoted = _quoted(text, spaced)
    out = []
    for d in spaced:
        before, after = text[max(0, d - 2) : d].rstrip()[-1:], text[d + 1 : d + 3].lstrip()[:1]
        if d in asides or d in quoted or (before.isdigit() and after.isdigit()):
            continue
        out.append(d)
    return out


def _label_cuts(text: str) -> list[int]:
    """A colon after a short label that opens the text or follows a stop, bullet or dash
    («الموقف الأمريكي: …»), not after a verb of saying («قال الوزير: …»)."""
    out = []
    for m in _COLON.finditer(text):
        window = text[max(0, m.start() - _LABEL_WINDOW) : m.start()]
        label = re.split(r"[.!?؟؛:•*]|\s[-–—]\s", window)[-1]
        if len(label) == len(window) and m.start() > _LABEL_WINDOW:
            continue  # no opening within reach: a long clause, not a label
        if (
            1 <= _words(label) <= _LABEL_MAX_WORDS
            and not _SAYING.search(label)
            and "،" not in label
        ):
            out.append(m.end())
    return out


class _Run:
    """One run-on text, its word starts and its candidate cuts by tier, worked out once: the
    cuts are then found by bisection, so a text of any length costs about n log n."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [m.start() for m in _TOKEN.finditer(text)]
        self.tiers = [
            ("bullet", [m.start() for m in _BULLET.finditer(text)]),
            ("dash-run", _dash_cuts(text)),
            ("label-colon", _label_cuts(text)),
            ("semicolon", [m.end() for m in _SEMICOLON.finditer(text)]),
            ("comma-chain", [m.end() for m in _COMMA.finditer(text)]),
            ("words", [m.end() for m in _WORD.finditer(text)]),
        ]

    def words(self, lo: int, hi: int) -> int:
        """How many words start in text[lo:hi]."""
        return bisect.bisect_left(self.starts, hi) - bisect.bisect_left(self.starts, lo)

    def usable(self, cuts: list[int], lo: int, hi: int, rule: str) -> list[int]:
        """The cuts inside text[lo:hi] that leave enough words on each side: a list item or a
        label may be short, a piece of a clause chain may not."""
        least = 1 if rule in LIST_RULES or rule == "label-colon" else _MIN_PIECE_WORDS
        inside = cuts[bisect.bisect_right(cuts, lo) : bisect.bisect_left(cuts, hi)]
        return [c for c in inside if self.words(lo, c) >= least and self.words(c, hi) >= least]

    def cut(self, lo: int, hi: int, max_words: int) -> list[Cut]:
        if self.words(lo, hi) <= max_words:
            return []
        for rule, cuts in self.tiers:
            usable = self.usable(cuts, lo, hi, rule)
            if not usable:
                continue
            if rule in LIST_RULES and len(usable) >= 2:  # a list: every item on its own
                bounds = [lo, *usable, hi]
                found = [Cut(c, rule) for c in usable]
                for a, b in zip(bounds, bounds[1:], strict=False):
                    found += self.cut(a, b, max_words)
                return sorted(found, key=lambda c: c.offset)
            middle = self.words(lo, hi) / 2
            best = min(usable, key=lambda c: abs(self.words(lo, c) - middle))
            return [
                *self.cut(lo, best, max_words),
                Cut(best, rule),
                *self.cut(best, hi, max_words),
            ]
        return []


def run_on_cuts(text: str, max_words: int = RUN_ON_WORDS) -> list[Cut]:
    """Where the pieces of TEXT start, when it is longer than MAX_WORDS words; else none."""
    if len(text.split(maxsplit=max_words)) <= max_words:
        return []
    return _Run(text).cut(0, len(text), max_words)


def split_run_on(text: str, max_words: int = RUN_ON_WORDS) -> list[tuple[str, str]]:
    """TEXT as (piece, rule) pairs that tile it exactly; the rule is the cut's before the piece
    (``""`` for the first piece, and for a text that is not a run-on)."""
    cuts = run_on_cuts(text, max_words)
    bounds = [0, *(c.offset for c in cuts), len(text)]
    rules = ["", *(c.rule for c in cuts)]
    return [(text[a:b], r) for a, b, r in zip(bounds[:-1], bounds[1:], rules, strict=True)]
