"""Figures the articles of one story give differently for the same thing
(summarize.stories.figures): reported when they count the same thing, never otherwise."""

from __future__ import annotations

import pytest

from summarize.stories.figures import Said, disagreements


def said(path: str, *sentences: str, outlet: str | None = None) -> Said:
    return Said(path, outlet, list(sentences))


CONVICTED = "أدانت المحكمة 555 متهما، منهم {} من غير السعوديين، بعد جلسات استمرت عامين."


def test_a_changed_figure_in_a_reprinted_sentence_is_reported() -> None:
    found = disagreements(
        [
            said("a", CONVICTED.format(473), outlet="okaz"),
            said("b", CONVICTED.format(437), outlet="alriyadh"),
            said("c", "وصدرت الأحكام بحق 555 متهما بينهم 473 من غير السعوديين."),
        ]
    )
    assert len(found) == 1
    (d,) = found
    assert d.kind == "number" and "من غير السعوديين" in d.about and "…" in d.about
    assert [(v.path, v.value, v.outlet) for v in d.values] == [
        ("a", "473", "okaz"),
        ("b", "437", "alriyadh"),
        ("c", "473", None),
    ]
    assert d.values[1].context == CONVICTED.format(437)


def test_the_same_figures_give_nothing_and_one_article_gives_nothing() -> None:
    same = [said("a", CONVICTED.format(473)), said("b", CONVICTED.format(473))]
    assert disagreements(same) == []
    assert disagreements([said("a", CONVICTED.format(473))]) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # different things: a count of people and a year; a count of sessions and of days
        ("وعقدت المحكمة 40 جلسة في 2015.", "وعقدت المحكمة جلساتها في 2014 بعد 40 يوما."),
        # another unit: dinars and dollars
        ("ويبلغ رأسمالها 24 مليون دينار.", "ويبلغ رأسمالها 26 مليون دولار."),
        # the same figure written otherwise
        ("وارتفع النمو 15% في العام الماضي.", "وارتفع النمو 15 في المائة في العام الماضي."),
        # a round figure and the precise one it rounds
        (
            "وقتل أكثر من 3 آلاف من عناصر التنظيم في الغارات.",
            "وقتل 3042 من عناصر التنظيم في الغارات.",
        ),
        ("وقتل ألف شخص في المعارك منذ بدء الهجوم.", "وقتل 1050 شخص في المعارك منذ بدء الهجوم."),
        # «more than 200» and 250; «about 200» and 210
        (
            "واعتقل أكثر من 200 مدرس خلال التظاهرة في طهران.",
            "واعتقل 250 مدرس خلال التظاهرة في طهران.",
        ),
        ("واعتقل نحو 200 مدرس خلال التظاهرة في طهران.", "واعتقل 210 مدرس خلال التظاهرة في طهران."),
        # a decimal written with «ر» reads as two figures: left out
        ("وبلغ سعر السهم 85ر1 دولار للسهم الواحد.", "وبلغ سعر السهم 1 دولار للسهم الواحد."),
        # ten times apart: another scale, not a disagreement worth a reader's time
        (
            "وبلغت الأرباح 7 مليار دولار في الربع الثاني.",
            "وبلغت الأرباح 700 مليار دولار في الربع الثاني.",
        ),
        # a 12-hour and a 24-hour clock
        ("ووصل القطار عند الساعة 4:00 متأخرا.", "ووصل القطار عند الساعة 16:00 متأخرا."),
        # a date with dashes, day and month in either order
        (
            "وقضت المحكمة في جلسة بتاريخ 15-07-2015 بإلزام الشركة.",
            "وقضت المحكمة في جلسة بتاريخ 2015-07-15 بإلزام الشركة.",
        ),
        # a list joined by «و», and the «عشرة» of an ordinal teen
        (
            "وأعيد تسيير الرحلتين اثنين وتسعة ليكون العدد 15.",
            "وأعيد تسيير الرحلتين (2) و(9) ليكون العدد 15.",
        ),
        (
            "ووقع الاعتداء عند الساعة الحادية عشرة من مساء أمس.",
            "ووقع الاعتداء عند الساعة 11 من مساء أمس.",
        ),
        # a clock time in words and with a dot: read as numbers, so not compared
        (
            "وقال: عند الساعة الحادية عشرة والنصف من مساء أمس، وقع الاعتداء.",
            "وقال: عند الساعة ال11.30 من مساء أمس، وقع الاعتداء.",
        ),
        # a date with and without its year
        (
            "وسيفتتح المعرض في 23 يوليو 2015 بحضور الوزير.",
            "وسيفتتح المعرض في 23 يوليو بحضور الوزير.",
        ),
    ],  # fmt: skip
    ids=[
        "year",
        "unit",
        "percent",
        "thousands",
        "thousand",
        "more-than",
        "about",
        "ra",
        "scale",
        "clock",
        "dashes",
        "list",
        "ordinal-teen",
        "half-past",
        "date-year",
    ],  # fmt: skip
)
def test_figures_that_agree_or_count_different_things_are_not_reported(
    first: str, second: str
) -> None:
    assert disagreements([said("a", first), said("b", second)]) == []


@pytest.mark.parametrize(
    ("first", "second", "values"),
    [
        ("وقتل 15 شخصا في الهجوم على السوق.", "وقتل 25 شخصا في الهجوم على السوق.", ["15", "25"]),
        (
            "ونما القطاع 11.8% في 2014 بحسب التقرير.",
            "ونما القطاع 12.4% في 2014 بحسب التقرير.",
            ["11.8%", "12.4%"],
        ),
        (
            "وسيفتتح المعرض في 23 يوليو المقبل.",
            "وسيفتتح المعرض في 25 يوليو المقبل.",
            ["23/7", "25/7"],
        ),
        (
            "واعتقل أكثر من 200 مدرس خلال التظاهرة في طهران.",
            "واعتقل 150 مدرس خلال التظاهرة في طهران.",
            ["200", "150"],
        ),
    ],  # fmt: skip
    ids=["count", "percent", "date", "below-more-than"],
)
def test_figures_that_differ_for_the_same_thing_are_reported(
    first: str, second: str, values: list[str]
) -> None:
    (d,) = disagreements([said("a", first), said("b", second)])
    assert [v.value for v in d.values] == values


def test_a_headline_and_a_rewritten_sentence_are_compared_too() -> None:
    found = disagreements(
        [
            said("a", "تخريج 63 مستفيدا بمركز المناصحة في الرياض", "وتم تخريج الدفعة أمس."),
            said("b", "تخريج 95 مستفيدا في مركزي المناصحة بالرياض وجدة", "وحضر الحفل المسؤولون."),
        ]
    )
    assert [[v.value for v in d.values] for d in found] == [["63", "95"]]


def test_an_article_that_gives_two_values_for_one_thing_is_not_a_witness() -> None:
    a = said("a", CONVICTED.format(473), CONVICTED.format(437))
    b = said("b", CONVICTED.format(473))
    assert disagreements([a, b]) == []
