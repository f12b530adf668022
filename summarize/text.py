"""Unicode cleanup, page-furniture removal and Arabic-aware sentence splitting.

Everything here is a pure function over ``str``: no I/O, no model knowledge. The steps run
in this order: :func:`normalize` (make the text stable), :func:`strip_furniture` (drop lines
that are not prose), :func:`find_title`, then :func:`split_sentences`.

Page furniture is what a news page carries around an article: language switchers
("Ru En"), view and comment counters ("0", "133"), date stamps ("٠١ يوليو"), photo and
source credits ("الصورة: ...", "المصدر: تاس"), agency tags ("(أ ف ب)") and share/print
widgets. None of it is prose; fed to a summarizer it surfaces as invented "facts", fed to a
translator it wastes work. Removal is conservative on purpose: a line goes only when every
token in it belongs to a furniture vocabulary, it has no letters at all, or it is a short
credit line. A headline, byline, sub-heading or any sentence is never removed.

Sentence splitting exists because no common splitter handles Arabic news: they split on the
Arabic comma, ignore «؟», or miss full stops glued to the next word («والسلام.ونظراً»).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Sentence",
    "arabic_ratio",
    "find_title",
    "is_arabic_letter",
    "normalize",
    "paragraphs",
    "split_sentences",
    "strip_furniture",
]

# --------------------------------------------------------------------------- normalize

_SURROGATES = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Presentation forms; U+FEFF (a zero-width no-break space, not a letter form) is removed below.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
# Tatweel, zero-width characters, bidi controls, soft hyphen, and control characters other
# than the whitespace ones (\t, \n, \x0b-\x0d, \x1c-\x1f, \x85), which are mapped instead.
_INVISIBLE = re.compile(
    "[\u0640\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069\u061c\u00ad"
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
)
_SPACES = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def _fold_presentation_form(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize(text: str) -> str:
    """Return ``text`` in one stable form, so that every later step sees the same bytes.

    NFC; Arabic presentation forms folded to base letters; tatweel, zero-width and bidi
    characters and other controls removed; every line break made ``\\n``; other whitespace
    made one space; lines stripped; at most one blank line in a row. Idempotent.
    """
    text = _SURROGATES.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _PRESENTATION_FORMS.sub(_fold_presentation_form, text)
    # Removal must come before NFC: dropping a tatweel between a letter and a mark can
    # create a composable pair, and NFC has to see it for the result to be idempotent.
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------- letters

_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x089F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10E60, 0x10E7F),
    (0x1EE00, 0x1EEFF),
)


def is_arabic_letter(char: str) -> bool:
    """True for a letter (category L*) of the Arabic script."""
    if not unicodedata.category(char).startswith("L"):
        return False
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def arabic_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic; 0.0 when there are no letters.

    Used to refuse input that is not Arabic before a model wastes minutes on it.
    """
    letters = 0
    arabic = 0
    for char in text:
        if unicodedata.category(char).startswith("L"):
            letters += 1
            if is_arabic_letter(char):
                arabic += 1
    return arabic / letters if letters else 0.0


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(char).startswith("L") for char in text)


# --------------------------------------------------------------------------- furniture

# Separators that may sit between the tokens of a widget or switcher line.
_TOKEN_SEPARATORS = re.compile(r"[\s|/\\·•,،\-–—_]+")

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
        "فيسبوك", "تويتر", "واتساب", "تلغرام", "تيليجرام", "تليجرام",
    }
)  # fmt: skip

_MONTHS = frozenset(
    {
        # Egyptian / Gulf month names, with the common spellings
        "يناير", "فبراير", "مارس", "أبريل", "ابريل", "إبريل", "مايو", "يونيو", "يونيه",
        "يوليو", "يوليه", "أغسطس", "اغسطس", "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر",
        "ديسمبر",
        # Levantine / Iraqi month names
        "كانون", "شباط", "آذار", "اذار", "نيسان", "أيار", "ايار", "حزيران", "تموز", "آب",
        "اب", "أيلول", "ايلول", "تشرين",
        # English
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip

_DATE_WORDS = _MONTHS | frozenset(
    {
        # weekdays
        "الأحد", "الاحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء",
        "الخميس", "الجمعة", "السبت", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        # the second word of كانون الثاني / تشرين الأول, era and clock words
        "الأول", "الاول", "الثاني", "م", "ه", "ص", "صباحا", "صباحاً", "مساء", "مساءً",
        "am", "pm", "gmt", "utc",
        # "published / updated on"
        "نشر", "نُشر", "في", "بتاريخ", "تاريخ", "النشر", "آخر", "اخر", "تحديث", "published",
        "updated", "on",
    }
)  # fmt: skip

_NUMBERISH = re.compile(r"\d+(?:[.:/\-]\d+)*(?:م|ه)?")
_DATE_TOKEN_EDGES = "،,.:;|()[]-–—"

_CREDIT = re.compile(
    r"(?:الصورة|صورة|الصور|المصدر|مصدر|حقوق الصورة|تصوير|photo|photos|photo credit"
    r"|image|picture|source|credit|credits)\s*[:：]"
    r"|مصدر الصورة(?:\s|[:：،,])",  # BBC Arabic writes «مصدر الصورة،Getty Images»
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 12

_AGENCIES = frozenset(
    {
        "أ ف ب", "ا ف ب", "د ب أ", "أ ش أ", "رويترز", "وام", "واس", "قنا", "كونا", "بنا",
        "سبأ", "سانا", "الأناضول", "تاس", "سبوتنيك", "شينخوا", "كازينفورم", "وكالات",
        "يو بي آي", "أسوشيتد برس", "afp", "ap", "reuters", "tass", "xinhua", "kazinform",
        "dpa", "upi", "anadolu", "sputnik", "efe", "ansa",
    }
)  # fmt: skip


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
    return bool(_CREDIT.match(line)) and len(line.split()) <= _CREDIT_MAX_WORDS


def _is_agency_tag(line: str) -> bool:
    inner = line.strip(" -–—:")
    if not (inner.startswith("(") and inner.endswith(")")):
        return False
    inner = " ".join(inner[1:-1].replace(".", " ").split()).casefold()
    if inner in _AGENCIES:
        return True
    tokens = inner.split()
    return len(tokens) >= 2 and all(len(t) == 1 and t.isalpha() for t in tokens)


def _is_furniture(line: str) -> bool:
    if not _has_letter(line):  # counters, lone numbers, numeric dates, rules like "***"
        return True
    return (
        _is_switcher_or_widget(line)
        or _is_date_line(line)
        or _is_credit(line)
        or _is_agency_tag(line)
    )


def strip_furniture(text: str) -> tuple[str, list[str]]:
    """Drop whole lines of page furniture from normalized ``text``.

    Returns the cleaned text (normalized again, so blank-line structure survives) and the
    removed lines, in order, so a caller can log what was dropped.
    """
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and _is_furniture(stripped):
            removed.append(stripped)
        else:
            kept.append(line)
    return normalize("\n".join(kept)), removed


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == source[start:end]``, stripped, on one line, never empty."""

    text: str
    start: int
    end: int
    paragraph: int


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
    lowered = word.casefold()
    if lowered in _LATIN_TITLES:
        return True
    if lowered in _LATIN_MAYBE_FINAL:
        return following.isdigit() or (following.islower() and _is_latin_letter(following))
    if len(word) == 1 and word.isupper() and _is_latin_letter(word):  # J. Smith
        return _is_latin_letter(following) and following.isupper()
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
    previous = line[:word_start].split()
    return bool(previous) and previous[-1].strip(_OPENERS + _CLOSERS).isdigit()


def _starts_glued_sentence(line: str, index: int) -> bool:
    """An Arabic letter (maybe behind an opening quote) right after a stop: «السلام.ونظراً»."""
    if index >= len(line):
        return False
    char = line[index]
    if char in _OPENERS and index + 1 < len(line):
        char = line[index + 1]
    return is_arabic_letter(char)


def _line_cuts(line: str) -> list[int]:
    """Offsets in ``line`` after which a sentence ends (the line end excluded)."""
    protected = _protected_spans(line)
    cuts: list[int] = []
    segment_start = 0
    for match in _TERMINAL_RUN.finditer(line):
        start, end = match.start(), match.end()
        if any(a <= start < b for a, b in protected):
            continue
        # Give back straight quotes that open the next sentence rather than close this one.
        while end > start and line[end - 1] in _STRAIGHT_QUOTES and end < len(line):
            if line[end].isspace():
                break
            if line[end - 1] == '"' and line[:end].count('"') % 2 == 0:
                break
            end -= 1
        run = line[start:end].rstrip(_CLOSERS)
        if end < len(line) and not line[end].isspace() and not _starts_glued_sentence(line, end):
            continue
        if start > 0 and line[start - 1] in "([":  # an elision: (...)
            continue
        if not any(c.isalnum() for c in line[segment_start:start]):
            continue
        if run == ".":
            if _is_abbreviation(line, start, end):
                continue
            following = _next_non_space(line, end)
            if _is_latin_letter(following) and following.islower():
                continue
            if _LIST_NUMBER.fullmatch(line[segment_start:start].strip()):
                continue
        if end < len(line):
            cuts.append(end)
            segment_start = end
    return cuts


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Sentence]:
    """Split normalized ``text`` into sentences, with offsets and paragraph numbers.

    A sentence ends at . ! ? ؟ … (plus closing quotes and brackets), at a full stop glued to
    an Arabic word, and always at a line break; not at decimals, dates, abbreviations, URLs,
    e-mail addresses or file names. Only whitespace is left outside the sentences.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    seen_text = blank_before = False
    line_start = 0
    for line in text.split("\n"):
        offset = line_start
        line_start += len(line) + 1
        if not line.strip():
            blank_before = seen_text
            continue
        if blank_before:
            paragraph += 1
            blank_before = False
        seen_text = True
        bounds = [0, *_line_cuts(line), len(line)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            a, b = _strip_span(line, a, b)
            if a < b:
                sentences.append(Sentence(line[a:b], offset + a, offset + b, paragraph))
    return sentences


def paragraphs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Group consecutive sentences by their paragraph number, keeping order."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        if groups and groups[-1][-1].paragraph == sentence.paragraph:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    return groups


# --------------------------------------------------------------------------- title

_TITLE_MAX_WORDS = 20
_CONTINUES = ":،,;؛"


def find_title(text: str) -> str | None:
    """The headline of clean ``text``, or None when the first line is already prose.

    A headline is a short first line (at most 20 words) that is not a sentence (no final
    punctuation, not several sentences, not a lead-in ending in «:» or «،») with text after it.
    """
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first.split()) > _TITLE_MAX_WORDS:
        return None
    bare = first.rstrip(_CLOSERS)
    if not bare or bare[-1] in _TERMINALS or bare[-1] in _CONTINUES:
        return None
    if len(split_sentences(first)) > 1:
        return None
    return first
