"""Names across a translation: an Arabic name that the English replaced or left out.

A translator that writes "Germany" for «فرنسا» changes a fact the English reader cannot see.
Only what can be told reliably is reported (:func:`lost_names`): a gazetteer place of the Arabic
(:mod:`summarize.trust.gazetteer`, CLDR) that the English lacks while it names another place,
and a Latin token of the Arabic ("SCO") that the English lacks. A place merely left out is not
reported: translators write "B.C." for «كولومبيا البريطانية» or "EU" for «الاتحاد الأوروبي».
A person's name is not checked here: without a dictionary nothing tells a transliterated name
from a rare Arabic word (docs/trust.md gives the measured rates). :func:`english_counterparts`
pairs Arabic words with capitalized English words (gazetteer, transliteration): what the
benchmark swaps to measure the name checks.
"""

from __future__ import annotations

import re
from functools import cache

from summarize.text.fold import fold
from summarize.text.stopwords import is_stopword
from summarize.trust.gazetteer import Place, find_places, places
from summarize.trust.names import line_words
from summarize.trust.translit import latin_skeleton, same_name

__all__ = ["english_counterparts", "english_places", "latin_names", "lost_names"]

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’.\-]*[A-Za-z]|[A-Za-z]")
_EN_STOPWORDS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my and or
    but if in on at of to for from by with as is was are were be been has have had not no
    when while after before since during until than then there here what which who whom
    whose how why where all any some many most more other such only also both each""".split()
)
_MIN_FAMILY = 3  # "France" and "French" share three consonants: F R N


def latin_names(en: str) -> list[str]:
    """The capitalized words of an English text, function words left out."""
    return [
        w for w in _LATIN_WORD.findall(en) if w[:1].isupper() and w.casefold() not in _EN_STOPWORDS
    ]


def _has_place(place: Place, en: str, en_words: list[str]) -> bool:
    folded = en.casefold()
    for name in place.english:
        if re.search(rf"(?<![\w]){re.escape(name.casefold())}(?![\w])", folded):
            return True
        family = latin_skeleton(name.split()[0])
        if len(family) >= _MIN_FAMILY and any(
            latin_skeleton(w)[:_MIN_FAMILY] == family[:_MIN_FAMILY] for w in en_words
        ):
            return True
    return False


def _places(ar: str) -> list[tuple[int, int, Place]]:
    """(start, end, place) of each gazetteer place in the Arabic text."""
    words = [(w, s, e) for w, s, e in line_words(ar) if not _LATIN_WORD.fullmatch(w)]
    found = find_places(fold(w) for w, _, _ in words)
    return [(words[a][1], words[b - 1][2], place) for a, b, place in found]


def lost_names(ar: str, en: str) -> list[str]:
    """The names of the Arabic text that its English replaced, as written in the Arabic.

    Reliable cases only: a gazetteer place the English lacks while it names another place the
    Arabic lacks («فرنسا» translated "Germany"), and a Latin token of the Arabic that the
    English lacks ("SCO"). A place merely left out is not reported: translators write "B.C."
    for «كولومبيا البريطانية» or "EU" for «الاتحاد الأوروبي», and on professional translations
    that check alone flags one pair in a hundred (docs/trust.md).
    """
    en_words = latin_names(en)
    ar_places = _places(ar)
    ar_codes = {place.code for _, _, place in ar_places}
    others = [code for code in english_places(en) if code not in ar_codes]
    lost: dict[str, None] = {}
    if others:
        for start, end, place in ar_places:
            if not _has_place(place, en, en_words):
                lost[ar[start:end]] = None
    en_keys = [w.casefold().replace(".", "") for w, _, _ in line_words(en) if w[:1].isascii()]
    for word, _, _ in line_words(ar):
        key = word.casefold().replace(".", "")
        if _LATIN_WORD.match(word) and not any(k.startswith(key) for k in en_keys):
            lost[word] = None  # "GIF" is in "GIFs"
    return list(lost)


@cache
def _english_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word of an English place name (casefolded) → (the whole name, its code)."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for place in places():
        for name in place.english:
            words = tuple(name.casefold().split())
            out.setdefault(words[0], []).append((words, place.code))
    return out


def english_places(en: str) -> list[str]:
    """The codes of the gazetteer places an English text names, in order."""
    words = [w.casefold() for w in _LATIN_WORD.findall(en) if w[:1].isupper() or w.isupper()]
    index = _english_index()
    codes = []
    for i, word in enumerate(words):
        for name, code in index.get(word, ()):
            if tuple(words[i : i + len(name)]) == name:
                codes.append(code)
                break
    return list(dict.fromkeys(codes))


def english_counterparts(ar: str, en: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the Arabic words that stand for a capitalized English word:
    ``place`` for a gazetteer place, ``name`` for a word the transliteration matcher pairs
    with one. What the benchmark swaps to measure the name checks."""
    en_words = latin_names(en)
    out = []
    taken: list[tuple[int, int]] = []
    for start, end, place in _places(ar):
        if _has_place(place, en, en_words):
            out.append((start, end, "place"))
            taken.append((start, end))
    for word, start, end in line_words(ar):
        if _LATIN_WORD.fullmatch(word) or any(s <= start < e for s, e in taken):
            continue
        key = fold(word)
        if len(key) < 3 or is_stopword(key):
            continue
        if any(same_name(word, e) and len(latin_skeleton(e)) >= 3 for e in en_words):
            out.append((start, end, "name"))
    return sorted(out)
