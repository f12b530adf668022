"""The figures that the articles of one story give differently for the same thing.

One outlet writes «أدين 555 متهما، منهم 473 من غير السعوديين», another reprints it with 437:
that is worth a reader's attention. 555 in one and 2015 in another is not: they count
different things. So figures are compared only when what is around them says they are about
the same thing:

1. Every figure of every sentence (the headline included) is read by
   :func:`summarize.trust.numbers.extract_numbers`; ordinals and spelled-out one and two (weak
   mentions) are left out. Its **context** is the words beside it, in comparison form (folded,
   light-stemmed), up to three on each side within its sentence, other figures left out; a
   decimal written with «ر» («85ر1») or a date with dashes («15-07-2015») is left out, since
   it reads as two figures, and so is a clock time that is not written hh:mm («الساعة الحادية
   عشرة والنصف», «الساعة 11.30»), which reads as a number; a
   qualifier before it («أكثر من», «نحو», «أقل من») is noted and left out of the context.
2. Two figures of two articles are **the same thing** when they are of one kind (a count, a
   percentage, a date, a year, a time, a fraction), the word right after each (what an Arabic
   figure counts: «مليون ريال», «قتيلا») is the same, and their contexts agree: the words next to
   each figure, outward, are the same for at least 2 words in all (left and right counted
   together) when their sentences are aligned (the same sentence reworded or reprinted: half
   their content words or more in common), and for at least 3 otherwise.
3. The same things, linked across all the story's articles, form one **thing**. Its figures
   **disagree** when two articles give values that do not agree: the same value in another
   writing (15% and 15) agrees, and so does a round figure with a precise one it rounds
   («3 آلاف» and 3042, «ألف» and 1,050: thousands), a figure «أكثر من» (more than) N with any
   value above N, «نحو» (about) N with a value within 20 % of it, and two times 12 hours
   apart (4:00 and 16:00). A date agrees with the same day and month, with or without a year. Counts more than ten
   times apart are not compared (a figure written «10ر68» cut in two, a million against a
   billion): that is a reading problem more often than a disagreement. A thing where one
   article itself gives two values that do not agree is ambiguous and left out.

Precision comes first: a disagreement that is not one costs a reader's trust, a missed one
only a check. docs/digest.md lists what was found on a real day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from summarize.stories.grouping import content_terms
from summarize.stories.result import Disagreement, FigureValue
from summarize.text.fold import light_stem, words
from summarize.trust.numbers import NumberMention, extract_numbers

__all__ = ["ALIGNED", "CONTEXT", "Said", "article_figures", "disagreements", "readable_figures"]

CONTEXT = 3
"""Words of context on each side of a figure."""
ALIGNED = 0.5
"""Share of content words (Jaccard) above which two sentences are the same sentence."""
_MATCH_ALIGNED = 2
_MATCH_ELSEWHERE = 3
_ABOUT = Fraction(1, 5)
_ROUND = 1000
# Figures read in pieces, so left out: a decimal written with «ر» («85ر1», some Gulf
# papers), a date written with dashes («15-07-2015», day and month order unknown).
_HOUR = light_stem("الساعه")  # «الساعة» in comparison form: a clock time follows
_UNREADABLE = re.compile(r"\d+ر\d+|\d+\s*-\s*\d+\s*-\s*\d+")
_APART = 10

# The kinds compared, and which kinds count as one ("3 آلاف" is approximate, 3042 a number).
_FAMILY = {
    "number": "number",
    "approximate": "number",
    "percent": "percent",
    "date": "date",
    "year": "year",
    "time": "time",
    "fraction": "fraction",
}
# Qualifiers before a figure, folded: (words, nearest first) -> what they say about it.
_QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("من", "اكثر"), "more"),
    (("من", "ازيد"), "more"),
    (("علي", "يزيد"), "more"),
    (("من", "اقل"), "less"),
    (("نحو",), "about"),
    (("حوالي",), "about"),
    (("قرابه",), "about"),
    (("زهاء",), "about"),
    (("يقارب", "ما"), "about"),
    (("يقارب",), "about"),
)


@dataclass(frozen=True)
class Said:
    """One article of a story, for comparing figures: where it is, and its sentences (the
    headline first, when it has one)."""

    path: str
    outlet: str | None
    sentences: Sequence[str]


@dataclass(frozen=True)
class _Figure:
    article: int
    sentence: int
    order: int  # its place among the sentence's figures
    mention: NumberMention
    family: str
    left: tuple[str, ...]  # nearest first
    right: tuple[str, ...]
    qualifier: str | None
    about: str  # the words around it as written, the figure as «…»


def _masked(sentence: str, mentions: Sequence[NumberMention]) -> str:
    """SENTENCE with every figure blanked out (same length), so that no context has one."""
    out = sentence
    for m in mentions:
        out = out[: m.start] + " " * (m.end - m.start) + out[m.end :]
    return out


def _qualified(left: list[str]) -> tuple[list[str], str | None]:
    """LEFT (nearest first) without a qualifier at its start, and what the qualifier says."""
    for phrase, meaning in _QUALIFIERS:
        if tuple(left[: len(phrase)]) == phrase:
            return left[len(phrase) :], meaning
    return left, None


def readable_figures(sentence: str) -> list[NumberMention]:
    """The figures of SENTENCE worth comparing: not weak, not ordinals, and none of the
    readings that are known to go wrong (see the module's step 1)."""
    cut = [m.span() for m in _UNREADABLE.finditer(sentence)]
    out = []
    for m in extract_numbers(sentence):
        if m.weak or m.kind not in _FAMILY or any(a < m.end and m.start < b for a, b in cut):
            continue
        out.append(m)
    return out


def article_figures(sentences: Sequence[str]) -> frozenset[str]:
    """The counts, amounts and percentages an article gives (canonical values), for the
    grouping's veto (:func:`summarize.stories.grouping.unlink_templates`)."""
    return frozenset(
        m.value
        for sentence in sentences
        for m in readable_figures(sentence)
        if m.kind in ("number", "percent")
    )


def _figures(index: int, said: Said) -> list[list[_Figure]]:
    """The figures of each sentence of SAID, with their contexts."""
    out: list[list[_Figure]] = []
    for s, sentence in enumerate(said.sentences):
        mentions = readable_figures(sentence)
        masked = _masked(sentence, mentions)
        found = []
        for order, m in enumerate(mentions):
            left, qualifier = _qualified(list(reversed(words(masked[: m.start]))))
            before = [w for w in left[:2] if w != "ال"][:1]  # «ال11.30»: the article glued
            if m.kind != "time" and before and light_stem(before[0]) == _HOUR:
                continue  # «الساعة الحادية عشرة والنصف», «الساعة ال11.30»: a time, misread
            right = words(masked[m.end :])
            shown_left = masked[: m.start].split()[-CONTEXT:]
            shown_right = masked[m.end :].split()[:CONTEXT]
            found.append(
                _Figure(
                    article=index,
                    sentence=s,
                    order=order,
                    mention=m,
                    family=_FAMILY[m.kind],
                    left=tuple(light_stem(w) for w in left[:CONTEXT]),
                    right=tuple(light_stem(w) for w in right[:CONTEXT]),
                    qualifier=qualifier,
                    about=" ".join([*shown_left, "…", *shown_right]),
                )
            )
        out.append(found)
    return out


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many words, from the figure outward, two contexts have in common."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _same_thing(a: _Figure, b: _Figure, aligned: bool) -> int:
    """How strongly A and B are about the same thing (0: not): their shared context. The word
    right after an Arabic figure is what it counts (a unit, a noun): it must be the same."""
    if a.family != b.family or (a.right[:1] and b.right[:1] and a.right[0] != b.right[0]):
        return 0
    score = _common(a.left, b.left) + _common(a.right, b.right)
    if aligned and a.order == b.order:
        score += 1  # the same place in a reprinted sentence
    return score if score >= (_MATCH_ALIGNED if aligned else _MATCH_ELSEWHERE) else 0


def _number(value: str) -> Fraction | None:
    try:
        return Fraction(value.lstrip("~").rstrip("%"))
    except (ValueError, ZeroDivisionError):
        return None


def _rounds(precise: Fraction, rounded: Fraction) -> bool:
    """Whether ROUNDED (a multiple of 1,000) is PRECISE rounded to its thousands or more."""
    if rounded == 0 or rounded % _ROUND or rounded.denominator != 1:
        return False
    step = _ROUND
    while rounded % (step * 10) == 0 and step * 10 <= abs(rounded):
        step *= 10
    return abs(precise - rounded) * 2 < step


def _same_value(a: NumberMention, b: NumberMention) -> bool:
    """The same value, however written: 15% and «15 في المائة», «آلاف» and 1000 as magnitudes,
    a date with and without its year. (Not the lenient keys the trust checks match by: a date
    there also offers its month, which would make 23 and 25 July agree.)"""
    if a.kind == "date" and b.kind == "date":
        return a.value.split("/")[:2] == b.value.split("/")[:2]
    return a.value.strip("~%") == b.value.strip("~%")


def _clock(value: str) -> tuple[int, str] | None:
    hours, _, minutes = value.partition(":")
    return (int(hours) % 12, minutes.lstrip("0")) if hours.isdigit() else None


def _within(value: Fraction, other: Fraction, qualifier: str | None) -> bool:
    if qualifier == "more":
        return other >= value
    if qualifier == "less":
        return other <= value
    if qualifier == "about":
        return abs(other - value) <= abs(value) * _ABOUT
    return False


def agree(a: _Figure, b: _Figure) -> bool:
    """Whether two figures about one thing say the same (see the module's step 3)."""
    if _same_value(a.mention, b.mention):
        return True
    if a.family == "time" and _clock(a.mention.value) == _clock(b.mention.value):
        return True  # «الساعة 4» and 16:00: the same time on a 12-hour clock
    x, y = _number(a.mention.value), _number(b.mention.value)
    if x is None or y is None or a.family != b.family:
        return False
    if a.family == "number" and (_rounds(x, y) or _rounds(y, x)):
        return True
    if a.family == "number" and (x <= 0 or y <= 0 or max(x, y) > _APART * min(x, y)):
        return True  # not comparable: a figure cut in two («10ر68»), another unit or scale
    return _within(x, y, a.qualifier) or _within(y, x, b.qualifier)


def _aligned(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) >= ALIGNED * len(a | b)


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def disagreements(articles: Sequence[Said]) -> list[Disagreement]:
    """The things the ARTICLES of one story give different figures for, in the order of their
    first figure (see the module's doc). None for a story of one article."""
    if len(articles) < 2:
        return []
    per_article = [_figures(i, said) for i, said in enumerate(articles)]
    terms = [[frozenset(content_terms(s)) for s in said.sentences] for said in articles]
    flat: list[_Figure] = [f for sentences in per_article for found in sentences for f in found]
    number = {id(f): n for n, f in enumerate(flat)}
    parent = {n: n for n in range(len(flat))}
    for i, j in combinations(range(len(articles)), 2):
        for si, found_i in enumerate(per_article[i]):
            if not found_i:
                continue
            for sj, found_j in enumerate(per_article[j]):
                if not found_j:
                    continue
                aligned = _aligned(terms[i][si], terms[j][sj])
                taken: set[int] = set()
                for f in found_i:
                    scored = [
                        (_same_thing(f, g, aligned), -g.order, number[id(g)])
                        for g in found_j
                        if number[id(g)] not in taken
                    ]
                    best = max(scored, default=(0, 0, -1))
                    if best[0]:
                        taken.add(best[2])
                        parent[_find(parent, number[id(f)])] = _find(parent, best[2])
    things: dict[int, list[_Figure]] = {}
    for n, f in enumerate(flat):
        things.setdefault(_find(parent, n), []).append(f)
    found_things: list[Disagreement] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for members in sorted(things.values(), key=lambda m: number[id(m[0])]):
        result = _disagreement(members, articles)
        if result is None:
            continue
        key = frozenset((v.path, v.value) for v in result.values)
        if key not in seen:
            seen.add(key)
            found_things.append(result)
    return found_things


def _disagreement(members: list[_Figure], articles: Sequence[Said]) -> Disagreement | None:
    """The disagreement of one thing, or None when its articles agree (or it is ambiguous)."""
    by_article: dict[int, _Figure] = {}
    for f in members:
        first = by_article.setdefault(f.article, f)
        if not agree(first, f):
            return None  # one article gives two values for it: cannot tell which is meant
    if len(by_article) < 2:
        return None
    chosen = [by_article[a] for a in sorted(by_article)]
    if all(agree(a, b) for a, b in combinations(chosen, 2)):
        return None
    values = [
        FigureValue(
            value=f.mention.value,
            text=f.mention.text,
            path=articles[f.article].path,
            outlet=articles[f.article].outlet,
            context=articles[f.article].sentences[f.sentence],
        )
        for f in chosen
    ]
    return Disagreement(kind=chosen[0].mention.kind, about=chosen[0].about, values=values)
