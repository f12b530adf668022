"""The text layer's named rules, one test per class of error first seen on regional news:
pauses, transliterated initials, furniture, headlines, the paragraph convention and datelines,
each checked with the rule name that `explain` reports (docs/text-rules.md lists them)."""

from __future__ import annotations

import pytest

from summarize.text import (
    explain_sentences,
    find_dateline,
    find_title,
    furniture_rule,
    normalize,
    paragraph_convention,
    parse_date,
    split_sentences,
    strip_furniture_explained,
    title_rule,
)


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("على صعيد آخر.. كان الوزير قد أعلن ذلك.", 1, "pause-after-lead-in"),
        ("وأكد الوزير.. أن المملكة ماضية في خطتها.", 1, "pause-continuation"),
        ("قال إن مسلسل «الفهد.. روح القيادة» نجح.", 1, "pause-in-quotes"),
        ("تعصف بالبلاد.. من جانبه رفض الرئيس ذلك.", 2, "pause-new-sentence"),
        ("أزمة سياسية تعصف بالبلاد.. الرئيس يرفض التعديلات.", 2, "pause-new-sentence"),
    ],
)
def test_pauses_split_only_before_a_new_sentence(text: str, expected: int, rule: str) -> None:
    assert len(texts(text)) == expected
    assert any(b.rule == rule for b in explain_sentences(text))


def test_pause_in_a_headline_line_does_not_split() -> None:
    assert texts("الفهد.. روح القيادة") == ["الفهد.. روح القيادة"]
    assert explain_sentences("عمالة متنوعة.. فرص جديدة")[0].rule == "pause-in-headline"


def test_transliterated_initial_is_not_a_stop() -> None:
    assert texts("اغتيل الرئيس جون إف. كينيدي عام 1963.") == [
        "اغتيل الرئيس جون إف. كينيدي عام 1963."
    ]
    assert texts("زار دي. ثم عاد.") != []  # no crash at a sentence start


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("و م ع", "agency-tag"),
        ("و.م.ع", "agency-tag"),
        ("واس", "agency-tag"),
        ("HESPRESS", "site-name"),
        ("http://www.24saa.com", "site-name"),
        ("الآراء الواردة أدناه لا تعبر عن رأي موقع CNN بالعربية، بل تعكس وجهات نظر أصحابها فقط.", "comment-policy"),
        ("اقرأ أيضا: الحكومة تعلن خطة جديدة", "read-also"),
        ("رابط القصة", "read-also"),
        ("ممكن يعجبك: أسعار الخضار اليوم", "read-also"),
        ("الرياض- البلاد", "dateline-credit"),
        ("© 2013 Cable News Network. All Rights Reserved.", "copyright"),
        ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "date-line"),
        ("الأحد 12 جانفي 2020", "date-line"),
        ("نشرت", "page-label"),
    ],
)  # fmt: skip
def test_furniture_rules(line: str, rule: str) -> None:
    assert furniture_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "وقال الوزير إن الاتفاق سيوقع الأسبوع المقبل.",
        "الرياض تستضيف القمة العربية المقبلة",
        "قال رئيس التحرير إن الموقع لا يعبر عن رأي الحكومة بل عن رأي قرائه في هذا الملف الشائك.",
        "غزة – الحرب المستمرة",
        "NATO يعقد قمته في الرياض.",
    ],
)
def test_prose_is_never_furniture(line: str) -> None:
    assert furniture_rule(line) is None


def test_inline_credit_is_cut_and_reported() -> None:
    clean, removed = strip_furniture_explained(
        "وختم الوزير كلمته بالشكر. المصدر : هسبريس\nسطر آخر."
    )
    assert clean == "وختم الوزير كلمته بالشكر.\nسطر آخر."
    assert [(r.text, r.rule, r.line) for r in removed] == [("المصدر : هسبريس", "inline-credit", 0)]


@pytest.mark.parametrize(
    ("text", "title", "rule"),
    [
        ("عمالة متنوعة..!\nنص الخبر.", "عمالة متنوعة..!", "exclaiming-headline"),
        ("جولة اسبوعية للملك سلمان!!\nنص.", "جولة اسبوعية للملك سلمان!!", "exclaiming-headline"),
        ("الفهد.. روح القيادة\nنص.", "الفهد.. روح القيادة", "headline"),
        ("ما أهمية القيم الصحفية؟\n\nنص.", "ما أهمية القيم الصحفية؟", "question-headline"),
        ("هل تنجح الوساطة؟\nنص.", None, "ends-sentence"),
    ],
)
def test_headlines(text: str, title: str | None, rule: str) -> None:
    assert find_title(text) == title
    assert title_rule(text)[1] == rule


def test_free_standing_tatweel_is_a_dash() -> None:
    assert normalize("سبق ـ الرياض") == "سبق - الرياض"
    assert normalize("كـــبير") == "كبير"


def test_paragraph_convention_per_document() -> None:
    one_a_line = "الجملة الأولى.\nالجملة الثانية.\nالجملة الثالثة."
    assert paragraph_convention(one_a_line) == "line"
    assert [s.paragraph for s in split_sentences(one_a_line)] == [0, 1, 2]
    blank = "عنوان\n\nفقرة أولى. ثانية.\n\nفقرة ثانية."
    assert paragraph_convention(blank) == "blank-line"
    wrapped = "نص طويل مكسور\nفي منتصف الجملة.\n\nفقرة أخرى."
    assert [s.paragraph for s in split_sentences(wrapped)] == [0, 0, 1]


def test_dateline_parsing() -> None:
    assert parse_date("الأربعاء، 28 آب/اغسطس 2013") == "2013-08-28"
    assert parse_date("12 كانون الثاني 2024") == "2024-01-12"
    assert parse_date("الأحد، 15-03-2020") == "2020-03-15"
    assert find_dateline("عنوان\nالأحد، 15-03-2020\nنص الخبر في 3 مايو 2019.") == "2020-03-15"
    assert find_dateline("نص الخبر في 3 مايو 2019.") is None
