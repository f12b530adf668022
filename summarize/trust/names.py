"""Names in a summary line that the article never mentions.

A summarizer that writes «الرئيس الروسي فلاديمير بوتين» into a brief about a Kazakh press
conference has invented a fact a reader cannot see in the English. With no named-entity
model at hand (and none that we could ship small and offline), names are found by rule:

- **Latin-script tokens** in the Arabic line ("CICA", "SCO", "G20"): reliable, they are
  nearly always names, acronyms or codes;
- **Arabic proper-name candidates**: the words after a title («الرئيس», «الشيخ», «وزير»,
  «الأمين العام» …, past role words such as «الوزراء», «الخارجية») up to a function word,
  a common news verb, punctuation or four words; and the words around a name particle
  («بن», «بنت», «آل», «أبو», «عبد»): «تميم بن حمد آل ثاني».

A candidate is **supported** when the article has the same word after the folding and
clitic readings of :mod:`summarize.text.fold` («لتوكاييف» ↔ «توكاييف»), or the same
consonant skeleton (long vowels «ا و ي» dropped), so that transliteration variants of one
foreign name meet: «جومرت» ↔ «جومارت», «توكايف» ↔ «توكاييف». Latin tokens are compared
case-insensitively, without dots ("U.S." ↔ "US").

Limits, honestly: a name with no title or particle before it is not a candidate; a word
after a title that is not a name (a verb missing from the verb list, an adjective) can be
flagged; a name transliterated with different consonants («غوتيريش» ↔ «جوتيريس») is
flagged although it is the same person; and a name the article does contain, put in the
wrong place («قال بوتين» where the article quotes Tokayev), is not flagged: that is a
provenance question, not a vocabulary one. The English line is not checked for names: a
translator transliterates, and the source is Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from summarize.text.fold import fold
from summarize.text.stopwords import is_stopword
from summarize.trust._cache import folded, readings
from summarize.trust.gazetteer import find_places

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
_MAX_CHAIN = 4


def _folded_set(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


_TITLES = _folded_set(
    """
    رئيس رئيسة الرئيس الرئيسة الشيخ الشيخة الأمير الأميرة أمير الملك الملكة ملك العاهل
    السلطان السيد السيدة وزير وزيرة الوزير الوزيرة الدكتور الدكتورة المستشار المستشارة
    السفير السفيرة النائب النائبة الجنرال اللواء العقيد العميد المشير الزعيم المتحدث
    المتحدثة الناطق الناطقة الأمين البابا الإمام القائد المبعوث المندوب الحاكم المدير
    مدير المديرة نائب المفوض المفوضة المرشد الكاتب الكاتبة الصحفي الصحفية بقلم نظيره
    نظيرته
    """
)
# Words that continue a title without being a name: «رئيس الوزراء», «الأمين العام».
_ROLE_WORDS = _folded_set(
    """
    الوزراء العام العامة التنفيذي التنفيذية الخارجية الداخلية الدفاع الدولة الحكومة
    الجمهورية المجلس مجلس الأعلى السابق السابقة الحالي الحالية الجديد الجديدة الأسبق
    المؤقت المنتخب الأول الأولى باسم العهد ولي الأمن للأمم المتحدة الأمم الوطني
    """
)
# Common verbs of news copy that often follow a name: they end a title chain.
_VERBS = _folded_set(
    """
    قال قالت يقول تقول أكد أكدت يؤكد تؤكد أعلن أعلنت يعلن تعلن أشار أشارت يشير تشير
    أوضح أوضحت يوضح دعا دعت يدعو تدعو صرح صرحت يصرح شدد شددت يشدد أضاف أضافت يضيف
    اعتبر اعتبرت يعتبر رأى يرى ترى ذكر ذكرت يذكر كشف كشفت يكشف أعرب أعربت يعرب بحث
    بحثت يبحث سيبحث التقى التقت يلتقي استقبل استقبلت يستقبل زار زارت يزور وصل وصلت
    يصل غادر غادرت ترأس ترأست يترأس افتتح افتتحت يفتتح شارك شاركت يشارك سيشارك وقع
    وقعت يوقع أجرى أجرت يجري تلقى تلقت بدأ بدأت يبدأ اختتم اختتمت ناقش ناقشت يناقش
    أدان أدانت رحب رحبت يرحب طالب طالبت يطالب حذر حذرت يحذر نفى نفت ينفي أفاد أفادت
    تابع تابعت يتابع عقد عقدت يعقد حضر حضرت يحضر ألقى ألقت يلقي هنأ هنأت بعث بعثت
    أبلغ أبلغت ينظر يعتزم يسعى تسعى سعى يواصل واصل أصدر أصدرت وجه وجهت يوجه أمر أمرت
    """
)
_PARTICLES = _folded_set("بن بنت ابن آل أبو أبي عبد")
# Words that name what follows them: a place, a company, a work («مدينة فلاديفوستوك», «نهر
# بوتوماك», «شركة أوبر»). They start a chain as a title does.
_CLASSIFIERS = _folded_set(
    """
    مدينة ومدينة بمدينة لمدينة نهر جزيرة ولاية مقاطعة قرية بلدة جامعة نادي صحيفة مجلة
    موقع شركة فيلم ألبوم رواية مطار جبل بحيرة حزب محطة إقليم منطقة مستشفى فندق
    """
)
# Verbs of saying, after which Arabic puts the speaker («قال جونسون», «وتشرح تارلو»).
_SAYING = _folded_set(
    """
    قال قالت يقول تقول وقال وقالت ويقول وتقول أضاف أضافت وأضاف وأضافت أوضح أوضحت وأوضح
    وأوضحت صرح صرحت وصرح وصرحت أكد أكدت وأكد وأكدت كتب كتبت وكتب وكتبت تشرح يشرح وتشرح
    ويشرح أشار أشارت وأشار وأشارت ذكر ذكرت وذكر وذكرت أعلن أعلنت وأعلن وأعلنت
    """
)
_QUOTED = re.compile(r'["“«]([^"”»\n]{2,40})["”»]')
_MAX_QUOTED_WORDS = 3


def line_words(line: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each word of LINE: Latin names with their dots and digits ("U.S.",
    "G20"), Arabic words with their marks."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(line)]


def _only_space_between(line: str, a: int, b: int) -> bool:
    return not line[a:b].strip()


def _is(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether a folded word is in ``vocabulary``, alone or behind a conjunction «و ف»."""
    return word in vocabulary or (len(word) > 2 and word[0] in "وف" and word[1:] in vocabulary)


def _ends_chain(word: str) -> bool:
    folded = fold(word)
    return (
        is_stopword(folded)
        or _is(folded, _VERBS)
        or _is(folded, _TITLES)
        or any(c.isdigit() for c in folded)
    )


def name_candidates(line: str) -> list[NameMention]:
    """Latin tokens and Arabic proper-name candidates of ``line``, one word each, in order."""
    tokens = line_words(line)
    picked: set[int] = set()
    for n, (word, _, _) in enumerate(tokens):
        if _LATIN.match(word):
            picked.add(n)
            continue
        folded = fold(word)
        if _is(folded, _TITLES):
            picked.update(_title_chain(line, tokens, n))
        elif folded in _PARTICLES:
            picked.update(_particle_chain(line, tokens, n))
        elif folded in _CLASSIFIERS:
            picked.update(_title_chain(line, tokens, n))
        elif folded in _SAYING:
            picked.update(
                n for n in _title_chain(line, tokens, n) if not fold(tokens[n][0]).startswith("ال")
            )
    picked.update(_place_words(tokens))
    picked.update(_quoted_words(line, tokens))
    out = []
    for n in sorted(picked):
        word, start, end = tokens[n]
        out.append(NameMention(word, start, end, "latin" if _LATIN.match(word) else "arabic"))
    return out


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
            out.extend(n for n in inside if not _ends_chain(tokens[n][0]))
    return out


def _place_words(tokens: list[tuple[str, int, int]]) -> list[int]:
    """Token indices of the gazetteer's places («فرنسا», «كوريا الجنوبية», «بالقاهرة»)."""
    arabic = [n for n, (word, _, _) in enumerate(tokens) if not _LATIN.match(word)]
    found = find_places(folded(tokens[n][0]) for n in arabic)
    return [arabic[k] for first, last, _ in found for k in range(first, last)]


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
        if len(folded) < 2 or folded in _PARTICLES:
            continue  # a detached clitic («ل CICA»), «بن», «آل»
        if folded in _ROLE_WORDS or folded.startswith("لل"):  # «الأمين العام للمنظمة»
            if chain:
                break
            continue
        if _ends_chain(word) or (chain and folded.startswith("و")):
            break
        if folded.startswith("ال"):
            if bare_seen:
                break
        else:
            bare_seen = True
        chain.append(n)
    return chain


def _particle_chain(line: str, tokens: list[tuple[str, int, int]], particle: int) -> list[int]:
    """The words joined by a name particle: «تميم بن حمد» gives تميم and حمد."""
    chain = []
    for n in (particle - 1, particle + 1):
        if not 0 <= n < len(tokens):
            continue
        a, b = sorted((n, particle))
        word = tokens[n][0]
        if _only_space_between(line, tokens[a][2], tokens[b][1]) and not _LATIN.match(word):
            if not _ends_chain(word) and fold(word) not in _PARTICLES:
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
    """What the article offers to support a name: its words' clitic readings, their consonant
    skeletons, and its Latin tokens. Build once per article."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._readings: set[str] = set()
        self._skeletons: set[str] = set()
        self._latin: set[str] = set()
        for text in texts:
            for word, _, _ in line_words(text):
                if _LATIN.match(word):
                    self._latin.add(_latin_key(word))
                    continue
                word_readings = readings(folded(word))
                self._readings |= word_readings
                self._skeletons |= _skeletons(word_readings)

    def knows(self, word: str) -> bool:
        """Whether the article has ``word`` (one token), by the rules of the module doc."""
        if _LATIN.match(word):
            return _latin_key(word) in self._latin
        word_readings = readings(folded(word))
        if not word_readings.isdisjoint(self._readings):
            return True
        return not _skeletons(word_readings).isdisjoint(self._skeletons)


def unsupported_names(line: str, lexicon: NameLexicon) -> list[NameMention]:
    """The names of ``line`` the article does not have; adjacent words of one name are joined
    («فلاديمير بوتين» is one mention)."""
    out: list[NameMention] = []
    for candidate in name_candidates(line):
        if lexicon.knows(candidate.text):
            continue
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
