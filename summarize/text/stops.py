"""Where a line's stops end a sentence: every candidate mark («. ! ؟ .. … ») and the rule that
decides it (abbreviations, decimals, URLs, pauses before a continuation...).

Pure and per line: :mod:`summarize.text.sentences` assembles lines into sentences and paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

from summarize.text.letters import is_arabic_letter
from summarize.text.marks import CLOSERS, OPENERS, TERMINALS, WINDOW
from summarize.text.pauses import (
    Quotes,
    continues_after_stop,
    is_pause,
    pause_rule,
    quoted_mark_continues,
)

__all__ = ["CLOSERS", "OPENERS", "TERMINALS", "line_decisions"]

_STRAIGHT_QUOTES = "\"'"
_TERMINAL_RUN = re.compile(f"[{re.escape(TERMINALS)}]+[{re.escape(CLOSERS)}]*")

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
_CLAUSE_MARKS = "،,؛;"
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
    word = line[word_start:dot].lstrip(OPENERS)
    following = _next_non_space(line, after)
    if not word:
        return False
    if _DOTTED_INITIALISM.fullmatch(word):  # U.S., e.g., i.e., a.m.
        return True
    token = word + line[dot : dot + WINDOW].split(maxsplit=1)[0] if dot < len(line) else word
    parts = token.strip(CLOSERS + ".").split(".")
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
    previous = line[max(0, word_start - WINDOW) : word_start].split()
    return bool(previous) and previous[-1].strip(OPENERS + CLOSERS).isdigit()


def _starts_glued_sentence(line: str, index: int) -> bool:
    """An Arabic letter (maybe behind an opening quote) right after a stop: «السلام.ونظراً»."""
    if index >= len(line):
        return False
    char = line[index]
    if char in OPENERS and index + 1 < len(line):
        char = line[index + 1]
    return is_arabic_letter(char)


def line_decisions(line: str) -> list[tuple[int, bool, str]]:
    """(offset after the mark, split?, rule) for every candidate stop in ``line``."""
    protected = _protected_spans(line)
    decisions: list[tuple[int, bool, str]] = []
    segment_start = 0
    quotes = Quotes(line)
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
        run = line[start:end].rstrip(CLOSERS)
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
            if decisions and decisions[-1][1] and decisions[-1][0] == segment_start > 0:
                # «هذا هو السبب.. .. ونعود»: the second run closes the same sentence
                previous, _, rule = decisions.pop()
                decisions.append((previous, False, "run-continues"))
                if end < len(line):
                    decisions.append((end, True, rule))
                segment_start = end
                continue
            decisions.append((end, False, "no-text-before"))
            segment_start = end  # still no text since the sentence began: look from here on
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
            if continues_after_stop(line, end):
                decisions.append((end, False, "continuation-follows"))
                continue
            if start - segment_start <= WINDOW and _LIST_NUMBER.fullmatch(
                line[segment_start:start].strip()
            ):
                decisions.append((end, False, "list-number"))
                continue
        elif is_pause(run):
            following = _next_non_space(line, end)
            if _is_latin_letter(following) and following.islower():
                decisions.append((end, False, "lowercase-follows"))  # «Le Divan... par»
                continue
            split, rule = pause_rule(line, start, end, segment_start, quotes)
            if not split:
                decisions.append((end, False, rule))
                continue
        elif quoted_mark_continues(line, start, end):
            decisions.append((end, False, "quoted-mark-continues"))
            continue
        elif run[-1] in "!\u203c":
            rule = "exclamation"
        elif run[-1] in "?؟\u2047\u2048\u2049":
            rule = "question"
        decisions.append((end, True, rule))
        segment_start = end
    return decisions
