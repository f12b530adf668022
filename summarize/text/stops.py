"""Where a line's stops end a sentence: every candidate mark («. ! ؟ .. … ») and the rule that
decides it (abbreviations, decimals, URLs, pauses before a continuation...).

Pure and per line: :mod:`summarize.text.sentences` assembles lines into sentences and paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

from summarize.text.letters import is_arabic_letter

__all__ = ["CLOSERS", "OPENERS", "TERMINALS", "line_decisions"]

_TERMINALS = ".!?؟…\u06d4\u203c\u2047\u2048\u2049"
_CLOSERS = "\"'”’»›)]}〉》」』"
_OPENERS = "\"'“‘«‹([{〈《「『"
_STRAIGHT_QUOTES = "\"'"
_TERMINAL_RUN = re.compile(f"[{re.escape(_TERMINALS)}]+[{re.escape(_CLOSERS)}]*")

# Spans in which no sentence may end: URLs (host ASCII, path up to an Arabic letter) and
# e-mail addresses. Domain names and file names ("kazinform.kz", "report.pdf") need no
# entry: a full stop followed by a Latin letter or digit never ends a sentence.
_URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9.\-]+(?::\d+)?(?:/[^\s\"«»<>\u0600-\u06ff\u0750-\u077f]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_URL_TRAILING = ".,;:!?؟،)»\"'”’…"

# Latin abbreviations that precede a name or a number, so never end a sentence.
_LATIN_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "gov", "sen",
        "rep", "rev", "hon", "capt", "cmdr", "adm", "maj", "messrs", "mt", "ft", "no",
        "nos", "fig", "figs", "vol", "vols", "pp", "p", "cf", "viz", "approx", "dept",
        "art", "ch", "sec", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
# Latin abbreviations that end a sentence unless lowercase text or a number follows.
_LATIN_MAYBE_FINAL = frozenset({"etc", "al", "inc", "ltd", "co", "corp", "jr", "sr", "vs"})
# Latin initials written in Arabic letters («جون إف. كينيدي»). Not «في», «إن», «أو»: they are
# words, and a «في.» or «إن.» never stands for an initial.
_TRANSLITERATED_INITIALS = frozenset(
    {
        "إف", "اف", "جي", "دي", "بي", "سي", "إس", "اس", "إم", "ام", "إل", "آر", "تي", "كيه",
        "إتش", "اتش", "إكس", "اكس", "يو", "زد", "كيو", "واي", "جيه",
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
        # circumstantial participles of saying: «.. مضيفا أنها …»
        "مضيفا", "مضيفة", "مؤكدا", "مؤكدة", "مشيرا", "مشيرة", "موضحا", "موضحة", "لافتا",
        "لافتة", "قائلا", "قائلة", "معتبرا", "معتبرة", "مبينا", "مبينة", "منوها", "منوهة",
    }
)  # fmt: skip
# These two-word openers start a new sentence although their first word is a preposition.
_OPENERS_TWO_WORDS = frozenset(
    {
        "من جانبه", "من جانبها", "من جانبهم", "من جهته", "من جهتها", "من جهتهم", "من جهة",
        "من ناحيته", "من ناحيتها", "من ناحية", "في المقابل", "في غضون", "في السياق",
        "في سياق", "في الأثناء", "في هذا", "في هذه", "على صعيد", "على الصعيد", "إلى ذلك",
        "في حين", "مع ذلك",
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
# A pause inside quotes keeps a short quoted name or title together («الفهد.. روح القيادة»):
# the quote closes within this many words. A long quotation is split as any text is.
_SHORT_QUOTE_WORDS = 10
_QUOTE_OPENERS = '«“("'
_QUOTE_CLOSERS = '»”)"'
_BULLETS = "*•-–—"
_CLAUSE_MARKS = "،,؛;"
_NOT_HAL = frozenset({"مثل", "مؤخر", "مبدئي", "مسبق", "مساء"})
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# A line this short with no final stop is a headline, sub-heading or pull quote: pauses
# inside it («الفهد.. روح القيادة») never split it.
_HEADLINE_MAX_WORDS = 30
_QUOTE_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))
_QUOTE_MARKS = '«»“”()"'
# How far around a mark the rules look (a sentence's opening words, the next words, a short
# quote): a bound, so that a line of a million characters costs no more per mark than a short one.
_WINDOW = 300
_NON_SPACE = re.compile(r"\S")
_ALNUM = re.compile(r"[^\W_]")
_DOTTED_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_LIST_NUMBER = re.compile(r"\(?\d{1,3}")


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _protected_spans(line: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (_URL, _EMAIL):
        for match in pattern.finditer(line):
            end = match.end()
            while end > match.start() and line[end - 1] in _URL_TRAILING:
                end -= 1
            spans.append((match.start(), end))
    return spans


def _next_non_space(line: str, index: int) -> str:
    while index < len(line) and line[index].isspace():
        index += 1
    return line[index] if index < len(line) else ""


def _is_abbreviation(line: str, dot: int, after: int) -> bool:
    """Whether the single full stop at ``line[dot]`` belongs to an abbreviation or initial."""
    word_start = dot
    while word_start > 0 and not line[word_start - 1].isspace():
        word_start -= 1
    word = line[word_start:dot].lstrip(_OPENERS)
    following = _next_non_space(line, after)
    if not word:
        return False
    if _DOTTED_INITIALISM.fullmatch(word):  # U.S., e.g., i.e., a.m.
        return True
    token = word + line[dot : dot + _WINDOW].split(maxsplit=1)[0] if dot < len(line) else word
    parts = token.strip(_CLOSERS + ".").split(".")
    if len(parts) >= 3 and all(0 < len(p) <= 3 for p in parts):  # «إي.إس.إي.تي», «يو.إس.بي»
        return True
    lowered = word.casefold()
    if lowered in _LATIN_TITLES:
        return True
    if lowered in _LATIN_MAYBE_FINAL:
        return following.isdigit() or (following.islower() and _is_latin_letter(following))
    if len(word) == 1 and word.isupper() and _is_latin_letter(word):  # J. Smith
        return _is_latin_letter(following) and following.isupper()
    if word in _TRANSLITERATED_INITIALS and is_arabic_letter(following or " "):
        # «جون إف. كينيدي»: only after a first name, so never at a sentence's start
        return _NON_SPACE.search(line, 0, word_start) is not None
    # A single Arabic letter: د. أ. م. before a name, أ.د., ق.م
    letters_start = dot
    while letters_start > 0 and (
        line[letters_start - 1].isalpha() or unicodedata.category(line[letters_start - 1])[0] == "M"
    ):
        letters_start -= 1
    letters = [c for c in line[letters_start:dot] if c.isalpha()]
    if letters[:1] == ["و"] and len(letters) == 2:  # وأ.د. — "and Prof." (no 2-letter و-words)
        letters = letters[1:]
    if len(letters) == 1 and is_arabic_letter(letters[0]):
        if not _is_era_marker(line, word_start, word):
            return True
        # After a year: «م.» and «ق.م.» end a sentence, but the «ق.» of a glued «ق.م» does not.
        glued = after < len(line) and not line[after].isspace()
        return glued and "." not in word and not word[0].isdigit()
    return False


def _is_era_marker(line: str, word_start: int, word: str) -> bool:
    """«م.» or «ق.م.» after a year ends a sentence; «م.» before a name does not."""
    if word[0].isdigit():  # 2024م.
        return True
    previous = line[max(0, word_start - _WINDOW) : word_start].split()
    return bool(previous) and previous[-1].strip(_OPENERS + _CLOSERS).isdigit()


def _starts_glued_sentence(line: str, index: int) -> bool:
    """An Arabic letter (maybe behind an opening quote) right after a stop: «السلام.ونظراً»."""
    if index >= len(line):
        return False
    char = line[index]
    if char in _OPENERS and index + 1 < len(line):
        char = line[index + 1]
    return is_arabic_letter(char)


class _Quotes:
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


def _in_short_quote(line: str, start: int, end: int, quotes: _Quotes) -> bool:
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


def _quoted_mark_continues(line: str, start: int, end: int) -> bool:
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
    bare = word.rstrip(_TERMINALS)
    return (
        bare.startswith("م")
        and bare.endswith(("ًا", "اً"))
        and len(bare) >= 5
        and (bare[:-2] not in _NOT_HAL)
    )


def _is_pause(run: str) -> bool:
    """«..», «...», «…»: marks that Gulf and Maghreb copy use for a pause as well as a stop."""
    return len(run) >= 2 and set(run) <= {".", "…"} or run == "…"


def _next_words(line: str, index: int, count: int) -> str:
    words = line[index : index + _WINDOW].split(maxsplit=count)[:count]
    return " ".join(w.strip(_OPENERS + _CLOSERS + "،,:؛;") for w in words)


def _pause_rule(
    line: str, start: int, end: int, segment_start: int, quotes: _Quotes
) -> tuple[bool, str]:
    """Split or not at a pause, decided from where it is and what follows it. SEGMENT_START is
    where the current sentence starts, CLAUSE_START where the text since the last mark does."""
    if line[end - 1] not in _CLOSERS and _in_short_quote(line, start, end, quotes):
        return False, "pause-in-quotes"
    if quotes.headline_like:
        return False, "pause-in-headline"
    # the sentence so far: its first words and its last (a long one needs no more)
    head = line[segment_start : min(start, segment_start + _WINDOW)].split()
    if start - segment_start > _WINDOW:
        head += line[max(segment_start, start - _WINDOW) : start].split()
    before = [w for w in (w.strip(_OPENERS + _BULLETS) for w in head) if w]
    opener = _MARKS.sub("", before[0]) if before else ""
    if len(before) <= _LEAD_IN_MAX_WORDS and opener in _LEAD_IN_STARTS:
        return False, "pause-after-lead-in"
    if len(before) <= _SUBORDINATE_MAX_WORDS and (
        opener in _SUBORDINATORS or " ".join(before[:2]) in ("قبل أن", "بعد أن", "وبعد أن")
    ):
        return False, "pause-after-lead-in"
    following = _MARKS.sub("", _next_words(line, end, 1)).rstrip(_TERMINALS)
    if _next_words(line, end, 2) in _OPENERS_TWO_WORDS:
        return True, "pause-new-sentence"
    hal = _is_hal(_next_words(line, end, 1))
    complement = (
        following.startswith(("لأن", "بأن")) or following.startswith("أن") and len(following) <= 5
    )  # «لأنك», «بأنهم», «أنني»: the clause before goes on
    if following in _CONTINUATIONS or following[:1].isdigit() or hal or complement:
        return False, "pause-continuation"
    if following in _INNA and any(w in _SAYING for w in before[-3:]):
        return False, "pause-continuation"
    return True, "pause-new-sentence"


def line_decisions(line: str) -> list[tuple[int, bool, str]]:
    """(offset after the mark, split?, rule) for every candidate stop in ``line``."""
    protected = _protected_spans(line)
    decisions: list[tuple[int, bool, str]] = []
    segment_start = 0
    quotes = _Quotes(line)
    for match in _TERMINAL_RUN.finditer(line):
        start, end = match.start(), match.end()
        if any(a <= start < b for a, b in protected):
            decisions.append((end, False, "url-or-email"))
            continue
        # Give back straight quotes that open the next sentence rather than close this one.
        while end > start and line[end - 1] in _STRAIGHT_QUOTES and end < len(line):
            if line[end].isspace():
                break
            if line[end - 1] == '"' and line[:end].count('"') % 2 == 0:
                break
            end -= 1
        run = line[start:end].rstrip(_CLOSERS)
        glued = end < len(line) and not line[end].isspace()
        if run == "?" and glued and start > 0 and is_arabic_letter(line[start - 1]):
            decisions.append((end, False, "no-space-after"))  # «ا?لي»: a lost character
            continue
        if glued and not _starts_glued_sentence(line, end):
            decisions.append((end, False, "no-space-after"))  # 3.5, kazinform.kz, 30.10
            continue
        if start > 0 and line[start - 1] in "([":
            decisions.append((end, False, "elision"))  # (...)
            continue
        if _ALNUM.search(line, segment_start, start) is None:
            decisions.append((end, False, "no-text-before"))
            continue
        if end == len(line):
            continue  # the line break ends the sentence anyway
        if _next_non_space(line, end) in _CLAUSE_MARKS:
            decisions.append((end, False, "comma-follows"))  # «… الاستراحات؟"، مضيفاً»
            continue
        if line[end - 1] in ")]" and run != ".":
            decisions.append((end, False, "inside-brackets"))  # «(… وغيرها ...)»
            continue
        rule = "glued-stop" if glued else "stop"
        if run == ".":
            following = _next_non_space(line, end)
            if _is_abbreviation(line, start, end):
                decisions.append((end, False, "abbreviation"))
                continue
            if _is_latin_letter(following) and following.islower():
                decisions.append((end, False, "lowercase-follows"))
                continue
            if start - segment_start <= _WINDOW and _LIST_NUMBER.fullmatch(
                line[segment_start:start].strip()
            ):
                decisions.append((end, False, "list-number"))
                continue
        elif _is_pause(run):
            split, rule = _pause_rule(line, start, end, segment_start, quotes)
            if not split:
                decisions.append((end, False, rule))
                continue
        elif _quoted_mark_continues(line, start, end):
            decisions.append((end, False, "quoted-mark-continues"))
            continue
        elif run[-1] in "!\u203c":
            rule = "exclamation"
        elif run[-1] in "?؟\u2047\u2048\u2049":
            rule = "question"
        decisions.append((end, True, rule))
        segment_start = end
    return decisions


TERMINALS = _TERMINALS
CLOSERS = _CLOSERS
OPENERS = _OPENERS
