"""Page furniture: the lines a news page carries around an article that are not prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarize.text.bylines import (
    byline_prefix,
    clean_byline,
    is_agency_tag,
    is_byline,
    is_place_or_outlet,
)
from summarize.text.dates import MONTH_NUMBERS, parse_date
from summarize.text.edges import caption_end, is_contact, suffix_cut
from summarize.text.letters import has_letter
from summarize.text.normalize import normalize
from summarize.text.stops import CLOSERS as _CLOSERS
from summarize.text.stops import TERMINALS as _TERMINALS

__all__ = [
    "Removal",
    "byline_of",
    "find_dateline",
    "furniture_rule",
    "strip_furniture",
    "strip_furniture_explained",
]


@dataclass(frozen=True)
class Removal:
    """What :func:`strip_furniture_explained` removed, and why.

    ``text`` is a whole line, or for ``inline-credit`` the credit cut from the end of a line;
    ``line`` counts the lines of the input from 0; ``rule`` names the rule that fired.
    """

    text: str
    rule: str
    line: int


# Separators that may sit between the tokens of a widget or switcher line.
_TOKEN_SEPARATORS = re.compile(r"[\s|/\\·•,،:\-–—_]+")

_LANGUAGE_TOKENS = frozenset(
    {
        # codes
        "ar", "ara", "az", "cn", "de", "deu", "en", "eng", "es", "fa", "fr", "fra", "he",
        "hi", "id", "it", "ja", "kaz", "kk", "ko", "ky", "kz", "ms", "pt", "ru", "rus",
        "tg", "tk", "tr", "ur", "uz", "zh", "рус", "каз", "қаз", "англ",
        # names
        "english", "arabic", "russian", "french", "german", "spanish", "chinese", "turkish",
        "persian", "kazakh", "français", "deutsch", "español", "türkçe", "русский",
        "қазақша", "казахский", "английский", "中文", "عربي", "العربية", "عربى",
        "الإنجليزية", "الانجليزية", "انجليزي", "إنجليزي", "فارسی", "فارسي",
        "اردو", "русская", "версия",
    }
)  # fmt: skip

_WIDGET_TOKENS = frozenset(
    {
        "شارك", "شاركها", "مشاركة", "طباعة", "اطبع", "إطبع", "share", "print", "tweet", "email",
        "facebook", "twitter", "whatsapp", "telegram", "linkedin",
        "فيسبوك", "تويتر", "واتساب", "تلغرام", "تيليجرام", "تليجرام", "يوتيوب", "انستغرام",
        "إنستغرام", "انستجرام", "rss", "youtube", "instagram",
        # "follow us on"
        "تابعنا", "تابعونا", "على", "عبر", "follow", "us", "on",
    }
)  # fmt: skip


_MONTHS = frozenset(MONTH_NUMBERS)

_DATE_WORDS = _MONTHS | frozenset(
    {
        # weekdays
        "الأحد", "الاحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء",
        "الخميس", "الجمعة", "السبت", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        # the second word of كانون الثاني / تشرين الأول, era and clock words
        "الأول", "الاول", "الثاني", "م", "ه", "ص", "صباحا", "صباحاً", "مساء", "مساءً",
        "am", "pm", "gmt", "utc", "التحديث",
        # "published / updated on"
        "نشر", "نُشر", "في", "بتاريخ", "تاريخ", "التاريخ", "النشر", "بتوقيت", "مكة",
        "المكرمة", "غرينتش", "جرينتش", "آخر", "اخر", "تحديث", "published",
        "updated", "on",
    }
)  # fmt: skip

_NUMBERISH = re.compile(r"\d+(?:[.:/\-]\d+)*(?:م|ه)?|(?:gmt|utc)?[+\-−]\d{1,2}:?\d{0,2}|gmt|utc")
_FULL_NUMERIC_DATE = re.compile(r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}")
_DATE_TOKEN_EDGES = "،,.:;|()[]-–—"

_CREDIT = re.compile(
    r"(?:الصورة|صورة|الصور|المصدر|مصدر|حقوق الصورة|تصوير|photo|photos|photo credit"
    r"|image|picture|source|credit|credits)\s*[:：]"
    r"|مصدر الصورة(?:\s|[:：،,])",  # BBC Arabic writes «مصدر الصورة،Getty Images»
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 12

_LATIN_CAPITALS = re.compile(r"[A-Z0-9][A-Z0-9&'.\-]*(?: [A-Z0-9&'.\-]+){0,3}")
_URL_LINE = re.compile(
    r"(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/\S*)?", re.IGNORECASE
)
# Site policy under the article: who is responsible for comments, and the terms of use.
_COMMENT_POLICY = re.compile(
    r"لا\s+تعبر\s+(?:بالضرورة\s+)?عن\s+(?:رأي|وجهة\s+نظر|موقف)\s+(?:ال)?"
    r"(?:موقع|صحيفة|جريدة|قناة|شبكة|إدارة|هيئة|ناشر)"
    r"|(?:التعليقات|الآراء|المقالات)\s+(?:المنشورة|الواردة)[^.؟!]{0,60}(?:تعبر|تعكس)\s+"
    r"(?:عن\s+)?(?:رأي|آراء|وجهات?\s+نظر)\s+(?:أصحابها|كتابها|كاتبيها)"
    r"|مراجعة\s+التعليقات\s+قبل\s+نشرها"
    r"|سياسة\s+الخصوصية[^؟!]{0,80}شروط\s+(?:الاستخدام|استخدام\s+الموقع)"
    r"|\bcomments?\s+(?:policy|do\s+not\s+reflect)",
    re.IGNORECASE,
)
_COMMENT_POLICY_MAX_WORDS = 80
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|(?:جميع|كل|كافة)\s+الحقوق\s+محفوظة|حقوق\s+(?:النشر|الطبع)\s+محفوظة"
    r"|all\s+rights\s+reserved",
    re.IGNORECASE,
)
_COPYRIGHT_MAX_WORDS = 20
# "Read also: <another story's headline>", "link to the story": a link to elsewhere.
_READ_ALSO = re.compile(
    r"^(?:[اإ]قر[أا]|طالع|شاهد)\s+(?:أيضا|أيضاً|ايضا|ايضاً|كذلك|المزيد|كمان)"
    r"|^(?:ممكن|قد)\s+يعجبك|^(?:مقال|مقالات|خبر|أخبار|مواضيع)\s+(?:مقترح|مقترحة|ذات\s+صلة|أخرى)"
    r"|^(?:شارك|شاركوا|شاركي)\s+(?:هذا\s+)?(?:الخبر|المقال|الموضوع)"
    r"|^(?:ال)?رابط\s+(?:القصة|الخبر|المقال|مختصر|دائم|المختصر)"
    r"|^(?:read|see|watch)\s+(?:also|more)\b|^related\s*:"
    r"|^[.…]*\s*(?:المزيد|اقرأ المزيد|التفاصيل)\s*[.…]*$",
    re.IGNORECASE,
)
_READ_ALSO_MAX_WORDS = 30
# «الرياض- البلاد», «سبق - الرياض»: city and outlet on a line of their own, over the story
# (one of them a known place, agency or outlet: «الهلال - النصر» is a headline).
_DATELINE_CREDIT = re.compile(r"[^\W\d_]+ ?[-–—] ?[^\W\d_]+")
# A line before the story's first sentence longer than this is prose, not a headline or byline.
_HEAD_MAX_WORDS = 20
_PAGE_LABELS = frozenset({"نشرت", "نشر", "نشر في", "في", "بواسطة", "posted", "posted by", "by"})
# One or two Latin words alone on a line of an Arabic page: a logo's alt text («Logos»,
# «bdiri») or a site name; never an Arabic sentence.
_LATIN_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9&'\-]*(?: [A-Za-z][A-Za-z0-9&'\-]*)?")


def _tokens(line: str) -> list[str]:
    return [token for token in _TOKEN_SEPARATORS.split(line.casefold()) if token]


def _is_switcher_or_widget(line: str) -> bool:
    tokens = _tokens(line)
    return bool(tokens) and all(t in _LANGUAGE_TOKENS or t in _WIDGET_TOKENS for t in tokens)


def _is_date_line(line: str) -> bool:
    has_number = has_month = False
    for raw in line.casefold().split():
        token = raw.strip(_DATE_TOKEN_EDGES)
        if not token:
            continue
        if _NUMBERISH.fullmatch(token):
            has_number = True
            # a full numeric date («15-03-2020») names its month
            has_month = has_month or _FULL_NUMERIC_DATE.fullmatch(token) is not None
            continue
        # "يوليو/تموز", "2024-يوليو": every part must be a date word or a number
        for part in re.split(r"[/\-]", token):
            if _NUMBERISH.fullmatch(part):
                has_number = True
            elif part in _DATE_WORDS:
                has_month = has_month or part in _MONTHS
            elif part:
                return False
    return has_number and has_month


def _is_credit(line: str) -> bool:
    line = line.strip("()[] ")
    return bool(_CREDIT.match(line)) and len(line.split()) <= _CREDIT_MAX_WORDS


def _is_site_name(line: str) -> bool:
    """A site's name in Latin capitals on its own line («HESPRESS», «CNN»), or a bare address."""
    if _URL_LINE.fullmatch(line):
        return True
    letters = sum(c.isalpha() for c in line)
    if letters >= 2 and _LATIN_CAPITALS.fullmatch(line) is not None:
        return True
    return _LATIN_LABEL.fullmatch(line) is not None


def _is_switcher(line: str) -> bool:
    tokens = _tokens(line)
    return bool(tokens) and all(t in _LANGUAGE_TOKENS for t in tokens)


def _words(line: str) -> int:
    return len(line.split())


def furniture_rule(line: str) -> str | None:
    """The name of the furniture rule a stripped line matches, or None for prose.

    Rules: ``no-letters``, ``language-switcher``, ``share-widget``, ``date-line``, ``credit``,
    ``agency-tag``, ``site-name``, ``dateline-credit``, ``page-label``, ``comment-policy``, ``copyright``,
    ``read-also``, ``contact``. Each matches only lines that cannot be prose: every token belongs to the
    rule's vocabulary, or a known boilerplate phrase in a line of bounded length.
    """
    if not has_letter(line):  # counters, lone numbers, numeric dates, rules like "***"
        return "no-letters"
    if _is_switcher(line):
        return "language-switcher"
    if _is_switcher_or_widget(line):
        return "share-widget"
    if _is_date_line(line):
        return "date-line"
    if _is_credit(line):
        return "credit"
    if is_agency_tag(line):
        return "agency-tag"
    if _is_site_name(line):
        return "site-name"
    if _DATELINE_CREDIT.fullmatch(line) and any(
        is_place_or_outlet(side) for side in re.split(r" ?[-–—] ?", line)
    ):
        return "dateline-credit"
    if " ".join(_tokens(line)) in _PAGE_LABELS:
        return "page-label"
    words = _words(line)
    if words <= _COMMENT_POLICY_MAX_WORDS and _COMMENT_POLICY.search(line):
        return "comment-policy"
    if words <= _COPYRIGHT_MAX_WORDS and _COPYRIGHT.search(line):
        return "copyright"
    if words <= _READ_ALSO_MAX_WORDS and _READ_ALSO.match(line):
        return "read-also"
    if is_contact(line):
        return "contact"
    return None


def _is_prose(line: str) -> bool:
    """A line of the story: it ends a sentence (once a tag or link after its last stop is set
    aside), or it is too long for a headline or byline."""
    bare = line.rstrip().rstrip(_CLOSERS)
    if bare[-1:] in _TERMINALS or _words(line) > _HEAD_MAX_WORDS:
        return True
    cut = suffix_cut(line)
    return cut is not None and _is_prose(line[: cut[0]])


def _cut_edges(line: str, *, lead: bool, last: bool) -> tuple[str, list[tuple[str, str]]]:
    """LINE without the furniture glued to its start (LEAD: the article's first line of prose)
    or its end, and what was cut, as (text, rule)."""
    cuts: list[tuple[str, str]] = []
    if lead:
        for rule, find in (("byline", byline_prefix), ("caption", caption_end)):
            start = find(line)
            if start is not None:
                cuts.append((line[:start].strip(), rule))
                line = line[start:]
    while (cut := suffix_cut(line)) is not None and (cut[1] != "byline" or last):
        start, rule = cut
        cuts.append((line[start:].strip(), rule))
        line = line[:start].rstrip()
    return line, cuts


def strip_furniture_explained(text: str) -> tuple[str, list[Removal]]:
    """Drop page furniture from normalized ``text``, saying which rule removed what.

    Whole lines go when :func:`furniture_rule` names a rule, or when a line before the story's
    first line of prose, or its last line, is a byline (rule ``byline``). Furniture glued to a
    line of prose is cut from it: a byline or a photo caption before the first sentence
    (``byline``, ``caption``), a source credit, an agency tag, a link or a list of other
    stories after a line's last stop (``inline-credit``, ``agency-tag``, ``read-also``,
    ``related-titles``, ``byline``). Returns the cleaned text (normalized again, so
    blank-line structure survives) and the removals in order.
    """
    lines = text.split("\n")
    filled = [n for n, line in enumerate(lines) if line.strip()]
    head = set(filled[:1])  # a headline may end in «!» or «؟»: the head goes on after it
    for n in filled[1:]:
        if _is_prose(lines[n].strip()):
            break
        head.add(n)
    last = filled[-1] if filled else -1
    kept: list[str] = []
    removed: list[Removal] = []
    lead_seen = False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        rule = furniture_rule(stripped)
        if rule is None and (number in head or number == last):
            position = filled.index(number)
            under_headline = position == 1 and len(filled) > 2 and _is_prose(lines[filled[2]])
            alone = under_headline or (number == last and position > 0)
            if is_byline(stripped, first=position == 0, alone=alone):
                rule = "byline"
        if rule is not None:
            removed.append(Removal(stripped, rule, number))
            continue
        lead = not lead_seen and _is_prose(stripped)
        lead_seen = lead_seen or lead
        line, cuts = _cut_edges(line, lead=lead, last=number == last)
        removed += [Removal(cut, rule, number) for cut, rule in cuts]
        kept.append(line)
    return normalize("\n".join(kept)), removed


def byline_of(removed: list[Removal]) -> str | None:
    """The article's byline: the first one furniture removal took out, cleaned, else its
    agency tag; or None."""
    for rules in (("byline", "dateline-credit"), ("agency-tag",)):  # a lone «رويترز» too
        for removal in removed:
            if removal.rule in rules:
                return clean_byline(removal.text) or None
    return None


def strip_furniture(text: str) -> tuple[str, list[str]]:
    """Drop page furniture from normalized ``text``.

    Returns the cleaned text and what was removed, in order, so a caller can log it; see
    :func:`strip_furniture_explained` for the rule behind each removal.
    """
    clean, removed = strip_furniture_explained(text)
    return clean, [r.text for r in removed]


_DATELINE_SCAN_LINES = 15


def find_dateline(text: str) -> str | None:
    """The publication date from a dateline near the top of ``text``, as ``YYYY-MM-DD``.

    Only date lines (lines that are nothing but a date, see the ``date-line`` rule) among the
    first 15 count, so a date mentioned in the story or in a link to another story is not taken
    for the date of the story.
    """
    seen = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _DATELINE_SCAN_LINES:
            break
        if _is_date_line(stripped):
            found = parse_date(stripped)
            if found:
                return found
    return None
