"""Figures in Arabic and English text (summarize.trust.numbers): any way of writing a figure
gives one comparable value, and text with no figure gives nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from summarize.text import normalize
from summarize.text.fold import fold
from summarize.trust.numbers import NumberMention, extract_numbers, figure_keys
from tests.trust_support import CICA, QATAR, SAMPLES

KINDS = {
    "number",
    "year",
    "percent",
    "date",
    "month",
    "decade",
    "time",
    "ordinal",
    "fraction",
    "approximate",
}
ARABIC_INDIC = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")
EXTENDED = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def values(text: str) -> list[str]:
    return [m.value for m in extract_numbers(text)]


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in extract_numbers(text)]


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


# --- digits -------------------------------------------------------------------------------


@given(
    n=st.integers(min_value=0, max_value=10**13),
    sep=st.sampled_from(["", ",", "٬"]),
    script=st.sampled_from(["western", "arabic", "extended"]),
    context=st.sampled_from(["بلغ عدد السكان {} نسمة", "{}", "The population reached {} people."]),
)
def test_any_integer_in_any_script_with_separators_round_trips(
    n: int, sep: str, script: str, context: str
) -> None:
    written = grouped(n, sep) if sep else str(n)
    if script == "arabic":
        written = written.translate(ARABIC_INDIC)
    elif script == "extended":
        written = written.translate(EXTENDED)
    (mention,) = extract_numbers(context.format(written))
    assert mention.value == str(n)
    assert mention.text == written
    assert not mention.weak


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    fraction=st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    point=st.sampled_from([".", "٫"]),
    thousands=st.booleans(),
    arabic_digits=st.booleans(),
)
def test_any_decimal_with_either_point_round_trips(
    whole: int, fraction: str, point: str, thousands: bool, arabic_digits: bool
) -> None:
    written = (grouped(whole, ",") if thousands else str(whole)) + point + fraction
    if arabic_digits:
        written = written.translate(ARABIC_INDIC)
    expected = format(Decimal(f"{whole}.{fraction}").normalize(), "f")
    assert values(f"ارتفع المؤشر إلى {written} نقطة") == [expected]


@given(
    n=st.integers(min_value=0, max_value=1000),
    sign=st.sampled_from(
        ["%", "٪", " %", " بالمئة", " بالمائة", " في المئة", " في المائة", " percent", " per cent"]
    ),
)
def test_percentages_in_every_spelling(n: int, sign: str) -> None:
    assert values(f"نحو {n}{sign} من الناتج") == [f"{n}%"]


@given(
    whole=st.integers(min_value=1, max_value=999),
    tenths=st.integers(min_value=0, max_value=9),
    scale=st.sampled_from(
        [
            ("مليار", 10**9),
            ("billion", 10**9),
            ("مليون", 10**6),
            ("million", 10**6),
            ("ألف", 1000),
            ("thousand", 1000),
            ("bn", 10**9),
        ]
    ),
)
def test_a_scale_word_multiplies_the_figure_before_it(
    whole: int, tenths: int, scale: tuple[str, int]
) -> None:
    word, factor = scale
    expected = Decimal(f"{whole}.{tenths}") * factor
    assert values(f"أكثر من {whole}.{tenths} {word} نسمة") == [format(expected.normalize(), "f")]


# --- words --------------------------------------------------------------------------------

AR_UNITS = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"]
AR_TEEN_UNITS = ["", "أحد", "اثنا", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
AR_TENS = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
AR_HUNDREDS = [
    "",
    "مئة",
    "مئتان",
    "ثلاثمئة",
    "أربعمئة",
    "خمسمائة",
    "ستمئة",
    "سبعمائة",
    "ثمانمئة",
    "تسعمئة",
]


def arabic_below_1000(n: int) -> str:
    """Standard Arabic for 1-999: «ثلاثمئة وخمسة وعشرون»."""
    parts = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        parts.append(AR_HUNDREDS[hundreds])
    if rest:
        if rest <= 10:
            parts.append(AR_UNITS[rest])
        elif rest < 20:
            parts.append(f"{AR_TEEN_UNITS[rest - 10]} عشر")
        else:
            tens, unit = divmod(rest, 10)
            parts.append(f"{AR_UNITS[unit]} و{AR_TENS[tens]}" if unit else AR_TENS[tens])
    return " و".join(parts)


def arabic_words(n: int) -> str:
    """Standard Arabic for 1-999,999: «ثلاثة آلاف وخمسمائة», «أحد عشر ألفاً»."""
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append("ألفان")
    elif 3 <= thousands <= 10:
        parts.append(f"{arabic_below_1000(thousands)} آلاف")
    elif thousands:
        parts.append(f"{arabic_below_1000(thousands)} ألفاً")
    if rest:
        parts.append(arabic_below_1000(rest))
    return " و".join(parts)


EN_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def english_words(n: int) -> str:
    """English for 1-999,999,999: "three hundred and twenty-one thousand four"."""
    if n < 20:
        return EN_UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return EN_TENS[tens] + (f"-{EN_UNITS[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{EN_UNITS[hundreds]} hundred" + (f" and {english_words(rest)}" if rest else "")
    for size, name in ((10**6, "million"), (1000, "thousand")):
        if n >= size:
            high, rest = divmod(n, size)
            return f"{english_words(high)} {name}" + (f" {english_words(rest)}" if rest else "")
    raise AssertionError(n)


@given(st.integers(min_value=1, max_value=999_999))
def test_arabic_number_words_round_trip(n: int) -> None:
    written = arabic_words(n)
    (mention,) = extract_numbers(f"شارك في المؤتمر {written} مندوب")
    assert mention.value == str(n), written
    assert mention.text == written


@given(st.integers(min_value=1, max_value=999_999_999))
def test_english_number_words_round_trip(n: int) -> None:
    written = english_words(n)
    (mention,) = extract_numbers(f"The conference gathered {written} delegates.")
    assert mention.value == str(n), written


@given(
    n=st.integers(min_value=3, max_value=10),
    clitic=st.sampled_from(["", "و", "ب", "ل", "وب", "ال", "وال", "بال", "لل"]),
    feminine=st.booleans(),
)
def test_arabic_units_behind_clitics(n: int, clitic: str, feminine: bool) -> None:
    masculine = ["", "", "", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع", "عشر"]
    word = AR_UNITS[n] if feminine or n == 10 else masculine[n]
    assume(f"{clitic}{word}" != "لست")  # "I am not", never a six
    assert values(f"قالت {clitic}{word} دول") == [str(n)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عشرات", "~10"),
        ("مئات", "~100"),
        ("آلاف", "~1000"),
        ("ملايين", "~1000000"),
        ("عشرات الآلاف", "~10000"),
        ("مئات الآلاف", "~100000"),
        ("dozens", "~10"),
        ("thousands", "~1000"),
        ("tens of thousands", "~10000"),
        ("hundreds of millions", "~100000000"),
    ],
)
def test_vague_quantities_are_orders_of_magnitude(text: str, expected: str) -> None:
    (mention,) = extract_numbers(f"شارك {text} من الناس")
    assert (mention.value, mention.kind) == (expected, "approximate")
    assert {expected, expected[1:]} <= mention.keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نصف سكان العالم", "0.5"),
        ("ثلثي النمو الاقتصادي", "0.667"),
        ("ربع الناتج", "0.25"),
        ("ثلاثة أرباع الأعضاء", "0.75"),
        ("half of the population", "0.5"),
        ("a third of the members", "0.333"),
        ("two-thirds of growth", "0.667"),
        ("three quarters of them", "0.75"),
        ("نصف مليون", "500000"),
        ("half a million", "500000"),
        ("ثلاثة ملايين ونصف", "3500000"),
    ],
)
def test_fractions(text: str, expected: str) -> None:
    assert values(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("القمة السادسة", "6"),
        ("للمرة الرابعة", "4"),
        ("الذكرى الثلاثين", "30"),
        ("القرن الحادي والعشرين", "21"),
        ("the sixth summit", "6"),
        ("the 30th anniversary", "30"),
        ("the twenty-first century", "21"),
        ("Louis XIV", "14"),
    ],
)
def test_ordinals_are_their_number(text: str, expected: str) -> None:
    (mention,) = extract_numbers(text)
    assert mention.value == expected
    assert not mention.weak


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("في 13 أكتوبر 2022", ["13/10", "2022"]),
        ("الأربعاء 3 ابريل/نيسان 2024", ["3/4", "2024"]),
        ("يومي 3 و4 يوليو 2024", ["3", "4/7", "2024"]),
        ("٠١ يوليو", ["1/7"]),
        ("في 5 تشرين الثاني", ["5/11"]),
        ("(30/10 – 33)", ["30/10", "33"]),
        ("30/10/2022", ["30/10/2022"]),
        ("On October 13, 2022", ["13/10", "2022"]),
        ("on 4 July 2024", ["4/7", "2024"]),
        ("on July 4th", ["4/7"]),
        ("the fourth of July", ["4/7"]),
        ("at 10:30", ["10:30"]),
        ("for 2022-2024", ["2022", "2024"]),
        ("from 3 to 4 July", ["3", "4/7"]),
    ],
)
def test_dates_times_and_ranges(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_a_date_also_matches_its_day_and_year() -> None:
    (date,) = extract_numbers("30/10/2022")
    assert {"30/10/2022", "30/10", "30", "2022"} <= date.keys
    (percent,) = extract_numbers("15%")
    assert percent.keys == {"15%", "15"}


@pytest.mark.parametrize(
    "text",
    [
        "G20",
        "COVID-19",
        "كوفيد-19",
        "F-16",
        "5G",
        "mp3",
        "اليوم الإثنين",
        "في وقت واحد",  # weak: see below
    ],
)
def test_codes_and_names_with_digits_are_not_figures(text: str) -> None:
    assert [m for m in extract_numbers(text) if not m.weak] == []


@pytest.mark.parametrize(
    "text",
    ["البلدين الاثنين", "one of the largest", "the two countries", "for the first time",
     "للمرة الثانية", "الاجتماع الأول", "آل ثاني", "World War II", "واحد"],
)  # fmt: skip
def test_spelled_one_and_two_are_weak(text: str) -> None:
    assert all(m.weak for m in extract_numbers(text))


def test_months_named_with_ordinals_are_months() -> None:
    assert values("في كانون الثاني وتشرين الأول") == ["m1", "m10"]
    assert values("الاثنين") == []


def test_no_figure_across_a_line_break() -> None:
    assert values("15\nبالمئة") == ["15"]


def test_figures_of_the_samples() -> None:
    text = normalize((SAMPLES / CICA).read_text())
    mentions = found(text)
    assert ("3.5 مليار", "3500000000") in mentions
    assert ("15%", "15%") in mentions
    assert ("4 يوليو", "4/7") in mentions
    assert ("التسع", "9") in mentions
    assert ("ربع", "0.25") in mentions
    text = normalize((SAMPLES / QATAR).read_text())
    assert [v for v in values(text) if v.endswith("%")] == ["90%", "50%"]
    assert "0.667" in values(text)  # «ثلثي النمو»


# --- invariants ---------------------------------------------------------------------------

ANY_CHARS = st.one_of(
    st.characters(min_codepoint=0x0621, max_codepoint=0x064A),
    st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹.,٫٬:/%٪-–")),
    st.sampled_from(list(" \n،؛«»()")),
    st.sampled_from(list("abcXYZ")),
    st.sampled_from(["ألف", "مليون", "مئة", "و", "ثلاثة", "عشر", "يوليو", "July", "million", "a", "and", "of", "بالمئة", "في", "المئة", "twenty", "-"]),
)  # fmt: skip


@given(st.lists(ANY_CHARS, max_size=80).map("".join))
def test_mentions_are_ordered_spans_of_the_text(text: str) -> None:
    mentions = extract_numbers(text)
    end = 0
    for m in mentions:
        assert isinstance(m, NumberMention)
        assert m.text == text[m.start : m.end]
        assert m.start >= end
        end = m.end
        assert m.value and m.kind in KINDS
    assert figure_keys(mentions) == {k for m in mentions for k in m.keys}


# Roots of every number word, month and fraction, written independently of the extractor:
# sample words containing one of them are left out of the number-free text.
NUMBER_ROOTS = [fold(w) for w in """
    واحد احد احدى اثن ثنت ثان ثلاث ثالث ثلث اربع رابع ربع خمس خامس ست سادس سبع سابع ثمان ثامن
    تسع تاسع عشر عاشر حادي مئ ماي مائ الف الاف الوف مليون ملايين مليار بليون تريليون نصف اول
    يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر تموز نيسان
    حزيران ايار شباط اذار ايلول كانون تشرين اب
""".split()]  # fmt: skip


def _number_free_words() -> list[str]:
    vocabulary = set()
    for path in SAMPLES.glob("*.txt"):
        for word in re.findall(r"[^\W\d_]+", normalize(path.read_text())):
            if not any(root in fold(word) for root in NUMBER_ROOTS):
                vocabulary.add(word)
    return sorted(vocabulary)


NUMBER_FREE = _number_free_words()


@given(
    st.lists(
        st.one_of(st.sampled_from(NUMBER_FREE), st.sampled_from([" ", "، ", ". ", "\n", " (", ") ", " - ", "/"])),
        max_size=60,
    ).map(" ".join)
)  # fmt: skip
def test_nothing_is_extracted_from_number_free_text(text: str) -> None:
    assert extract_numbers(text) == []


def test_number_free_vocabulary_is_large() -> None:
    assert len(NUMBER_FREE) > 500


# -- properties of the extractor (hypothesis) -------------------------------------------------

FILLER = st.sampled_from(["قال", "الوزير", "إن", "دولة", "the", "report", "said", "،", "و"])
MONTH_NAMES = {
    4: ["أبريل", "نيسان", "أفريل", "April"],
    5: ["مايو", "أيار", "ماي", "May"],
    10: ["أكتوبر", "تشرين الأول", "October"],
}


@settings(deadline=None)  # the first call loads CLDR; a busy machine is slow
@given(st.integers(min_value=3, max_value=10**12), st.lists(FILLER, max_size=4))
def test_any_whole_figure_in_digits_reads_as_itself(n: int, words: list[str]) -> None:
    written = f"{n:,}" if n >= 10_000 else str(n)
    text = " ".join([*words, written, "شخص"])
    for form in (text, text.translate(ARABIC_INDIC)):
        found = [m for m in extract_numbers(form) if not m.weak]
        assert [m.value for m in found] == [str(n)], form


@settings(deadline=None)  # the first call loads CLDR; a busy machine is slow
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99))
def test_a_percentage_needs_its_percent_sign(whole: int, cents: int) -> None:
    value = f"{whole}.{cents}" if cents % 10 else str(whole)
    (ar,) = extract_numbers(f"بنسبة {value}%")
    (en,) = extract_numbers(f"by {value} percent")
    (bare,) = extract_numbers(f"by {value}")
    assert ar.value == en.value and ar.supported_by(figure_keys([en]))
    assert not ar.supported_by(figure_keys([bare]))  # a dropped % is a changed figure
    assert bare.supported_by(figure_keys([ar]))  # the bare figure is in the percentage


@settings(deadline=None)  # the first call loads CLDR; a busy machine is slow
@given(
    st.integers(min_value=1, max_value=28),
    st.sampled_from(sorted(MONTH_NAMES)),
    st.sampled_from(sorted(MONTH_NAMES)),
    st.data(),
)
def test_a_date_matches_only_its_own_month_in_any_naming(
    day: int, month: int, other: int, data: st.DataObject
) -> None:
    ar_name = data.draw(st.sampled_from(MONTH_NAMES[month][:-1]))
    en_name = MONTH_NAMES[other][-1]
    (ar,) = extract_numbers(f"في {day} {ar_name} الماضي")
    (en,) = extract_numbers(f"on {en_name} {day}")
    assert ar.kind == en.kind == "date"
    assert ar.supported_by(figure_keys([en])) == (month == other)
    (alone,) = extract_numbers(f"في {ar_name}")  # a month with no day is a figure too
    assert alone.kind == "month" and alone.value == f"m{month}"


@settings(deadline=None)  # the first call loads CLDR; a busy machine is slow
@given(st.lists(ANY_CHARS, max_size=60).map("".join))
def test_a_text_never_fails_the_translation_checks_against_itself(text: str) -> None:
    from summarize.trust import check_translation_line

    assert check_translation_line(text, text) == []
