"""Pauses and what follows a mark: whether the clause before goes on.

«..», «...» and «…» are pauses in Gulf and Maghreb copy as often as they are stops, and a
writer's «.», «!» or «؟» is sometimes a comma. These rules decide from the words around the
mark (a participle, «أن», a preposition left hanging, a subordinate clause waiting for its main
clause, a label, a short quoted title); :func:`summarize.text.stops.line_decisions` asks them.
docs/text-rules.md lists each rule with a real example and the judged figures.
"""

from __future__ import annotations

import re

from summarize.text.marks import CLOSERS as _CLOSERS
from summarize.text.marks import OPENERS as _OPENERS
from summarize.text.marks import TERMINALS as _TERMINALS
from summarize.text.marks import VOWEL_MARKS as _MARKS
from summarize.text.marks import WINDOW as _WINDOW

__all__ = ["Quotes", "continues_after_stop", "is_pause", "pause_rule", "quoted_mark_continues"]

# Circumstantial participles of saying: «.. مضيفا أنها …»
_SAYING_PARTICIPLES = frozenset(
    {
        "مضيفا", "مضيفة", "مؤكدا", "مؤكدة", "مشيرا", "مشيرة", "موضحا", "موضحة", "لافتا",
        "لافتة", "قائلا", "قائلة", "معتبرا", "معتبرة", "مبينا", "مبينة", "منوها", "منوهة",
    }
)  # fmt: skip
# «..» and «...» are pauses in Gulf and Maghreb copy as often as they are stops. A pause
# does not end a sentence before these words, which continue the clause...
_CONTINUATIONS = frozenset(
    {
        "أن", "أنه", "أنها", "أنهم", "أنهما", "أننا", "بأن", "بأنه", "بأنها", "لأن", "ولأن",
        "وأن", "وأنه", "وأنها", "وبأن", "ألا", "وألا", "كأن", "كأنه", "كأنها", "وكأن", "وكأنه",
        "وكأنها", "كي", "لكي", "ولكي", "حتى", "الذي", "التي", "الذين", "اللذين", "اللتين",
        "اللواتي", "حيث", "إذ", "بل", "أو", "أم", "من", "في", "على", "إلى", "عن",
        "مع", "لدى", "نحو", "منذ", "خلال", "عبر", "ضد", "بين", "مقابل", "و", "ف", "ولا",
        "أي", "إلا", "سوى", "فيما", "إلخ", "الخ", "إلى آخره", "علما",
    }
) | _SAYING_PARTICIPLES  # fmt: skip
# These two-word openers start a new sentence although their first word is a preposition.
_OPENERS_TWO_WORDS = frozenset(
    {
        "من جانبه", "من جانبها", "من جانبهم", "من جهته", "من جهتها", "من جهتهم", "من جهة",
        "من ناحيته", "من ناحيتها", "من ناحية", "في المقابل", "في غضون", "في السياق",
        "في سياق", "في الأثناء", "في هذا", "في هذه", "على صعيد", "على الصعيد", "إلى ذلك",
        "في حين", "مع ذلك", "من هنا",
    }
)  # fmt: skip
# ...nor after a bare discourse opener («على صعيد آخر..», «وفي السياق ذاته..»): up to four
# words that start with one of these are a lead-in, not a sentence.
_LEAD_IN_STARTS = frozenset(
    {
        "على", "وعلى", "في", "وفي", "من", "ومن", "إلى", "وإلى", "أما", "وأما", "بعد", "وبعد",
        "قبل", "وقبل", "بالنسبة", "وبالنسبة", "حول", "وحول", "عن", "وعن", "مع", "ومع",
        "خلال", "وخلال", "بين", "وبين", "بالمقابل", "وبالمقابل", "هكذا", "وهكذا",
        "إذن", "اذن", "بعيدا", "وبعيدا", "بعيداً", "وبعيداً",
    }
)  # fmt: skip
_LEAD_IN_MAX_WORDS = 4
# «إن» after a verb of saying is its object («وأكد.. إن المملكة»); elsewhere it opens a
# sentence («.. إن مؤسسات المجتمع يجب …»).
_INNA = frozenset({"إن", "إنه", "إنها", "إنهم", "إننا", "إني"})
_SAYING = frozenset(
    {
        "قال", "قالت", "يقول", "تقول", "أكد", "أكدت", "يؤكد", "تؤكد", "أضاف", "أضافت",
        "أوضح", "أوضحت", "أشار", "أشارت", "ذكر", "ذكرت", "أعلن", "أعلنت", "صرح", "صرحت",
        "اعتبر", "اعتبرت", "رأى", "يرى", "ترى", "أفاد", "أفادت", "لافتا", "مضيفا", "مؤكدا",
        "مشيرا", "موضحا", "قائلا", "وقال", "وقالت", "وأكد", "وأضاف", "وأوضح", "وأشار",
    }
)  # fmt: skip
# A subordinate clause before a pause («قبل أن أنتقل إلى الحاضر…», «إذا انتظرنا قليلاً..»):
# the main clause follows.
_SUBORDINATORS = frozenset(
    {
        "عندما", "وعندما", "حين", "وحين", "حينما", "لما", "ولما", "إذا", "وإذا", "لو", "ولو",
        "كلما", "وكلما", "متى", "ومتى", "بينما", "وبينما", "مثلما", "كما", "نظرا", "لأن",
        "ولأن",
    }
)  # fmt: skip
_SUBORDINATE_MAX_WORDS = 8
# Pronouns that look like «أن» with a suffix: «أنا بصراحة …» opens a sentence.
_PRONOUNS = frozenset({"أنا", "أنت", "أنتم", "أنتما", "أنتن"})
_AFTER_BEFORE = frozenset({"قبل أن", "بعد أن", "وبعد أن"})
# ...and a clause that opens with a condition, a concession or «أما» has its main clause after
# a pause, led by «ف» («ورغم أن الطريق طويل.. فسنصل», «إذا تأخر الدعم.. فإن المشروع …»).
_MAIN_CLAUSE_OPENERS = frozenset(
    {
        "رغم", "ورغم", "برغم", "وبرغم", "مهما", "ومهما", "أما", "وأما", "إذا", "وإذا",
        "نظرا", "ونظرا", "طالما", "وطالما",
    }
)  # fmt: skip
_MAIN_CLAUSE = re.compile(
    "ف(?:ال|إن|إذا|قد|لن|لا|لم|ليس|هو|هي|هم|هذا|هذه|س[يتنأ]|سوف|كان|إنه|إنها|إننا|إني|أنا|نحن|أنت)"
)
# A sentence does not end on a preposition, a conjunction or a word that announces what
# follows («والسبب مفاده.. أن …», «إلى جانب..», «لكن..»).
_DANGLING = frozenset(
    {
        "في", "من", "على", "إلى", "عن", "مع", "لدى", "بين", "نحو", "حول", "عند", "مثل",
        "جانب", "أو", "أم", "ثم", "بل", "لكن", "ولكن", "أن", "إن", "قد", "لم", "لن",
        "مفاده", "مفادها", "ومفاده", "ومفادها", "كالتالي", "كالآتي", "التالي", "الآتي",
    }
)  # fmt: skip
# A pause inside quotes keeps a short quoted name or title together («الفهد.. روح القيادة»):
# the quote closes within this many words. A long quotation is split as any text is.
_SHORT_QUOTE_WORDS = 10
_QUOTE_OPENERS = '«“("'
_QUOTE_CLOSERS = '»”)"'
_BULLETS = "*•-–—"
# Adverbs shaped like a participle in the accusative (م…ًا), which may open a sentence
# («ميدانياً، تقدمت القوات …»).
_NOT_HAL = frozenset(
    {
        "مثل", "مؤخر", "مبدئي", "مسبق", "مساء", "ميداني", "محلي", "مرحلي", "مستقبلي",
        "معنوي", "مجان", "مطلق", "مستقبل", "مؤقت", "مبكر",
    }
)  # fmt: skip
# A line this short with no final stop is a headline, sub-heading or pull quote: pauses
# inside it («الفهد.. روح القيادة») never split it.
_HEADLINE_MAX_WORDS = 30
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))
_QUOTE_MARKS = '«»“”()"'


class Quotes:
    """What the pause rules ask of a whole line, worked out once: whether it reads as a
    headline, and whether a place sits inside an open «», “”, "" or () pair (asked at places in
    increasing order, the marks are counted once over the line)."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.at = 0
        self.counts = dict.fromkeys(_QUOTE_MARKS, 0)
        # A line this short with no final stop is a headline, sub-heading or pull quote.
        bare = line.rstrip().rstrip(_CLOSERS)
        self.headline_like = (
            bool(bare)
            and bare[-1] not in _TERMINALS
            and (len(line.split(maxsplit=_HEADLINE_MAX_WORDS)) <= _HEADLINE_MAX_WORDS)
        )

    def inside(self, index: int) -> bool:
        if index < self.at:  # asked out of order: count afresh
            self.at, self.counts = 0, dict.fromkeys(_QUOTE_MARKS, 0)
        for mark in _QUOTE_MARKS:
            self.counts[mark] += self.line.count(mark, self.at, index)
        self.at = index
        if self.counts['"'] % 2 == 1:
            return True
        return any(self.counts[a] > self.counts[b] for a, b in _QUOTE_PAIRS)


def _in_short_quote(line: str, start: int, end: int, quotes: Quotes) -> bool:
    """Whether the pause at ``line[start:end]`` sits inside a short quote, a name or title
    («الفهد.. روح القيادة»): at most a few words from its opening to its closing mark."""
    if not quotes.inside(start):
        return False
    low, high = max(0, start - _WINDOW), min(len(line), end + _WINDOW)
    opened = max(line.rfind(c, low, start) for c in _QUOTE_OPENERS)
    closes = [i for i in (line.find(c, end, high) for c in _QUOTE_CLOSERS) if i >= 0]
    if opened < 0 or not closes:
        return False
    return len(line[opened : min(closes)].split()) <= _SHORT_QUOTE_WORDS


def quoted_mark_continues(line: str, start: int, end: int) -> bool:
    """A «؟» or «!» inside a sentence that goes on: the end of a quoted title or question
    («تحت عنوان "أي مصير للعائدين؟" أنه علينا …»), or before «أو» («… بعملية ختان! أو
    زائدة دودية») or a participle describing its subject («… ينادي: «يا سُعَيِّد»! مبشرًا …»)."""
    if line[start] not in "!?؟\u203c":
        return False
    raw = _next_words(line, end, 1)
    following = _MARKS.sub("", raw)
    if following == "أو" or _is_hal(raw):
        return True
    return line[end - 1] in _QUOTE_CLOSERS and following in _CONTINUATIONS


def _is_hal(word: str) -> bool:
    """An active participle in the accusative («مبشرًا», «مضيفاً»): it describes the subject
    of the clause before, so that clause goes on."""
    raw = word.rstrip(_TERMINALS)
    bare = _MARKS.sub("", raw)
    # «معربا», «مطالبا»: the tanween may be left unwritten
    if not raw.endswith(("ًا", "اً")) and (
        not bare.endswith("ا") or bare.startswith("ما") or bare.endswith(("نا", "ها"))
    ):
        return False
    stem = bare[:-1]
    return bare.startswith("م") and len(stem) >= 4 and stem not in _NOT_HAL


# After a full stop, the clause before still goes on when the next word is a participle
# describing its subject («… في الحفل. مشيراً إلى أن …») or a coordinated «أن» clause («… أكد
# أن الوفد وصل. وأن الاجتماع يبدأ غداً»): the writer's stop is a comma.
_THAT_AND = frozenset({"وأن", "وأنه", "وأنها", "وأنهم", "وبأن", "وبأنه", "وبأنها"})


def continues_after_stop(line: str, end: int) -> bool:
    raw = _next_words(line, end, 1)
    word = _MARKS.sub("", raw)
    return _is_hal(raw) or word in _THAT_AND or word in _SAYING_PARTICIPLES


def is_pause(run: str) -> bool:
    """«..», «...», «…»: marks that Gulf and Maghreb copy use for a pause as well as a stop."""
    return len(run) >= 2 and set(run) <= {".", "…"} or run == "…"


def _next_words(line: str, index: int, count: int) -> str:
    words = line[index : index + _WINDOW].split(maxsplit=count)[:count]
    return " ".join(w.strip(_OPENERS + _CLOSERS + "،,:؛;") for w in words)


def _is_label(segment: str, words: list[str]) -> bool:
    """A sub-heading or label glued before a pause, not a sentence: one or two definite words
    («الدراما المحلية.. في المقدمة»), or a short quoted title alone («"الحصاد".. برنامج …»)."""
    if 1 <= len(words) <= 2 and all(
        _MARKS.sub("", w.strip(_CLOSERS)).startswith("ال") for w in words
    ):
        return True
    return (
        len(words) <= 3
        and segment[:1] in _QUOTE_OPENERS
        and segment[-1:] in _QUOTE_CLOSERS
        and not any(c in _QUOTE_CLOSERS for c in segment[1:-1])
    )


def _answered(words: list[str]) -> bool:
    """Whether the main clause («فإن …», «فالمملكة …») has come after the opening word."""
    return any(_MAIN_CLAUSE.match(_bare(w)) for w in words[1:])


def _words(text: str) -> list[str]:
    return [w for w in (w.strip(_OPENERS + _BULLETS) for w in text.split()) if w]


def _is_lead_in(words: list[str]) -> bool:
    return len(words) <= _LEAD_IN_MAX_WORDS and bool(words) and _bare(words[0]) in _LEAD_IN_STARTS


def _bare(word: str) -> str:
    return _MARKS.sub("", word)


def pause_rule(
    line: str, start: int, end: int, segment_start: int, quotes: Quotes
) -> tuple[bool, str]:
    """Split or not at the pause ``line[start:end]``, decided from where it is, the sentence
    before it (which starts at SEGMENT_START) and what follows it."""
    if line[end - 1] not in _CLOSERS and _in_short_quote(line, start, end, quotes):
        return False, "pause-in-quotes"
    if quotes.headline_like:
        return False, "pause-in-headline"
    # the sentence so far: its first words and its last (a long one needs no more)
    before = _words(line[segment_start : min(start, segment_start + _WINDOW)])
    if start - segment_start > _WINDOW:
        before += _words(line[max(segment_start, start - _WINDOW) : start])
    opener = _bare(before[0]) if before else ""
    # a lead-in: the sentence's, or a clause's after «:» or «،» («المدينة : بعد وصولهم..»)
    clause = max(line.rfind(c, max(segment_start, start - _WINDOW), start) for c in ":،")
    if _is_lead_in(before) or (
        clause > segment_start and _is_lead_in(_words(line[clause + 1 : start]))
    ):
        return False, "pause-after-lead-in"
    if start - segment_start <= _WINDOW and _is_label(line[segment_start:start].strip(), before):
        return False, "pause-after-label"
    subordinate = opener in _SUBORDINATORS or " ".join(before[:2]) in _AFTER_BEFORE
    following = _bare(_next_words(line, end, 1)).rstrip(_TERMINALS)
    if (subordinate or opener in _MAIN_CLAUSE_OPENERS) and not _answered(before):
        if subordinate and len(before) <= _SUBORDINATE_MAX_WORDS:
            return False, "pause-after-lead-in"
        if opener in _MAIN_CLAUSE_OPENERS and _MAIN_CLAUSE.match(following):
            return False, "pause-before-main-clause"
    if before and _bare(before[-1]).rstrip(_TERMINALS + _CLOSERS) in _DANGLING:
        return False, "pause-after-dangling-word"
    if _next_words(line, end, 2) in _OPENERS_TWO_WORDS:
        return True, "pause-new-sentence"
    hal = _is_hal(_next_words(line, end, 1))
    complement = following.startswith(("لأن", "بأن")) or (
        following.startswith("أن") and len(following) <= 5 and following not in _PRONOUNS
    )  # «لأنك», «بأنهم», «أنني»: the clause before goes on; «أنا», «أنت» open a new one
    if following in _CONTINUATIONS or following[:1].isdigit() or hal or complement:
        return False, "pause-continuation"
    if following in _INNA and any(w in _SAYING for w in before[-3:]):
        return False, "pause-continuation"
    return True, "pause-new-sentence"
