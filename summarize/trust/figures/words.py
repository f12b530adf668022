"""The word tables of the figure extractor, as data: Arabic and English number words with
their role in a figure, months (Gregorian under every regional name, Levantine two-word
names), percent words, scale abbreviations and Roman numerals. Arabic entries are written
naturally and folded once at import."""

from __future__ import annotations

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

MONTHS: dict[str, int] = {
    **{fold(w): n for n, ws in enumerate(
        (
            "", "يناير جانفي", "فبراير فيفري شباط", "مارس آذار", "أبريل ابريل إبريل أفريل نيسان",
            "مايو ماي أيار", "يونيو يونيه جوان حزيران", "يوليو يوليه جويلية تموز",
            "أغسطس اغسطس أوت آب", "سبتمبر أيلول", "أكتوبر اكتوبر", "نوفمبر", "ديسمبر",
        )
    ) for w in ws.split()},
    **{m.casefold(): n + 1 for n, m in enumerate(
        "January February March April May June July August September October November December".split()
    )},
}  # fmt: skip
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTHS.update(MONTH_ABBREVIATIONS)
# Levantine months named with an ordinal: «كانون الثاني» is January, not the figure 2.
TWO_WORD_MONTHS = {
    (fold("كانون"), fold("الثاني")): 1,
    (fold("تشرين"), fold("الأول")): 10,
    (fold("تشرين"), fold("الثاني")): 11,
    (fold("كانون"), fold("الأول")): 12,
}
MONTH_STEMS = frozenset({*(k for k in MONTHS if not k.isascii()), fold("كانون"), fold("تشرين")})
PERCENT_WORDS = frozenset(fold(w) for w in ("بالمئة", "بالمائة", "بالمية", "percent", "pct"))
PERCENT_AFTER_FI = frozenset(fold(w) for w in ("المئة", "المائة"))
FI = fold("في")
WA = "و"


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
            if stem in AR_WORDS:
                return AR_WORDS[stem], prefix
    return None


def word_entry(tok: Tok) -> tuple[Entry, str] | None:
    if tok.kind != "word":
        return None
    if tok.key.isascii():
        entry = EN_WORDS.get(tok.key)
        return (entry, "") if entry else None
    return arabic_entry(tok.key)
