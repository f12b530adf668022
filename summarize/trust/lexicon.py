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
the web up to 2021; data CC BY-SA 4.0, code Apache-2.0), folded as :func:`summarize.text.fold.fold`
folds, built once into a compact table that later processes map from the cache
(:mod:`summarize.trust.frequencies`).

Limits, honestly: a name that is also a common word («ستار» curtain, «سكوت» silence, «فهد»,
«كرنفال») reads as a word; a name with the article written into it («البلقان», «ألكسندر») reads
as a word because its article form is frequent; very frequent words (Zipf 5 and up: «ربما»,
«حوالي», «يوسف») are never read as names; and a misspelt common word reads as a name.
"""

from __future__ import annotations

import math
from functools import lru_cache

from summarize.text.fold import fold
from summarize.trust._cache import readings
from summarize.trust.frequencies import FrequencyTable, folded_frequencies

__all__ = ["family_frequency", "reads_as_name", "word_frequency", "zipf"]

# What a common word takes and a name does not: attached pronouns («تصريحاته»), the endings of
# a verb's past («أعلنت», «أعلنوا»), plural and dual endings («مليارات», «شخصين»).
_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "كم", "ك", "نا", "ي")
_PAST = ("ت", "وا", "نا", "تم")
_PLURAL = ("ات", "ين", "ون", "ان")
# Endings taken off to find a word's stem: the accusative «ـًا» («مؤكدًا»), a verb's feminine
# and plural («ضمت», «أشاروا») always; the others («ـون», «ـين», «ـي», «ـه» …) only where the stem
# occurs at least as often as the word, as a plural's singular does («شخصين», «شخص»), and a
# name's chance stem does not («بوتين», «بوت»). A verb's persons («يعانون») take them always.
_ENDINGS = ("ا", "ت", "وا", "ون", "ين", "ان", "ات", "ه", "ي", "تا", "يه", "يا")
_ALWAYS_OFF = ("ا", "ت", "وا")
_VERB_PLURAL = ("ون", "ان", "ين")
# The prefixes of a verb's persons in the imperfect, which replace one another (يؤكد, تؤكد, نؤكد)
_PERSONS = ("ي", "ت", "ن")  # not «أ»: transliterations start with it («أوباما», «أيوا»)
_FUTURE = "س"  # «سيكون», «ستبدأ»
_TAFIL_LETTERS = 5  # «تعزيز», «توفير»
_REFLEXIVE = "يت"  # the imperfect of «تفعّل» and «تفاعل», whose past drops the «ي»
_ARTICLE = "ال"
_NAME_SHARE = 0.1  # a family rarer than a tenth of the word: a name
_MAX_NAME_ZIPF = 5.0  # words this frequent are function words and common words, never names
_MIN_LETTERS = 3


def _frequencies() -> FrequencyTable:
    """Folded word → frequency (a share of all words) in general Arabic, read like a dict."""
    return folded_frequencies()


def word_frequency(folded: str) -> float:
    """How often the folded word occurs in general Arabic, as a share of all words (0 if never)."""
    return _frequencies().get(folded, 0.0)


def zipf(frequency: float) -> float:
    """A frequency on the Zipf scale: log10 of occurrences per billion words (0 for none)."""
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


def _persons(word: str) -> set[str]:
    """The word as a verb in the other persons, and in the past: «يتعين» gives «تتعين»,
    «نتعين», «تعين»; «سيكون» gives «يكون», «تكون» …; other words give themselves."""
    bare = word[1:] if word.startswith(_FUTURE) and len(word) > _MIN_LETTERS else word
    if bare[0] not in _PERSONS or len(bare) < _MIN_LETTERS:
        return {bare}
    forms = {person + bare[1:] for person in _PERSONS} | {bare}
    if bare.startswith(_REFLEXIVE):  # «يتعين» → «تعين»; a name's «تا…» stays («تارلو»)
        forms.add(bare[1:])
    return forms


def _verb_of_noun(word: str) -> set[str]:
    """The verb of a verbal noun of the pattern «تفعيل», used mostly without the article:
    «تعزيز» gives «عزز», «يعزز»."""
    if len(word) == _TAFIL_LETTERS and word[0] == "ت" and word[3] == "ي":
        past = word[1:3] + word[4]
        return {past, "ي" + past}
    return set()


def _family(word: str) -> set[str]:
    """The forms of a folded word's family (module doc), the word itself left out."""
    forms = {_ARTICLE + word, *_persons(word), *_verb_of_noun(word)}
    forms.update(word + ending for ending in (*_PRONOUNS, *_PAST, *_PLURAL))
    frequencies = _frequencies()

    def occurs(form: str) -> float:
        return frequencies.get(form, 0.0) + frequencies.get(_ARTICLE + form, 0.0)

    for ending in _ENDINGS:
        stem = word[: -len(ending)]
        shortest = 2 if ending in _ALWAYS_OFF else _MIN_LETTERS  # «ضمت» → «ضم»
        if not word.endswith(ending) or len(stem) < shortest:
            continue
        stems = {stem}
        if stem.endswith("ت") and len(stem) > _MIN_LETTERS:  # «ة»: «دجاجتين» → «دجاجة»
            stems.add(stem[:-1] + "ه")
        if not (
            ending in _ALWAYS_OFF
            or (ending in _VERB_PLURAL and word[0] in _PERSONS)
            or max(map(occurs, stems)) >= frequencies.get(word, 0.0)
        ):
            continue
        for form in set().union(*map(_persons, stems)):
            forms.update((form, _ARTICLE + form))
            forms.update(form + end for end in (*_ENDINGS, *_PRONOUNS))
    forms.discard(word)
    return forms


@lru_cache(maxsize=1 << 16)
def family_frequency(folded: str) -> float:
    """How often the word's family occurs (module doc), the word itself left out."""
    frequencies = _frequencies()
    return sum(frequencies.get(form, 0.0) for form in _family(folded))


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
