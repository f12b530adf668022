"""The word tables of the figure extractor, as data: Arabic and English number words with
their role in a figure, months (Gregorian under every regional name, Levantine two-word
names), percent words, scale abbreviations and Roman numerals. Arabic entries are written
naturally and folded once at import."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import NamedTuple

from summarize.text.fold import fold
from summarize.trust.figures.tokens import Tok

# Vocabularies. Arabic entries are written naturally and folded once at import.


class Entry(NamedTuple):
    role: str  # see the list of roles above AR_WORDS
    value: Fraction
    ordinal: bool = False


def _folded(pairs: Iterable[tuple[str, Entry]]) -> dict[str, Entry]:
    return {fold(word): entry for word, entry in pairs}


def _entries(
    role: str, value: int | Fraction, words: str, *, ordinal: bool = False
) -> list[tuple[str, Entry]]:
    entry = Entry(role, Fraction(value), ordinal)
    return [(w, entry) for w in words.split()]


# Units are listed with their accusative «سبعاً» (the tanwin folds away: «سبعا»).
# role: unit (1-9, 10), teen (the عشر of 11-19), tens, hundred (x100), hundreds (a literal
# 200-900), scale (x1000 ...), scales (plural: x1000 after a number, vague alone), dual (a
# literal 2000, 2000000 ...), approx (vague alone: عشرات), compound_unit (أحد: only in 11, 21 …),
# frac (1/d, or n/d after a number), fracs (plural: n/d after a number), half (ونصف).
AR_WORDS = _folded(
    [
        *_entries("unit", 1, "واحد واحدة واحدا"),
        *_entries("compound_unit", 1, "أحد إحدى احدى حادي حادية"),
        *_entries("unit", 2, "اثنان اثنين اثنتان اثنتين اثنا اثنتا إثنان إثنين"),
        *_entries("unit", 3, "ثلاث ثلاثة ثلاثا"),
        *_entries("unit", 4, "أربع أربعة أربعا"),
        *_entries("unit", 5, "خمس خمسة خمسا"),
        *_entries("unit", 6, "ست ستة ستا"),
        *_entries("unit", 7, "سبع سبعة سبعا"),
        *_entries("unit", 8, "ثمان ثماني ثمانية ثمانيا"),
        *_entries("unit", 9, "تسع تسعة تسعا"),
        *_entries("unit", 10, "عشرة"),
        *_entries("teen", 10, "عشر عشرا"),
        *_entries("tens", 20, "عشرون عشرين"),
        *_entries("tens", 30, "ثلاثون ثلاثين"),
        *_entries("tens", 40, "أربعون أربعين"),
        *_entries("tens", 50, "خمسون خمسين"),
        *_entries("tens", 60, "ستون ستين"),
        *_entries("tens", 70, "سبعون سبعين"),
        *_entries("tens", 80, "ثمانون ثمانين"),
        *_entries("tens", 90, "تسعون تسعين"),
        *_entries("hundred", 100, "مئة مائة"),
        *_entries("hundreds", 200, "مئتان مئتين مائتان مائتين مئتا مائتا مئتي مائتي"),
        *[
            (f"{unit}{h}", Entry("hundreds", Fraction(100 * n)))
            for n, unit in enumerate(
                ("", "", "", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")
            )
            if n >= 3
            for h in ("مئة", "مائة")
        ],
        *_entries("scale", 1000, "ألف ألفا"),  # ألفاً: after 11-99 (the tanwin is folded away)
        *_entries("scales", 1000, "آلاف ألوف"),
        *_entries("dual", 2000, "ألفان ألفين ألفي"),
        *_entries("scale", 10**6, "مليون مليونا"),
        *_entries("scales", 10**6, "ملايين"),
        *_entries("dual", 2 * 10**6, "مليونان مليونين مليوني"),
        *_entries("scale", 10**9, "مليار بليون مليارا"),
        *_entries("scales", 10**9, "مليارات بلايين"),
        *_entries("dual", 2 * 10**9, "ملياران مليارين ملياري"),
        *_entries("scale", 10**12, "تريليون ترليون"),
        *_entries("scales", 10**12, "تريليونات ترليونات"),
        *_entries("approx", 10, "عشرات"),
        *_entries("approx", 100, "مئات"),
        *_entries("unit", 1, "أول الأول أولى الأولى", ordinal=True),
        *_entries("unit", 2, "ثاني ثانية", ordinal=True),
        *_entries("unit", 3, "ثالث ثالثة", ordinal=True),
        *_entries("unit", 4, "رابع رابعة", ordinal=True),
        *_entries("unit", 5, "خامس خامسة", ordinal=True),
        *_entries("unit", 6, "سادس سادسة", ordinal=True),
        *_entries("unit", 7, "سابع سابعة", ordinal=True),
        *_entries("unit", 8, "ثامن ثامنة", ordinal=True),
        *_entries("unit", 9, "تاسع تاسعة", ordinal=True),
        *_entries("unit", 10, "عاشر عاشرة", ordinal=True),
        *_entries("frac", 2, "نصف"),
        *_entries("frac", 3, "ثلث"),
        *_entries("frac", 4, "ربع"),
        *_entries("fracs", 4, "أرباع"),
        *[(w, Entry("fraction", Fraction(2, 3))) for w in ("ثلثي", "ثلثا")],
    ]
)
# Words that look like number words behind a clitic but are not: «لست» (I am not),
# «الاثنين» (Monday).
AR_NOT_NUMBERS = frozenset(
    fold(w) for w in ("لست", "ولست", "فلست", "الاثنين", "والاثنين", "بالاثنين")
)
AR_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")

_EN_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
_EN_ORDINAL_TENS = (
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
)
EN_WORDS: dict[str, Entry] = {
    **{w: Entry("unit", Fraction(i + 1)) for i, w in enumerate(_EN_UNITS)},
    **{w: Entry("tens", Fraction(20 + 10 * i)) for i, w in enumerate(_EN_TENS)},
    **{w: Entry("unit", Fraction(i + 1), True) for i, w in enumerate(_EN_ORDINAL_UNITS)},
    **{w: Entry("tens", Fraction(20 + 10 * i), True) for i, w in enumerate(_EN_ORDINAL_TENS)},
    "hundred": Entry("hundred", Fraction(100)),
    "hundredth": Entry("hundred", Fraction(100), True),
    "thousand": Entry("scale", Fraction(1000)),
    "thousandth": Entry("scale", Fraction(1000), True),
    "million": Entry("scale", Fraction(10**6)),
    "millionth": Entry("scale", Fraction(10**6), True),
    "billion": Entry("scale", Fraction(10**9)),
    "trillion": Entry("scale", Fraction(10**12)),
    "thousands": Entry("scales", Fraction(1000)),
    "millions": Entry("scales", Fraction(10**6)),
    "billions": Entry("scales", Fraction(10**9)),
    "trillions": Entry("scales", Fraction(10**12)),
    "dozen": Entry("unit", Fraction(12)),
    "dozens": Entry("approx", Fraction(10)),
    "tens": Entry("approx", Fraction(10)),
    "hundreds": Entry("approx", Fraction(100)),
    "half": Entry("frac", Fraction(2)),
    "thirds": Entry("fracs", Fraction(3)),
    "quarter": Entry("frac", Fraction(4)),
    "quarters": Entry("fracs", Fraction(4)),
}
# "third" after "a" or "one" is a fraction, elsewhere an ordinal.
EN_FRACTION_ORDINALS = {"third": 3, "fourth": 4, "fifth": 5}
EN_ARTICLES = frozenset({"a", "an"})
# Scale abbreviations glued to digits or right after them: 3.5bn, 12m is left out (metres).
SCALE_ABBREVIATIONS = {"bn": 10**9, "mn": 10**6, "mln": 10**6, "tn": 10**12}
# No XI: "XI JINPING" in a headline is a name.
ROMAN = {
    "II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "XII": 12,
    "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18, "XIX": 19, "XX": 20,
}  # fmt: skip

PERCENT_WORDS = frozenset(
    fold(w)
    for w in ("بالمئة", "بالمائة", "بالمية", "فالمئة", "فالمائة", "فالمية", "percent", "pct")
)  # «فالمائة»: the Maghreb contraction of «في المائة»
PERCENT_AFTER_FI = frozenset(fold(w) for w in ("المئة", "المائة"))
FI = fold("في")
MIN = fold("من")
WA = "و"


HUNDRED_SPELLING = re.compile("م[\u064b-\u065f\u0670]*[ئا]")
# The tens as decades: «التسعينيات», «تسعينات»; "the nineties".
_TENS_STEMS = {20: "عشرين", 30: "ثلاثين", 40: "أربعين", 50: "خمسين", 60: "ستين", 70: "سبعين",
               80: "ثمانين", 90: "تسعين"}  # fmt: skip
AR_DECADES = {
    fold(stem + ending): tens for tens, stem in _TENS_STEMS.items() for ending in ("يات", "ات")
}
EN_DECADES = {
    w: 20 + 10 * n
    for n, w in enumerate(
        "twenties thirties forties fifties sixties seventies eighties nineties".split()
    )
}
# «ستينيات القرن العشرين» (the 1960s), «القرن التاسع عشر» (the 1800s).
CENTURY_WORDS = frozenset(fold(w) for w in ("القرن", "للقرن"))
CENTURIES = {fold("العشرين"): 19, fold("الماضي"): 19, fold("التاسع"): 18, fold("الحادي"): 20}
# Number words of other languages inside names: "Roma Tre", "Les Trois Mousquetaires".
FOREIGN_NUMBERS = {
    w: n
    for n, ws in enumerate(
        ("", "", "due dos deux zwei", "tre tres trois drei", "quattro cuatro quatre vier",
         "cinque cinco cinq", "sei seis", "sette siete", "otto ocho huit acht", "nove nueve neuf",
         "dieci diez dix zehn"),
    )
    for w in ws.split()
}  # fmt: skip


def arabic_entry(key: str) -> tuple[Entry, str] | None:
    """The number-word entry of a folded Arabic word, and the clitic prefix it carried.

    The article may follow the prefix («والعشرين», «للثالث»); it is not part of the prefix.
    """
    if key in AR_NOT_NUMBERS or key in PERCENT_WORDS:
        return None
    for prefix in AR_PREFIXES:
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix) :]
        stems = [rest]
        if rest.startswith("ال"):
            stems.append(rest[2:])
        if prefix in ("", "و", "ف") and rest.startswith("لل"):
            stems.append(rest[2:])  # ل + ال written «لل»
        for stem in stems:
            entry = AR_WORDS.get(stem)
            if entry is not None and (entry.ordinal or "ك" not in prefix):
                return entry, prefix  # «ك» only before an ordinal: «كأول», not «كمية»
    return None


def word_entry(tok: Tok) -> tuple[Entry, str] | None:
    if tok.kind != "word":
        return None
    if tok.key.isascii():
        entry = EN_WORDS.get(tok.key)
        return (entry, "") if entry else None
    found = arabic_entry(tok.key)
    if found is not None and found[0].value % 100 == 0 and found[0].value < 1000:
        # «مئة», «مائتين», «مئات» are written with the hamza or the alef: «كميات» (amounts),
        # «ميتي» (Metti), «ميتا» (Meta) fold to the same letters and are no figures
        if not HUNDRED_SPELLING.search(tok.text):
            return None
    return found


def decade_of(key: str) -> int | None:
    """The tens of a decade word: «التسعينيات», «وستينات», "nineties" → 90."""
    if key.isascii():
        return EN_DECADES.get(key)
    for prefix in ("", "و", "ف", "ب", "ل", "وب", "ول"):
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix) :]
        rest = rest[2:] if rest.startswith("ال") else rest
        if rest in AR_DECADES:
            return AR_DECADES[rest]
    return None
