"""Month names as data: the Gregorian months under every regional Arabic naming, the Hijri
months, their English names, and the words that make an ambiguous name a month.

Gregorian months have four Arabic namings, all in CLDR (``tests/test_trust_months.py``
checks this table against Babel's ``ar``, ``ar_SY``, ``ar_IQ``, ``ar_DZ``, ``ar_TN`` and
``ar_MA`` locales): Egyptian and Gulf «أبريل», Levantine and Iraqi «نيسان» (two words for four
months: «كانون الثاني», «تشرين الأول» …), Algerian and Tunisian «أفريل», Moroccan «أبريل»
with «يوليوز غشت شتنبر نونبر دجنبر». A month's value is ``m4`` (April); a Hijri month's ``h9``
(Ramadan), so that the two calendars never match each other.
"""

from __future__ import annotations

from summarize.text.fold import fold

__all__ = [
    "AMBIGUOUS_MONTHS",
    "EN_MONTH_CONTEXT",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_CONTEXT_AFTER",
    "MONTH_CONTEXT_BEFORE",
    "MONTH_STEMS",
    "TWO_WORD_MONTHS",
    "month_value",
]

_GREGORIAN_AR = (
    "يناير جانفي",
    "فبراير فيفري شباط",
    "مارس آذار",
    "أبريل ابريل إبريل أفريل نيسان",
    "مايو ماي أيار",
    "يونيو يونيه جوان حزيران",
    "يوليو يوليه جويلية يوليوز تموز",
    "أغسطس اغسطس أوت آب غشت",
    "سبتمبر أيلول شتنبر",
    "أكتوبر اكتوبر",
    "نوفمبر نونبر",
    "ديسمبر دجنبر",
)
_GREGORIAN_EN = (
    "January February March April May June July August September October November December"
).split()
# Hijri months of one word; the two-word ones are in TWO_WORD_MONTHS.
_HIJRI_AR = {1: "محرم المحرم", 2: "صفر", 7: "رجب", 8: "شعبان", 9: "رمضان", 10: "شوال"}
_HIJRI_EN = {
    1: "muharram", 2: "safar", 3: "rabi", 5: "jumada", 7: "rajab", 8: "shaban sha'ban",
    9: "ramadan ramadhan ramazan", 10: "shawwal", 11: "qadah qidah qa'dah", 12: "hijjah",
}  # fmt: skip
# Rabi and Jumada: the English second word tells which of the pair; both read as the first.

MONTHS: dict[str, str] = {
    **{fold(w): f"m{n}" for n, ws in enumerate(_GREGORIAN_AR, 1) for w in ws.split()},
    **{m.casefold(): f"m{n}" for n, m in enumerate(_GREGORIAN_EN, 1)},
    **{fold(w): f"h{n}" for n, ws in _HIJRI_AR.items() for w in ws.split()},
    **{w: f"h{n}" for n, ws in _HIJRI_EN.items() for w in ws.split()},
}
MONTH_ABBREVIATIONS = {
    "jan": "m1", "feb": "m2", "aug": "m8", "sept": "m9", "sep": "m9", "oct": "m10",
    "nov": "m11", "dec": "m12",
}  # fmt: skip
MONTHS.update(MONTH_ABBREVIATIONS)


def _pairs(first: str, seconds: dict[str, str]) -> dict[tuple[str, str], str]:
    return {(fold(first), fold(second)): value for second, value in seconds.items()}


# Months named with two words: Levantine ones with an ordinal («كانون الثاني» is January, not
# the figure 2) and the Hijri pairs.
TWO_WORD_MONTHS: dict[tuple[str, str], str] = {
    **_pairs("كانون", {"الثاني": "m1", "الأول": "m12"}),
    **_pairs("تشرين", {"الأول": "m10", "الثاني": "m11"}),
    # Rabi I and II, Jumada I and II: one value each pair, as the English "Rabi" is read.
    **_pairs("ربيع", {"الأول": "h3", "الثاني": "h3", "الآخر": "h3"}),
    **_pairs("جمادى", {"الأولى": "h5", "الأول": "h5", "الآخرة": "h5", "الثانية": "h5"}),
    **_pairs("ذو", {"القعدة": "h11", "الحجة": "h12"}),
    **_pairs("ذي", {"القعدة": "h11", "الحجة": "h12"}),
}
MONTH_STEMS = frozenset(
    {*(k for k in MONTHS if not k.isascii()), *(first for first, _ in TWO_WORD_MONTHS)}
)

# Names that are also common words or names: «مارس» (he practised), «آب» folds to «أب»
# (father), «صفر» (zero), «رمضان» and «شعبان» (given names), "May" (the verb), "March"
# (a march). Each is a month only with a day, a year, or a word of time around it.
AMBIGUOUS_MONTHS = frozenset(
    {
        *(fold(w) for w in "مارس آب ماي أيار تموز صفر محرم رجب شعبان رمضان شوال جوان".split()),
        "may",
        "march",
        "august",
        "safar",
        "rajab",
        "jumada",
        "rabi",
    }
)
MONTH_CONTEXT_BEFORE = frozenset(
    fold(w)
    for w in (
        "في وفي شهر لشهر بشهر وشهر منذ حتى خلال من بداية نهاية أواخر أوائل منتصف مطلع أول آخر "
        "قبل بعد إلى الى"
    ).split()
)
MONTH_CONTEXT_AFTER = frozenset(
    fold(w) for w in "الماضي المقبل القادم الحالي الجاري المنصرم الفائت".split()
)
EN_MONTH_CONTEXT = frozenset(
    "in of since until till by early late mid last next this from through during before after "
    "between".split()
)


def month_value(key: str) -> str | None:
    """``m4`` for a folded (Arabic) or casefolded (English) month name, None otherwise."""
    return MONTHS.get(key)
