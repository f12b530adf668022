"""The checks of a brief line and of a translated line (summarize.trust.checks), on cases
written from the real samples: each kind is raised where it should be, and a faithful line
with a faithful translation raises nothing."""

from __future__ import annotations

from dataclasses import asdict
from functools import cache

import pytest

from summarize.trust import (
    ADDED_IN_TRANSLATION,
    CHECK_KINDS,
    LOST_IN_TRANSLATION,
    NAME_LOST_IN_TRANSLATION,
    UNSUPPORTED_NAME,
    UNSUPPORTED_NUMBER,
    WEAK_SOURCE,
    ArticleIndex,
    Check,
    check_brief_line,
    check_translation_line,
    trust_brief,
)
from tests.trust_support import CICA, HUB, INTERVIEW, NAMES, QATAR, SECURITY, article


@cache
def indexed(name: str) -> ArticleIndex:
    return ArticleIndex(article(name).sentences, article(name).title)


def checks(name: str, ar: str, en: str) -> list[Check]:
    return check_brief_line(ar, en, indexed(name))


def of_kind(found: list[Check], kind: str) -> list[str]:
    return [c.value for c in found if c.kind == kind]


# --- lost in translation ------------------------------------------------------------------

SCO_LINE = (
    "تضم منظمة شنغهاي للتعاون تسع دول يقطنها أكثر من 3.5 مليار نسمة، "
    "أي أكثر من 15% من الناتج المحلي الإجمالي العالمي."
)


def test_a_figure_the_translator_drops_is_lost_in_translation() -> None:
    en = "The nine SCO member states are home to more than 3.5 billion people."
    assert checks(CICA, SCO_LINE, en) == [Check(LOST_IN_TRANSLATION, "15%")]


def test_a_figure_the_translator_changes_is_lost_and_added() -> None:
    en = "The nine SCO states are home to more than 3.5 million people, over 15% of world GDP."
    assert checks(CICA, SCO_LINE, en) == [
        Check(LOST_IN_TRANSLATION, "3.5 مليار"),
        Check(ADDED_IN_TRANSLATION, "3.5 million"),
    ]


def test_a_date_the_translator_drops_is_lost() -> None:
    ar = "ومن المقرر أن تعقد قمة منظمة شنغهاي للتعاون في 4 يوليو في قصر الاستقلال في أستانا."
    en = "The SCO summit is scheduled to be held at the Independence Palace in Astana."
    assert of_kind(checks(INTERVIEW, ar, en), LOST_IN_TRANSLATION) == ["4 يوليو"]


# --- unsupported number -------------------------------------------------------------------


def test_a_figure_the_article_does_not_have_is_unsupported() -> None:
    ar = "وتضم منظمة سيكا 28 دولة كأعضاء دائمين و8 دول مراقبة."
    en = "CICA has 28 permanent members and eight observer states."
    assert checks(QATAR, ar, en) == [Check(UNSUPPORTED_NUMBER, "28")]


def test_a_year_the_summarizer_moved_is_unsupported() -> None:
    ar = "تم تمديد رئاسة كازاخستان لمؤتمر CICA للفترة 2022-2025."
    en = "Kazakhstan's CICA chairmanship was extended for 2022-2025."
    assert checks(CICA, ar, en) == [Check(UNSUPPORTED_NUMBER, "2025")]


def test_the_same_figure_in_words_is_supported() -> None:
    ar = "وتضم منظمة سيكا سبعاً وعشرين دولة كأعضاء دائمين."  # the article writes «27 دولة»
    en = "CICA has 27 permanent member states."
    assert checks(QATAR, ar, en) == []


# --- added in translation -----------------------------------------------------------------


def test_a_figure_only_the_english_has_is_added_in_translation() -> None:
    ar = "وكشف أنه سوف يتم تنظيم 24 فعالية هذا العام."
    en = "He revealed that 24 events will be organized this year, attended by 300 delegates."
    assert checks(CICA, ar, en) == [Check(ADDED_IN_TRANSLATION, "300")]


def test_a_figure_of_the_article_that_the_english_makes_explicit_is_not_added() -> None:
    ar = "وتولت جمهورية كازاخستان رئاسة منظمة شنغهاي للتعاون للمرة الرابعة."
    en = "In 2023, Kazakhstan chaired the SCO for the fourth time."  # 2023 is in the article
    assert checks(CICA, ar, en) == []


# --- unsupported name ---------------------------------------------------------------------


def test_a_name_the_article_does_not_have_is_unsupported() -> None:
    ar = "وقال الرئيس الروسي فلاديمير بوتين إن قمة منظمة شنغهاي للتعاون ستعقد في أستانا."
    en = "Russian President Vladimir Putin said the SCO summit would be held in Astana."
    assert "فلاديمير بوتين" in of_kind(checks(INTERVIEW, ar, en), UNSUPPORTED_NAME)


def test_a_latin_name_the_article_does_not_have_is_unsupported() -> None:
    ar = "ترأست كازاخستان منظمة شنغهاي للتعاون (SCO) ومنظمة حلف شمال الأطلسي (NATO)."
    en = "Kazakhstan chaired the SCO and NATO."
    assert of_kind(checks(CICA, ar, en), UNSUPPORTED_NAME) == ["NATO"]


def test_transliteration_variants_of_a_name_are_the_same_name() -> None:
    ar = "بدأ أمير قطر الشيخ تميم بن حمد زيارة دولة إلى كازاخستان حيث سيبحث مع الرئيس قاسم جومرت توكايف العلاقات."
    en = "The Emir of Qatar began a state visit to Kazakhstan to discuss relations with Tokayev."
    assert of_kind(checks(QATAR, ar, en), UNSUPPORTED_NAME) == []


# --- weak source --------------------------------------------------------------------------


def test_a_line_the_article_does_not_support_is_weak() -> None:
    ar = "أعلنت الحكومة المصرية عن خطة جديدة لدعم قطاع السياحة في الأقصر وأسوان."
    en = "The Egyptian government announced a new plan to support tourism in Luxor and Aswan."
    (weak, *_) = checks(INTERVIEW, ar, en)
    assert weak.kind == WEAK_SOURCE and float(weak.value) < 0.5


# --- faithful lines raise nothing ---------------------------------------------------------

FAITHFUL = [
    (
        INTERVIEW,
        'صرح الرئيس الكازاخستاني - قاسم جومارت توكاييف أنه يتعين على منظمة "شنغهاي" للتعاون '
        "تعزيز مكانتها على الساحة الدولية من خلال توسيع اتصالاتها مع المنظمات الكبرى الأخرى، "
        "وذلك اليوم الإثنين 1 يوليو/تموز 2024.",
        "Kazakh President Kassym-Jomart Tokayev said on Monday, July 1, 2024, that the Shanghai "
        "Cooperation Organization must strengthen its international standing by expanding its "
        "contacts with other major organizations.",
    ),
    (
        INTERVIEW,
        'تجدر الإشارة إلى أن منظمة "شنغهاي" للتعاون تأسست في 15 يونيو/حزيران 2001 في شنغهاي.',
        "It is worth noting that the SCO was founded in Shanghai on 15 June 2001.",
    ),
    (
        QATAR,
        'وتضم منظمة "سيكا" 27 دولة كأعضاء دائمين، و8 دول أخرى بصفة دول مراقبة و5 منظمات دولية.',
        "CICA has 27 permanent member states, eight observer states and five international "
        "organizations.",
    ),
    (
        QATAR,
        "والتي تنتج مجتمعة أكثر من 50% من الناتج المحلي الإجمالي العالمي، وتوفر ثلثي النمو "
        "الاقتصادي العالمي.",
        "which together produce more than 50 percent of global GDP and provide two-thirds of "
        "global economic growth.",
    ),
    (
        HUB,
        "وأشار توكاييف إلى أن عقد الاجتماع يمثل رمزًا ، حيث من المقرر أن تحيي دول آسيا الوسطى "
        "والاتحاد الأوروبي الذكرى الثلاثين لتأسيس العلاقات الدبلوماسية.",
        "Tokayev noted that the meeting was symbolic, as Central Asia and the EU are due to mark "
        "the 30th anniversary of diplomatic relations.",
    ),
    (
        HUB,
        "وبصرف النظر عن عقد الاجتماع المشترك ، عقد الرئيس توكاييف أيضًا اجتماعًا فرديًا مع الرئيس "
        "القرغيزي ، ناقش خلاله توكاييف وجاباروف تفاعلات البلدين في مجالات النقل واللوجستيات.",
        "Apart from the joint meeting, President Tokayev also held a one-on-one meeting with the "
        "Kyrgyz president, during which the two leaders discussed the two countries' cooperation "
        "in transport and logistics.",
    ),
    (
        HUB,
        "في 13 أكتوبر 2022 ، افتتح الرئيس توكاييف المؤتمر السادس حول التفاعل وتدابير بناء الثقة "
        "في آسيا (CICA) في أستانا.",
        "On October 13, 2022, President Tokayev opened the sixth Conference on Interaction and "
        "Confidence-Building Measures in Asia (CICA) in Astana.",
    ),
    (
        CICA,
        "من بين أهم الإنجازات تمكن كازاخستان من تولي رئاسة CICA للمرة الثانية على التوالي.",
        "Among the most important achievements, Kazakhstan took over the CICA chairmanship for "
        "the second time in a row.",
    ),
    (
        SECURITY,
        "وتترأس كازاخستان المنظمة خلال 2023-2024، ومن المقرر عقد القمة في الفترة من 3 إلى 4 "
        "يوليو/تموز في أستانا.",
        "Kazakhstan chairs the organization in 2023-2024, and the summit is scheduled for 3 to 4 "
        "July in Astana.",
    ),
]


@pytest.mark.parametrize(("name", "ar", "en"), FAITHFUL)
def test_a_faithful_line_and_translation_raise_nothing(name: str, ar: str, en: str) -> None:
    assert checks(name, ar, en) == []
    assert check_translation_line(ar, en) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_sentence_of_an_article_is_unsupported_by_it(name: str) -> None:
    """The whole of every sample, each sentence as a summary line: only the (empty) English
    can be at fault."""
    for sentence in article(name).sentences:
        found = checks(name, sentence.text, "")
        allowed = {LOST_IN_TRANSLATION, NAME_LOST_IN_TRANSLATION}
        assert {c.kind for c in found} <= allowed, (sentence.text, found)


def test_a_sentence_of_another_article_is_caught() -> None:
    ar = next(s.text for s in article(HUB).sentences if "بوتين" in s.text)
    found = checks(INTERVIEW, ar, "")
    assert any("بوتين" in v for v in of_kind(found, UNSUPPORTED_NAME))
    assert "1992" not in ar or "1992" in of_kind(found, UNSUPPORTED_NUMBER)


# --- translate: line by line --------------------------------------------------------------


def test_translation_lines_are_checked_for_lost_and_added_only() -> None:
    ar = "وتضم منظمة سيكا 27 دولة كأعضاء دائمين، و8 دول أخرى بصفة دول مراقبة و5 منظمات دولية."
    en = "CICA has 27 permanent members, eight observer states and international organizations."
    assert check_translation_line(ar, en) == [Check(LOST_IN_TRANSLATION, "5")]
    en = "CICA has 27 permanent members, 8 observers and 5 organizations since 1999."
    assert check_translation_line(ar, en) == [Check(ADDED_IN_TRANSLATION, "1999")]
    assert check_translation_line("وقال الرئيس فلاديمير بوتين", "President Putin said") == []


# --- shapes -------------------------------------------------------------------------------


def test_trust_brief_gives_the_documented_json_for_every_line() -> None:
    lines = [(SCO_LINE, "The nine SCO member states are home to more than 3.5 billion people.")]
    (trust,) = trust_brief(lines, article(CICA).sentences, article(CICA).title)
    data = asdict(trust)
    assert set(data) == {"sources", "checks"}
    assert data["checks"] == [{"kind": "lost_in_translation", "value": "15%"}]
    (source, *_) = data["sources"]
    assert set(source) == {"paragraph", "index", "score"} and 0 < source["score"] <= 1


def test_checks_come_in_kind_order() -> None:
    ar = "قال الرئيس الروسي فلاديمير بوتين إن 99 دولة انضمت إلى NATO وSCO في 2030."
    found = checks(INTERVIEW, ar, "Putin said 98 countries joined NATO.")
    kinds = [c.kind for c in found]
    assert kinds == sorted(kinds, key=CHECK_KINDS.index)
    assert set(kinds) == set(CHECK_KINDS)
