"""Which articles report the same story: reprints and rewrites, grouped, deterministically.

Agency copy («واس») is reprinted by many outlets the same day under other headlines, cut
short, with a figure updated here and there. Word shingles find it (docs/digest.md has the
measurements behind every number here):

1. Each article is the list of its **content words**, headline and body:
   :func:`~summarize.text.fold.fold` (letter variants, diacritics, digits unified),
   :func:`~summarize.text.fold.light_stem` (article and attached pronoun removed), function
   words and anything with a digit dropped, so that a reprint with a changed figure is still a
   reprint of the same words.
2. Its **shingles** are the runs of ``shingle`` (3) consecutive content words. A shingle found
   in more than ``boilerplate`` (5 %) of the articles, and in more than 50, is boilerplate
   (honorifics, datelines) and links nothing.
3. Two articles **link** when they share at least ``min_shared`` (8) shingles and the share of
   the smaller one's shingles that they share (the overlap coefficient: 1 for a reprint
   without its first paragraph) is at least ``link`` (0.3); and each headline is **supported**
   by the other article, ``headline_support`` (a quarter) of its content words being in the
   other's text. A roundup of the day's items shares a paragraph with each item, but its
   headline is about one of them: it joins that one only.
4. **Stories** form by average linkage, strongest link first: two groups merge when the mean
   link over all their pairs of articles (0 for a pair that does not link) is at least
   ``link``, so that one article linked to two stories cannot chain them; and two articles of
   one outlet never share a story unless they link at ``same_outlet`` (0.6): an outlet reports
   a story once a day, and two of its articles that share a paragraph (the same delegation at
   two meetings) are two stories.

5. **Figures veto a link**: two articles that each give three figures or more (counts,
   amounts, percentages) and share none are not the same story, however alike their words: a
   template («سجل صافي أرباح شركة … تراجعاً بنسبة …») filled in for two companies.

Exact, with no sampling (an inverted index over the shingles): the same input gives the same
stories, and the 1,318 articles of a real day group in about a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from summarize.text.fold import light_stem, words
from summarize.text.stopwords import is_stopword

__all__ = [
    "Doc",
    "Grouping",
    "central",
    "content_terms",
    "group",
    "links",
    "shingles",
    "unlink_templates",
]

METHOD = "word shingles, overlap coefficient, average linkage"


@dataclass(frozen=True)
class Grouping:
    """The settings of the grouping (the JSON ``grouping`` object adds the method's name)."""

    shingle: int = 3
    min_shared: int = 8
    link: float = 0.3
    same_outlet: float = 0.6
    headline_support: float = 0.25
    boilerplate: float = 0.05
    boilerplate_min: int = 50
    min_figures: int = 3

    def to_dict(self) -> dict[str, Any]:
        return {"method": METHOD, **asdict(self)}


@dataclass(frozen=True)
class Doc:
    """What grouping needs of an article: its content words (headline and body, in order),
    its headline's content words (empty when it has none) and its outlet (None: unknown)."""

    terms: tuple[str, ...]
    headline: frozenset[str]
    outlet: str | None = None


def content_terms(text: str) -> list[str]:
    """The content words of TEXT in comparison form, in order (see the module's step 1)."""
    return [
        light_stem(w)
        for w in words(text)
        if len(w) > 1 and not is_stopword(w) and not any(ch.isdigit() for ch in w)
    ]


def shingles(terms: Sequence[str], size: int) -> frozenset[str]:
    """The runs of SIZE consecutive terms (the whole text when it is shorter)."""
    if len(terms) <= size:
        return frozenset({" ".join(terms)}) if terms else frozenset()
    return frozenset(" ".join(terms[i : i + size]) for i in range(len(terms) - size + 1))


def _supported(headline: frozenset[str], text: frozenset[str], share: float) -> bool:
    return not headline or len(headline & text) >= share * len(headline)


def links(docs: Sequence[Doc], settings: Grouping = Grouping()) -> dict[tuple[int, int], float]:
    """The overlap coefficient of every pair (a, b), a < b, that shares ``min_shared``
    shingles and whose headlines are supported by each other (steps 2-3); other pairs are 0."""
    sets = [shingles(d.terms, settings.shingle) for d in docs]
    postings: dict[str, list[int]] = {}
    for i, found in enumerate(sets):
        for s in found:
            postings.setdefault(s, []).append(i)
    cap = max(settings.boilerplate_min, int(len(docs) * settings.boilerplate))
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 2 <= len(ids) <= cap:
            shared.update(combinations(ids, 2))  # ids ascend: a < b
    vocab = [frozenset(d.terms) for d in docs]
    out: dict[tuple[int, int], float] = {}
    for (a, b), n in shared.items():
        if n < settings.min_shared:
            continue
        share = settings.headline_support
        if not (
            _supported(docs[a].headline, vocab[b], share)
            and _supported(docs[b].headline, vocab[a], share)
        ):
            continue
        out[(a, b)] = min(1.0, n / min(len(sets[a]), len(sets[b])))
    return out


def unlink_templates(
    sims: dict[tuple[int, int], float],
    figures: Mapping[int, frozenset[str]],
    settings: Grouping = Grouping(),
) -> dict[tuple[int, int], float]:
    """SIMS without the links of two articles that each give ``min_figures`` figures or more
    and share none of them (step 5): two companies' results in the same announcement
    template, two matches in the same report, are two stories; a reprint keeps its figures,
    and an updated one changes one of them, not all."""
    least = settings.min_figures

    def apart(a: int, b: int) -> bool:
        fa, fb = figures.get(a, frozenset()), figures.get(b, frozenset())
        return len(fa) >= least and len(fb) >= least and not fa & fb

    return {(a, b): s for (a, b), s in sims.items() if not apart(a, b)}


def _link(sims: dict[tuple[int, int], float], a: int, b: int) -> float:
    return sims.get((a, b) if a < b else (b, a), 0.0)


def _may_merge(
    first: list[int],
    second: list[int],
    docs: Sequence[Doc],
    sims: dict[tuple[int, int], float],
    settings: Grouping,
) -> bool:
    total = 0.0
    for a in first:
        for b in second:
            s = _link(sims, a, b)
            outlet = docs[a].outlet
            if outlet is not None and outlet == docs[b].outlet and s < settings.same_outlet:
                return False
            total += s
    return total >= settings.link * len(first) * len(second)


def group(
    docs: Sequence[Doc],
    settings: Grouping = Grouping(),
    sims: dict[tuple[int, int], float] | None = None,
) -> list[list[int]]:
    """The stories of DOCS as lists of indices, each in ascending order, the stories in the
    order of their first article; an article that links to nothing is a story of its own.
    SIMS: the :func:`links` of DOCS, when already computed."""
    sims = links(docs, settings) if sims is None else sims
    members: dict[int, list[int]] = {i: [i] for i in range(len(docs))}
    owner = list(range(len(docs)))
    strongest = sorted(
        ((pair, s) for pair, s in sims.items() if s >= settings.link),
        key=lambda item: (-item[1], item[0]),
    )
    for (a, b), _ in strongest:
        ga, gb = owner[a], owner[b]
        if ga == gb or not _may_merge(members[ga], members[gb], docs, sims, settings):
            continue
        keep, gone = min(ga, gb), max(ga, gb)
        members[keep] = members[ga] + members[gb]
        for x in members.pop(gone):
            owner[x] = keep
    return [sorted(m) for _, m in sorted(members.items())]


def central(story: Sequence[int], sims: dict[tuple[int, int], float]) -> int:
    """The article of STORY closest to all the others (the largest sum of links; the first
    on a tie): its headline names the story."""
    return max(story, key=lambda a: (sum(_link(sims, a, b) for b in story if b != a), -a))
