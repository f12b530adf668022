"""Names in a summary line that the article never mentions.

A summarizer that writes «الرئيس الروسي فلاديمير بوتين» into a brief about a Kazakh press
conference has invented a fact a reader cannot see in the English. With no named-entity
model at hand (and none that we could ship small and offline), names are found by rule:

- **Latin-script tokens** in the Arabic line ("CICA", "SCO", "G20"): reliable, they are
  nearly always names, acronyms or codes;
- **words a sign marks** (:mod:`summarize.trust.name_signs`): after a title («الرئيس»,
  «معالي», «وزير» …, past role words such as «الوزراء», «الخارجية», and common words with the
  article: «وزير الثقافة») up to a function word, a common verb, an adverb, punctuation or
  four words; around a name particle («تميم بن حمد آل ثاني»); after a classifier («مدينة»)
  or a verb of saying («قال جونسون»); the gazetteer's places; a short quotation;
- **words that read as names** in general Arabic (:mod:`summarize.trust.lexicon`): a word the
  article lacks whose family (the article, endings, a verb's persons) is rare next to the word
  itself, or unknown to general Arabic: «التقى بوتين», «زار ترامب».

A candidate is **supported** when the article has the same word after the folding and
clitic readings of :mod:`summarize.text.fold` («لتوكاييف» ↔ «توكاييف»); the same consonant
skeleton (long vowels «ا و ي» dropped: «جومرت» ↔ «جومارت»); the same transliteration skeleton
of four letters or more («برمنغهام» ↔ «برمنجهام», «غوتيريش» ↔ «جوتيريس»); the word split in
two or two words joined («عبدالعزيز» ↔ «عبد العزيز», a space lost in copy:
«الدفاعالأميركي»); or, for a place, the same place by another name («المملكة المتحدة» ↔
«بريطانيا»). Latin tokens are compared case-insensitively, without dots ("U.S." ↔ "US").

Limits, honestly: a name that is also a common word («ستار», «فهد») and has no sign before it
is not a candidate; a common word after a title that is neither in the lists nor has the
article can be flagged; and a name the article does contain, put in the wrong place («قال
بوتين» where the article quotes Tokayev), is not flagged: that is a provenance question, not a
vocabulary one. The English line is not checked for names: a translator transliterates, and
the source is Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from summarize.text.fold import fold
from summarize.text.stopwords import is_stopword
from summarize.trust._cache import folded, readings
from summarize.trust.figures.calendar import MONTHS
from summarize.trust.gazetteer import find_places
from summarize.trust.lexicon import reads_as_name
from summarize.trust.name_signs import (
    CLASSIFIERS,
    JOINING,
    NOT_NAMES,
    PARTICLES,
    ROLE_WORDS,
    SAYING,
    TITLES,
    ends_chain,
    is_in,
)
from summarize.trust.translit import arabic_skeletons

__all__ = ["NameLexicon", "NameMention", "line_words", "name_candidates", "unsupported_names"]


@dataclass(frozen=True)
class NameMention:
    """A name (one or more words) in a line: ``text == line[start:end]``."""

    text: str
    start: int
    end: int
    script: str  # "latin" or "arabic"


_MARKS = "\u064b-\u065f\u0670\u0640"
_WORD = re.compile(
    rf"[A-Za-z][A-Za-z0-9&'’.\-]*[A-Za-z0-9]|[A-Za-z]|(?:[^\W\d_A-Za-z]|[{_MARKS}])+"
)
_LATIN = re.compile(r"[A-Za-z]")
_VOWELS = str.maketrans("", "", "اوي")
_MIN_SKELETON = 3
_MIN_SOUND = 4  # transliteration skeletons this long tell one name from another
_MIN_PART = 3  # «عبد» + «العزيز»: each part of a word written together
_MAX_CHAIN = 4


# A web address or an e-mail address: its Latin tokens are not names ("www.uj.edu.sa", "http").
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s«»\"“”()]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|gov|edu|sa|eg|ae|uk)\b[^\s«»()]*",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'["“«]([^"”»\n]{2,40})["”»]')
_MAX_QUOTED_WORDS = 3


def line_words(line: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each word of LINE: Latin names with their dots and digits ("U.S.",
    "G20"), Arabic words with their marks."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(line)]


def _only_space_between(line: str, a: int, b: int) -> bool:
    return not line[a:b].strip()


def name_candidates(line: str) -> list[NameMention]:
    """Latin tokens and Arabic proper-name candidates of ``line``, one word each, in order: the
    words that a sign marks as a name (module doc). Words that only read as names in general
    Arabic (:mod:`summarize.trust.lexicon`) are candidates of :func:`unsupported_names` alone,
    which asks the lexicon only about words the article lacks."""
    tokens = line_words(line)
    return [_mention(tokens, n) for n in sorted(_marked(line, tokens))]


def _mention(tokens: list[tuple[str, int, int]], n: int) -> NameMention:
    word, start, end = tokens[n]
    return NameMention(word, start, end, "latin" if _LATIN.match(word) else "arabic")


def _marked(line: str, tokens: list[tuple[str, int, int]]) -> set[int]:
    """Token indices of the words a sign marks as names: Latin script, a title, a particle, a
    classifier, a verb of saying, the gazetteer, a short quotation."""
    picked: set[int] = set()
    links = [m.span() for m in _LINK.finditer(line)]
    for n, (word, start, end) in enumerate(tokens):
        if _LATIN.match(word):
            if not any(a <= start and end <= b for a, b in links):
                picked.add(n)
            continue
        folded = fold(word)
        if is_in(folded, TITLES):
            picked.update(_title_chain(line, tokens, n))
        elif folded in PARTICLES:
            picked.update(_particle_chain(line, tokens, n))
        elif folded in CLASSIFIERS:
            picked.update(_title_chain(line, tokens, n))
        elif folded in SAYING:
            picked.update(
                n for n in _title_chain(line, tokens, n) if not fold(tokens[n][0]).startswith("ال")
            )
    picked.update(_place_words(tokens))
    picked.update(_quoted_words(line, tokens))
    return picked


def _place_codes(tokens: list[tuple[str, int, int]]) -> dict[int, str]:
    """Token index → the CLDR code of the gazetteer place it is part of."""
    arabic = [n for n, (word, _, _) in enumerate(tokens) if not _LATIN.match(word)]
    found = find_places(folded(tokens[n][0]) for n in arabic)
    return {arabic[k]: place.code for first, last, place in found for k in range(first, last)}


def _quoted_words(line: str, tokens: list[tuple[str, int, int]]) -> list[int]:
    """Token indices of a short quotation of one to three words: «موقع "ريديت"», a brand, a
    title, a nickname."""
    out: list[int] = []
    for quote in _QUOTED.finditer(line):
        inside = [
            n
            for n, (_, start, end) in enumerate(tokens)
            if quote.start(1) <= start and end <= quote.end(1)
        ]
        if 0 < len(inside) <= _MAX_QUOTED_WORDS:
            out.extend(n for n in inside if not ends_chain(tokens[n][0]))
    return out


def _place_words(tokens: list[tuple[str, int, int]]) -> list[int]:
    """Token indices of the gazetteer's places («فرنسا», «كوريا الجنوبية», «بالقاهرة»)."""
    return list(_place_codes(tokens))


def _title_chain(line: str, tokens: list[tuple[str, int, int]], title: int) -> list[int]:
    """Token indices of the name after the title at ``title``: «الرئيس الروسي فلاديمير بوتين».

    Role words («الوزراء», «العام», «للمنظمة») and name particles are passed over; the chain ends at
    punctuation, a Latin token, a function word, a common verb, a figure, another title, a
    word with «و» after the name has begun («وكبار المسؤولين»), a word with the article after
    a word without it («توكاييف المؤتمر»), or after four words.
    """
    chain: list[int] = []
    bare_seen = False
    n = title
    while n + 1 < len(tokens) and len(chain) < _MAX_CHAIN:
        word, start, _ = tokens[n + 1]
        if not _only_space_between(line, tokens[n][2], start) or _LATIN.match(word):
            break
        folded = fold(word)
        n += 1
        if len(folded) < 2 or folded in PARTICLES:
            continue  # a detached clitic («ل CICA»), «بن», «آل»
        if folded in ROLE_WORDS or folded.startswith("لل") or _common_with_article(folded):
            if chain:  # «الأمين العام للمنظمة», «وزير الثقافة والإعلام»
                break
            continue
        if ends_chain(word) or (chain and folded.startswith("و")):
            break
        if folded.startswith("ال"):
            if bare_seen:
                break
        else:
            bare_seen = True
        chain.append(n)
    return chain


def _common_with_article(folded: str) -> bool:
    """Whether a folded word is a common word with the article («الثقافة», «والإعلام»): it
    continues a title («وزير الثقافة») but is not a name (:mod:`summarize.trust.lexicon`)."""
    bare = folded[1:] if folded[:1] in "وف" else folded
    return bare.startswith("ال") and not reads_as_name(folded)


def _particle_chain(line: str, tokens: list[tuple[str, int, int]], particle: int) -> list[int]:
    """The words joined by a name particle: «تميم بن حمد» gives تميم and حمد. Only «بن», «بنت»,
    «ابن» and «آل» take the word before them: «أبو» and «عبد» follow a common word as often as
    a name («متنزه أبو خيال», «شارع عبد العزيز»)."""
    chain = []
    before = [particle - 1] if fold(tokens[particle][0]) in JOINING else []
    for n in [*before, particle + 1]:
        if not 0 <= n < len(tokens):
            continue
        a, b = sorted((n, particle))
        word = tokens[n][0]
        if _only_space_between(line, tokens[a][2], tokens[b][1]) and not _LATIN.match(word):
            if not ends_chain(word) and fold(word) not in PARTICLES:
                chain.append(n)
    return chain


def _skeletons(readings: Iterable[str]) -> set[str]:
    out = set()
    for reading in readings:
        skeleton = reading.translate(_VOWELS)
        if len(skeleton) >= _MIN_SKELETON:
            out.add(skeleton)
    return out


def _latin_key(token: str) -> str:
    return token.casefold().replace(".", "").replace("’", "'")


class NameLexicon:
    """What the article offers to support a name: its words as written and their clitic
    readings, their consonant skeletons, their transliteration skeletons (four letters and more,
    :func:`summarize.trust.translit.arabic_skeletons`), and its Latin tokens. Build once per
    article."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._words: set[str] = set()
        self._readings: set[str] = set()
        self._skeletons: set[str] = set()
        self._sounds: set[str] = set()
        self._latin: set[str] = set()
        self.places: set[str] = set()
        """The CLDR codes of the places the article names, in any of their names."""
        for text in texts:
            tokens = line_words(text)
            self.places.update(_place_codes(tokens).values())
            for word, _, _ in tokens:
                if _LATIN.match(word):
                    self._latin.add(_latin_key(word))
                    continue
                key = folded(word)
                if key in self._words:
                    continue
                self._words.add(key)
                word_readings = readings(key)
                self._readings |= word_readings
                self._skeletons |= _skeletons(word_readings)
                self._sounds |= _sounds(word)

    def knows(self, word: str) -> bool:
        """Whether the article has ``word`` (one token), by the rules of the module doc."""
        if _LATIN.match(word):
            return _latin_key(word) in self._latin
        return self._has(folded(word)) or not _sounds(word).isdisjoint(self._sounds)

    def knows_joined(self, first: str, second: str) -> bool:
        """Whether the article has two adjacent words of a line as one («عبد العزيز» ↔
        «عبدالعزيز»)."""
        return not readings(folded(first) + folded(second)).isdisjoint(self._readings)

    def knows_split(self, word: str) -> bool:
        """Whether a word is two words of the article written together: «عبدالعزيز» ↔ «عبد
        العزيز», and a space lost in copy («الدفاعالأميركي»)."""
        key = folded(word)
        return any(
            self._has_part(key[:cut], first=True) and self._has_part(key[cut:], first=False)
            for cut in range(1, len(key))
        )

    def _has_part(self, key: str, *, first: bool) -> bool:
        if len(key) < _MIN_PART:  # «ماتضمنه»: a function word glued to the word after it
            return first and is_stopword(key) and key in self._words
        return self._has(key)

    def _has(self, key: str) -> bool:
        """Whether the article has a folded Arabic word, by its readings or its skeleton."""
        word_readings = readings(key)
        return not word_readings.isdisjoint(self._readings) or not _skeletons(
            word_readings
        ).isdisjoint(self._skeletons)


def _sounds(word: str) -> set[str]:
    """The transliteration skeletons of a word that are long enough to tell one name by:
    «برمنغهام» and «برمنجهام», «بريدغ» and «بريدج» meet."""
    return {s for s in arabic_skeletons(word) if len(s) >= _MIN_SOUND}


def _may_read_as_name(word: str) -> bool:
    """Whether a word can be a name that only the lexicon marks: Arabic, three letters or more,
    no figure, and none of the words this module knows are not names (function words, titles,
    verbs, role words, particles, classifiers, months)."""
    if _LATIN.match(word):
        return False
    key = folded(word)
    if len(key) < _MIN_SKELETON or ends_chain(word) or any(c.isdigit() for c in key):
        return False
    if any(is_in(key, vocabulary) for vocabulary in NOT_NAMES):
        return False
    return readings(key).isdisjoint(MONTHS)


def _supported(
    line: str, tokens: list[tuple[str, int, int]], n: int, lexicon: NameLexicon, place: str | None
) -> bool:
    word = tokens[n][0]
    if lexicon.knows(word) or place in lexicon.places:
        return True
    if _LATIN.match(word):
        return False
    for a, b in ((n - 1, n), (n, n + 1)):
        if 0 <= a and b < len(tokens) and _only_space_between(line, tokens[a][2], tokens[b][1]):
            first, second = tokens[a][0], tokens[b][0]
            if not (_LATIN.match(first) or _LATIN.match(second)) and lexicon.knows_joined(
                first, second
            ):
                return True
    return lexicon.knows_split(word)


def unsupported_names(line: str, lexicon: NameLexicon) -> list[NameMention]:
    """The names of ``line`` the article does not have; adjacent words of one name are joined
    («فلاديمير بوتين» is one mention).

    A name is a word that a sign marks (:func:`name_candidates`), or a word the article lacks
    that reads as a name in general Arabic (:func:`summarize.trust.lexicon.reads_as_name`).
    """
    tokens = line_words(line)
    marked = _marked(line, tokens)
    places = _place_codes(tokens)
    out: list[NameMention] = []
    for n, (word, _, _) in enumerate(tokens):
        if n not in marked and not _may_read_as_name(word):
            continue
        if _supported(line, tokens, n, lexicon, places.get(n)):
            continue
        if n not in marked and not reads_as_name(word):
            continue
        candidate = _mention(tokens, n)
        last = out[-1] if out else None
        if (
            last is not None
            and last.script == candidate.script
            and _only_space_between(line, last.end, candidate.start)
        ):
            out[-1] = NameMention(
                line[last.start : candidate.end], last.start, candidate.end, last.script
            )
        else:
            out.append(candidate)
    return out
