"""Figures in Arabic and English text, as values that can be compared across languages.

A summarizer or a translator that changes «3.5 مليار» into "3.5 million", or drops the «15%»
of a sentence, changes a fact. To notice, both sides must be read into one form:
:func:`extract_numbers` finds every figure of a text and gives it a canonical ``value``:

- digits of both scripts (Western, Arabic-Indic «٣», Extended «۳»); decimals with «.» or «٫»
  (or «,» before one or two digits, the French habit of Maghreb papers); thousands with
  «,» «٬» or, in two or more groups, «.» («1.000.000»): all give ``"3.5"``, ``"1000000"``;
- a scale word after a figure or a number word: «3.5 مليار», "3.5 billion", "3.5bn",
  «ثلاثة ملايين», "three million", «مئة ألف» → ``"3500000000"``, ``"3000000"``, ``"100000"``;
- Arabic number words with their clitics («وخمسة», «بثلاثة», «السادسة»): 1–10, the teens,
  the tens, hundreds («مئة مائة مئتين ثلاثمئة»), «ألف آلاف ألفين مليون ملايين مليار …»,
  compounds joined by «و» («خمسة وعشرون», «الحادي والعشرين»); English words one–ninety,
  hundred, thousand, million, billion, trillion, hyphenated compounds ("twenty-seven");
- ordinals («السادسة», "sixth", "30th", "World War II") as their number, kind ``ordinal``;
- percentages: «%», «٪» (before or after the figure), «بالمئة», «في المائة», "percent",
  "per cent", "pct" → ``"15%"``;
- dates: «30/10», «30/10/2022», «3 أبريل/نيسان», «4 تموز», "July 4", "4th of July" →
  ``"30/10"`` (day/month; the year, when written, is a mention of its own); times "10:30";
- months with no day, in every regional naming («في أبريل», «نيسان», «أفريل», «شتنبر»,
  "in May") → ``"m4"``; Hijri months («رمضان», "Ramadan") → ``"h9"`` (:mod:`.figures.calendar`);
- decades («التسعينيات», «ستينيات القرن العشرين», "the 1990s", "mid-1970s") → ``"90s"``,
  ``"1960s"``, ``"1990s"``;
- fractions («نصف ثلث ثلثي ربع ثلاثة أرباع», "half", "a third", "two-thirds", "a quarter");
- vague quantities («عشرات آلاف ملايين», "dozens", "thousands", «عشرات الآلاف»,
  "tens of thousands") as an order of magnitude: ``"~10000"``, kind ``approximate``.

A range («2022-2024», "from 3 to 4") gives one mention per end. Signs are ignored. Digits
glued to Latin letters are codes or names ("G20", "5G", "COVID-19", "F-16") and are not
figures; their check belongs to :mod:`summarize.trust.names`.

Spelled-out one and two (and the ordinals first and second) are *weak*: Arabic says "the two
countries" with a dual («البلدين») and "one of" with «أحد», so an English "two" or "first"
with no Arabic number word behind it is normal. Weak mentions support other figures but are
never reported as missing or added (see :mod:`summarize.trust.checks`).

The scanner lives in :mod:`summarize.trust.figures` (tokens, word tables as data, and one part
each for figures written with digits and with words); this module is its front.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summarize.text.fold import fold_digits
from summarize.trust.figures.mention import NumberMention
from summarize.trust.figures.scan_digits import DigitScanner
from summarize.trust.figures.scan_words import WordScanner

__all__ = ["NumberMention", "code_numbers", "extract_numbers", "figure_keys"]

_CODE = re.compile(r"(?<![\w])[A-Za-z]+-?(\d+)(?![\d.,])|(?<![\w.,])(\d+)-?[A-Za-z]+(?![\w])")


class _Scanner(DigitScanner, WordScanner):
    """The whole scanner: one pass, each token handed to the part that reads what starts there."""

    def run(self) -> list[NumberMention]:
        i = 0
        while i < len(self.toks):
            kind = self.toks[i].kind
            if kind == "num":
                i = self.digits(i)
            elif kind == "word":
                i = self.words(i)
            else:
                i += 1
        return self.out


def extract_numbers(text: str) -> list[NumberMention]:
    """Every figure in ``text`` (Arabic, English or both), in order, with its canonical value."""
    return _Scanner(text).run()


def figure_keys(mentions: Iterable[NumberMention]) -> frozenset[str]:
    """The union of the mentions' keys: what a text offers to support another's figures."""
    keys: set[str] = set()
    for m in mentions:
        keys |= m.keys
    return frozenset(keys)


def code_numbers(text: str) -> frozenset[str]:
    """The digits of the codes and names of a text ("F1", "G20", "COVID-19", "5G"): not
    figures, but they support a figure of the other side («الفورمولا 1» ↔ "F1")."""
    return frozenset(str(int(a or b)) for a, b in _CODE.findall(fold_digits(text)))
