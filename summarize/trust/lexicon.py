"""Whether an Arabic word reads as a name, by how it inflects in general Arabic.

Arabic writes no capitals; what tells «ترامب» from «تصريحات» without a named-entity model is
the language itself. A common word has a family in running text: the article («الأضواء»),
attached pronouns and endings («تصريحاته», «تصريحات»), a verb's persons and tenses («يؤكد»,
«تؤكد», «أكدت», «أكدوا»). A name takes the conjunctions and prepositions («وترامب», «لترامب»)
and little else: «الترامب», «ترامبه», «ترامبوا» do not occur. So a word reads as a name when the
family of its likeliest reading (the clitics of :func:`summarize.text.fold.stem_candidates` taken
off) is rarer than a tenth of the word itself, or when general Arabic does not know the word or
its family at all (a rare transliteration: «كيبلينغ», «موسكون»).

The frequencies are wordfreq's Arabic list (620,000 words of Wikipedia, subtitles, news, books and
the web up to 2021; data CC BY-SA 4.0, code Apache-2.0), read once per process, folded as
:func:`summarize.text.fold.fold` folds (about one second and 90 MB).

Limits, honestly: a name that is also a common word («ستار» curtain, «سكوت» silence, «فهد»,
«كرنفال») reads as a word; a name with the article written into it («البلقان», «ألكسندر») reads
as a word because its article form is frequent; very frequent words (Zipf 5 and up: «ربما»,
«حوالي», «يوسف») are never read as names; and a misspelt common word reads as a name.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

from summarize.text.fold import fold
from summarize.trust._cache import readings

__all__ = ["family_frequency", "reads_as_name", "word_frequency", "zipf"]

# Endings that a common word takes and a name does not: attached pronouns, plural and dual
# endings, the feminine and the persons of a verb, the accusative «ـًا» («مؤكدًا»).
_ENDINGS = (
    "ا", "ت", "وا", "ون", "ين", "ان", "ه", "ها", "هم", "هما", "كم", "ك", "نا", "ات", "ي",
    "يه", "تم", "ته", "تها", "يا", "اه", "وه",
)  # fmt: skip
# The prefixes of a verb's persons in the imperfect, which replace one another (يؤكد, تؤكد, نؤكد)
_PERSONS = ("ي", "ت", "ن")  # not «أ»: transliterations start with it («أوباما», «أيوا»)
_FUTURE = "س"  # «سيكون», «ستبدأ»
_ARTICLE = "ال"
_NAME_SHARE = 0.1  # a family rarer than a tenth of the word: a name
_MAX_NAME_ZIPF = 5.0  # words this frequent are function words and common words, never names
_MIN_LETTERS = 3


@cache
def _frequencies() -> dict[str, float]:
    """Folded word → frequency (a share of all words) in general Arabic."""
    from wordfreq import cB_to_freq, get_frequency_list  # noqa: PLC0415 (90 MB: only when asked)

    out: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list("ar", wordlist="large")):
        share = cB_to_freq(-index)
        for word in bucket:
            key = fold(word)
            out[key] = out.get(key, 0.0) + share
    return out


def word_frequency(folded: str) -> float:
    """How often the folded word occurs in general Arabic, as a share of all words (0 if never)."""
    return _frequencies().get(folded, 0.0)


def zipf(frequency: float) -> float:
    """A frequency on the Zipf scale: log10 of occurrences per billion words (0 for none)."""
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


def _stems(word: str) -> set[str]:
    """The word with one ending taken off or not, and with a verb's person or future prefix
    exchanged, taken off or not."""
    stems = {word}
    shortest = min(len(word) - 1, _MIN_LETTERS)  # «ضمت» → «ضم»
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            stems.add(word[: -len(ending)])
    for stem in list(stems):
        bare = stem[1:] if stem.startswith(_FUTURE) and len(stem) > _MIN_LETTERS else stem
        if bare[0] in _PERSONS and len(bare) > _MIN_LETTERS:
            stems.update(person + bare[1:] for person in _PERSONS)
            stems.add(bare[1:])  # the past: «يتعين» → «تعين»
        stems.add(bare)
    return stems


@lru_cache(maxsize=1 << 16)
def family_frequency(folded: str) -> float:
    """How often the word's family occurs (module doc), the word itself left out."""
    frequencies = _frequencies()
    forms = set()
    for stem in _stems(folded):
        for base in (stem, _ARTICLE + stem):
            forms.add(base)
            forms.update(base + ending for ending in _ENDINGS)
    forms.discard(folded)
    return sum(frequencies.get(form, 0.0) for form in forms)


def _likeliest(folded: str) -> str:
    """The reading of the word (clitics off or on) whose word and family occur most."""
    return max(readings(folded), key=lambda r: (word_frequency(r) + family_frequency(r), len(r)))


@lru_cache(maxsize=1 << 16)
def reads_as_name(word: str) -> bool:
    """Whether the Arabic word reads as a name in general Arabic (module doc)."""
    folded = fold(word)
    if len(folded) < _MIN_LETTERS:
        return False
    reading = _likeliest(folded)
    own, family = word_frequency(reading), family_frequency(reading)
    if own == 0.0:
        return family == 0.0
    if zipf(own) >= _MAX_NAME_ZIPF:
        return False
    return family < _NAME_SHARE * own
