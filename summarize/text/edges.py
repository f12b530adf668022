"""Furniture glued to a line of prose: cut from its start or its end, the prose kept.

Scraped copy glues a photo caption to the first sentence («… لحظة وصولها مطار عدنإنفاذاً
لتوجيهات …»), and a source, an agency tag, an editor's initials or a link to the story to the
last one («… من إفريقيا. (العربية)», «… أمس. رابط الخبر بصحيفة الوئام: …»). Whole lines of
contact details, columnists' addresses and lists of other stories' titles glued together are
furniture too.
"""

from __future__ import annotations

import re

from summarize.text.bylines import has_prose_word, is_agency_tag
from summarize.text.letters import is_arabic_letter

__all__ = ["caption_end", "is_contact", "suffix_cut"]

# After the last stop of a line of prose: a source credit, an agency tag in brackets or
# quotes, an editor's initials, a link to the story.
_AFTER_STOP = r"(?<=[.!?؟…»”\"])\s*"
# Links and lists of other stories are marked by their words, so a space is enough before them.
_AFTER_STOP_OR_SPACE = r"(?:(?<=[.!?؟…»”\"])|\s)\s*"
_SUFFIXES = (
    ("inline-credit", re.compile(_AFTER_STOP + r"((?:المصدر|مصدر|المصادر)\s*[:：][^.!?؟…:：]{1,80})$")),
    ("agency-tag", re.compile(_AFTER_STOP + r"(\([^()\d.!?؟:]{2,30}\)|[«“\"][^«»“”\"]{2,20}[»”\"]|(?:[^\W\d_] ){1,3}[^\W\d_])$")),
    ("read-also", re.compile(_AFTER_STOP_OR_SPACE + r"((?:ال)?رابط\s+(?:الخبر|المقال|الموضوع)\s+(?:ب|في|على)[^:：]{0,40}[:：].{0,200})$")),
    ("related-titles", re.compile(_AFTER_STOP_OR_SPACE + r"((?:مقالات|مواضيع|أخبار)\s+(?:أخرى|ذات\s+صلة)(?:\s+للكاتب(?:ة)?)?.*)$")),
    ("byline", re.compile(r"(?<=[.!?؟…»”\"}])\s*([-–—]\s*[^\d.!?؟]{2,60})$")),
)  # fmt: skip
_SUFFIX_MAX_WORDS = {
    "inline-credit": 8, "agency-tag": 4, "read-also": 40, "related-titles": 120, "byline": 7
}  # fmt: skip

# A caption glued to the lead: the caption's last word and the lead's first verb run together
# with no space («الشيخ السندأكّد», «المعايدةأقامت», «بعربي 13أسفرت»). The verbs that open
# news leads and begin with a hamza never follow letters inside one word once a caption's
# word has three letters; the others are too short to tell from a word's ending.
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_LEAD_VERBS = frozenset(
    """
    أكد أكدت أعلن أعلنت أوضح أوضحت أشار أشارت أفاد أفادت أقام أقامت أصدر أصدرت أسفرت أسفر
    إنفاذا إنفاذاً أطلق أطلقت أبرم أبرمت أجرى أجرت أنهى أنهت أثار أثارت أعرب أعربت أبدى أبدت
    أدان أدانت أحبط أحبطت أقر أقرت أمر أمرت أصيب أصيبت أعاد أعادت أشاد أشادت أعلنت
    """.split()
)
_OTHER_LEAD_VERBS = frozenset({"تشير", "يشير", "استقبل", "استقبلت", "افتتح", "افتتحت"})
_CAPTION_MAX_WORDS = 14
_ONE_WORD_CAPTION = 4  # a caption of one word glued to the lead: a name of 4 letters or more
_LEAD_MIN_WORDS = 8

# Contact details: a columnist's e-mail, «للتواصل مع الكاتب …», phone and e-mail lines.
_CONTACT = re.compile(
    r"^(?:\S+@\S+\.[A-Za-z]{2,}\s*)?(?:للتواصل|للاتصال|للتواصل مع الكاتب)\b"
    r"|^(?:البريد الإلكتروني|البريد الالكتروني|الهاتف|هاتف|الجوال|جوال|فاكس|الفاكس|e-?mail|tel)\s*[:：]"
    r"|^\S+@\S+\.[A-Za-z]{2,}$",
    re.IGNORECASE,
)
_CONTACT_MAX_WORDS = 40


def suffix_cut(line: str) -> tuple[int, str] | None:
    """(where the furniture starts, its rule) when LINE ends with a credit, an agency tag, an
    editor's initials or a link to the story after its last stop; else None."""
    for rule, pattern in _SUFFIXES:
        match = pattern.search(line)
        if match is None or len(match.group(1).split()) > _SUFFIX_MAX_WORDS[rule]:
            continue
        tag = match.group(1)
        if rule == "agency-tag" and tag[0] in '«“"' and not is_agency_tag(tag):
            continue
        if rule == "byline" and has_prose_word(tag):
            continue
        before = line[: match.start(1)]
        if sum(is_arabic_letter(c) for c in before) >= 10:
            return match.start(1), rule
    return None


def _lead_verb_at(word: str) -> int | None:
    """Where a lead verb starts inside WORD, after a caption's last word, or None."""
    where = [i for i, c in enumerate(word) if not _MARKS.match(c)]  # «السندأكَّد»
    bare = "".join(word[i] for i in where)
    for k in range(2, len(bare) - 2):
        verb, before = bare[k:], bare[:k]
        known = verb in _LEAD_VERBS or verb in _OTHER_LEAD_VERBS and len(before) >= 3
        if not known or before.startswith(("ال", "وال", "بال", "لل")) and len(before) <= 4:
            continue
        return where[k]
    return None


def caption_end(line: str) -> int | None:
    """Where the lead starts when a photo caption is glued to it at the start of LINE, or None.

    The caption is a few words with no stop; the word where it meets the lead is two words run
    together, the second a verb that opens news leads («الشيخ السندأكّد»)."""
    offset = 0
    for n, word in enumerate(line.split()):
        offset = line.index(word, offset)
        if n >= _CAPTION_MAX_WORDS or word[-1:] in ".!?؟:،,":
            return None
        cut = _lead_verb_at(word)
        if cut is not None and n == 0 and cut < _ONE_WORD_CAPTION:  # «الشعيبيأعلن»
            cut = None
        if cut is not None:
            start = offset + cut
            if len(line[start:].split()) >= _LEAD_MIN_WORDS:
                return start
            return None
        offset += len(word)
    return None


def is_contact(line: str) -> bool:
    """A line of contact details: e-mail, phone, «للتواصل مع الكاتب …»."""
    return len(line.split()) <= _CONTACT_MAX_WORDS and _CONTACT.search(line) is not None
