"""Page furniture of real regional news: bylines, datelines, agency tags, captions, links and
lists of other stories become furniture (or the `byline` field), never sentences, and `explain`
names the rule. The examples here are written in the shapes the corpora show (names and places
changed); the corpus tests read ../shared/corpora when it is there."""

from __future__ import annotations

import re

import pytest

from summarize.text import (
    explain,
    furniture_rule,
    normalize,
    read_document,
    strip_furniture_explained,
)
from tests import corpora

LEAD = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المنطقة بسعة مئتي سرير."
SECOND = "وأوضح المتحدث باسم الوزارة أن المستشفى سيخدم أكثر من مئة ألف نسمة."


@pytest.mark.parametrize(
    "byline",
    [
        "جدة - واس:",  # city - agency, colon
        "واس - الدمام",
        "سالم العمري - جدة",  # reporter - city
        "الرياض - منيرة الغامدي",
        "ماجد الحربي (الطائف)",  # Okaz: reporter (city)
        "سعاد الزهراني، فهد القحطاني (الرياض)",
        "أبها، نجران: محمد الشهري، علي اليامي",  # several cities and reporters
        "مكة المكرمة: فهد الإحيوي",
        "تبوك-الوئام:",
        "بيروت : (رويترز)",
        "القاهرة: «الشرق الأوسط»",
        "«الاقتصادية» من الرياض",
        "بقلم خالد السعدي",
        "كتب - عبد الله الحربي:",
        "حوار: مريم الدوسري",
        "القاهرة - مكتب الجزيرة - علي سالم:",
    ],
)
def test_bylines_under_the_headline_become_the_byline(byline: str) -> None:
    doc = read_document(f"عنوان الخبر هنا\n\n{byline}\n\n{LEAD} {SECOND}")
    assert doc.title == "عنوان الخبر هنا"
    assert [s.text for s in doc.sentences] == [LEAD, SECOND]
    assert doc.byline and doc.byline in byline
    assert [r.rule for r in doc.removed] in (["byline"], ["dateline-credit"])


@pytest.mark.parametrize("name", ["سطام العنزي", "د. حمزة الغامدي", "إيمان الحمود"])
def test_a_columnists_name_under_the_headline_is_the_byline(name: str) -> None:
    doc = read_document(f"ماذا يعني تجديد الخطاب؟\n\n{name}\n{LEAD} {SECOND}")
    assert doc.byline == name and len(doc.sentences) == 2


@pytest.mark.parametrize(
    ("prefix", "byline"),
    [
        ("سبق- الباحة: ", "سبق- الباحة"),
        ("خالد العتيبي- سبق- جدة: ", "خالد العتيبي- سبق- جدة"),
        ("واس - الكويت : ", "واس - الكويت"),
    ],
)
def test_a_byline_glued_to_the_lead_is_cut(prefix: str, byline: str) -> None:
    doc = read_document(f"عنوان الخبر هنا\n\n{prefix}{LEAD} {SECOND}")
    assert [s.text for s in doc.sentences] == [LEAD, SECOND]
    assert doc.byline == byline


def test_a_caption_glued_to_the_lead_is_cut_and_explained() -> None:
    text = "عنوان الخبر هنا\n\nالوزير خلال الحفلأعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المنطقة."
    doc = read_document(text)
    assert doc.sentences[0].text.startswith("أعلنت وزارة الصحة")
    assert ("الوزير خلال الحفل", "caption") in [(r.text, r.rule) for r in doc.removed]
    assert any(d.step == "furniture" and d.rule == "caption" for d in explain(text))


@pytest.mark.parametrize(
    ("tail", "rule"),
    [
        (" (العربية)", "agency-tag"),
        (" “الفرنسية”", "agency-tag"),
        (" ع ب م", "agency-tag"),  # an editor's initials
        (" رابط الخبر بصحيفة الوئام: عنوان الخبر كما نشر", "read-also"),
        (" مقالات أخرى للكاتبعنوان أولعنوان ثانٍ!عنوان ثالث", "related-titles"),
        (" المصدر : هسبريس", "inline-credit"),
    ],
)
def test_furniture_after_the_last_stop_is_cut(tail: str, rule: str) -> None:
    clean, removed = strip_furniture_explained(LEAD + " " + SECOND + tail)
    assert clean == LEAD + " " + SECOND
    assert [r.rule for r in removed] == [rule]


def test_a_signature_after_the_last_stop_of_the_article_is_the_byline() -> None:
    doc = read_document(f"{LEAD}\n{SECOND} - بدر بن عبدالكريم السعيد")
    assert doc.byline == "بدر بن عبدالكريم السعيد"
    assert doc.sentences[-1].text == SECOND


@pytest.mark.parametrize(
    "line",
    [
        "للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (12) ثم مسافة ثم نص الرسالة إلى 88591",
        "kateb@example.com",
        "البريد الإلكتروني: press@example.com",
        "...المزيد",
        "(تصوير: المحرر)",
    ],
)
def test_contact_and_link_lines_are_furniture(line: str) -> None:
    assert furniture_rule(line) is not None


@pytest.mark.parametrize(
    "text",
    [
        "الإفريقي - النجم : التشكيلة الأساسية للفريقين",  # a headline shaped like a byline
        "تونس: الحكومة تقر إجراءات جديدة لدعم الفلاحين",
        "الهلال - النصر",
        "تفاصيل الخبر",
        "قال الوزير: إن الخطة جاهزة للتنفيذ.",
    ],
)
def test_headlines_and_prose_are_not_bylines(text: str) -> None:
    doc = read_document(f"{text}\n\n{LEAD} {SECOND}")
    assert doc.byline is None and not doc.removed


# -- the corpora ----------------------------------------------------------------------------

_GLUED_BYLINE = re.compile(r"^[^.!؟:]{0,40}[-–]\s*(?:سبق|الوئام|واس)\s*[-–:]")


def test_every_saudinewsnet_outlets_bylines_are_taken_out() -> None:
    """The corpus keeps each article's byline in `author`; put back under the headline, as a
    page shows it, the text layer takes it out (as furniture or the byline) for ≥ 95 % of the
    articles of every outlet, and no first sentence starts with a byline glued to it."""
    corpora.require("saudinewsnet")
    by_outlet: dict[str, list[bool]] = {}
    for article in corpora.saudinewsnet():
        doc = read_document(article.page())
        if doc.sentences:
            assert not _GLUED_BYLINE.match(doc.sentences[0].text), article.id
        for s in doc.sentences:
            assert "رابط الخبر بصحيفة" not in s.text and "مقالات أخرى للكاتب" not in s.text
        author = normalize(article.byline).strip()
        if author:
            removed = " ".join(" ".join(r.text for r in doc.removed).split())
            by_outlet.setdefault(article.source, []).append(author in removed)
    assert len(by_outlet) == 10
    for outlet, found in by_outlet.items():
        assert sum(found) / len(found) >= 0.95, (outlet, sum(found), len(found))


def test_ant_agency_tags_and_initials_are_taken_out() -> None:
    corpora.require("ant")
    for article in corpora.ant():
        doc = read_document(article.page())
        for s in doc.sentences:
            assert not re.fullmatch(r"(?:\S )+\S|\([^()]{2,20}\)", s.text), (article.id, s.text)


def test_a_lead_with_a_byline_before_and_a_tag_after_loses_both() -> None:
    doc = read_document(f"عنوان الخبر هنا\n\nسبق- الباحة: {LEAD} (العربية)\n{SECOND}")
    assert [s.text for s in doc.sentences] == [LEAD, SECOND]
    assert [r.rule for r in doc.removed] == ["byline", "agency-tag"]
