"""The extractive strategy: the article's own sentences, chosen with no model and no download.

``--summarizer extractive`` (a registry entry of kind ``extractive``) runs :class:`Extractive`;
its lines are sentences of the cleaned article (a run-on over 80 words is cut at its
strongest internal boundaries first, :func:`summarize.chunking.model_units`), so their
sources are known exactly (score 1) and a brief needs only the translator. Ranking (:func:`select_sentences`, pure) is a centroid method (Radev et al., 2004) over normalized Arabic words, with a lead
bias for news, where the first sentences carry the story:

1. Each sentence becomes a bag of content words: :func:`summarize.text.fold.fold` (letter
   variants, diacritics, digits unified), :func:`~summarize.text.fold.light_stem` (article
   and attached pronoun removed), function words (:mod:`summarize.text.stopwords`) dropped.
2. Words are weighted tf x idf, idf over the article's sentences; the article's centroid is
   the mean of the sentence vectors. A sentence's **relevance** is its cosine with the
   centroid, scaled so that the most central sentence has 1.
3. The **lead prior** of the sentence at position p (from 0) is 1 / sqrt(1 + p); the score
   is ``(1 - lead_weight) * relevance + lead_weight * prior``.
4. Sentences are taken best score first, each penalized by ``REDUNDANCY`` times its largest
   cosine with a sentence already taken, so that a repeated fact is not taken twice.
   Sub-headings (short lines with no final punctuation), fragments under ``MIN_WORDS``
   words, list items and interview or question-and-answer turns are taken only when nothing
   else is left.
5. The lead (the first whole sentence among the first three) is always taken first: news is
   written lead first, and a brief that skips the lead for a later, more "central" sentence
   reads wrong (docs/text-rules.md measures it on 113 real articles).
6. The chosen sentences come back in article order.

Deterministic (ties go to the earlier sentence) and linear in the article's length apart from
the n rounds of step 4: a generated 20,000-word article (about 1,900 sentences) is ranked in
0.18-0.3 s on the shared 2-core development machine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from summarize.chunking import Unit, model_units
from summarize.pipeline.prepare import Prepared
from summarize.pipeline.summary import Summary
from summarize.progress import ProgressFn, report
from summarize.registry import DEFAULT_SENTENCES, ModelSpec
from summarize.results import ModelInfo
from summarize.text import Sentence
from summarize.text.fold import light_stem, words
from summarize.text.sentences import CLOSERS, TERMINALS
from summarize.text.stopwords import is_stopword

__all__ = [
    "DEFAULT_SENTENCES",
    "LEAD_WEIGHT",
    "MIN_WORDS",
    "REDUNDANCY",
    "Extractive",
    "is_turn",
    "lead",
    "sentence_scores",
    "summary_units",
    "select_sentences",
]

LEAD_WEIGHT = 0.35
"""Share of a sentence's score that comes from its position (0: none, 1: only the lead)."""
REDUNDANCY = 0.5
"""Penalty per unit of cosine similarity with a sentence already chosen."""
MIN_WORDS = 5
"""Sentences with fewer words are fragments, chosen only when nothing else is left."""
_HEADING_WORDS = 10
_LEAD_SEARCH = 3
_TURN_MARKS = "-–—*•■●▪"
_TURN_LABEL = re.compile(r"^(?:س|ج|سؤال|جواب|السؤال|الجواب)\s*[:/]")

Vector = dict[str, float]


def _bag(text: str) -> Counter[str]:
    return Counter(light_stem(w) for w in words(text) if len(w) > 1 and not is_stopword(w))


def _vectors(sentences: Sequence[Sentence]) -> list[Vector]:
    """tf x idf vectors of the sentences' content words."""
    bags = [_bag(s.text) for s in sentences]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    total = len(bags)
    idf = {w: math.log(1 + total / n) for w, n in df.items()}
    return [{w: tf * idf[w] for w, tf in bag.items()} for bag in bags]


def _norm(v: Vector) -> float:
    return math.sqrt(sum(x * x for x in v.values()))


def _cosine(a: Vector, b: Vector, norm_a: float, norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items()) / (norm_a * norm_b)


def _is_fragment(sentence: Sentence) -> bool:
    """A sub-heading («الوضع في أفغانستان والشرق الأوسط») or a few words."""
    n = len(sentence.text.split())
    if n < MIN_WORDS:
        return True
    return n < _HEADING_WORDS and sentence.text.rstrip(CLOSERS)[-1:] not in TERMINALS


def sentence_scores(
    sentences: Sequence[Sentence], *, lead_weight: float = LEAD_WEIGHT
) -> list[float]:
    """Each sentence's score in [0, 1] before redundancy: centroid relevance and lead prior."""
    return _scores(_vectors(sentences), lead_weight)


def _scores(
    vectors: Sequence[Vector], lead_weight: float, positions: Sequence[int] | None = None
) -> list[float]:
    centroid: Vector = {}
    for v in vectors:
        for w, x in v.items():
            centroid[w] = centroid.get(w, 0.0) + x
    norm_c = _norm(centroid)
    relevance = [_cosine(v, centroid, _norm(v), norm_c) for v in vectors]
    top = max(relevance, default=0.0) or 1.0
    where = range(len(vectors)) if positions is None else positions
    return [
        (1 - lead_weight) * r / top + lead_weight / math.sqrt(1 + p)
        for p, r in zip(where, relevance, strict=True)
    ]


def select_sentences(
    sentences: Sequence[Sentence],
    n: int = DEFAULT_SENTENCES,
    *,
    lead_weight: float = LEAD_WEIGHT,
    redundancy: float = REDUNDANCY,
    positions: Sequence[int] | None = None,
    avoid: Sequence[bool] | None = None,
    keep: Sequence[int] = (),
) -> list[int]:
    """Indices (into ``sentences``) of the ``n`` sentences of the summary, in article order.

    Fewer when the article has fewer sentences; none when ``n`` < 1. POSITIONS: each
    sentence's place in its own article, for the lead prior, when the sentences come from
    several articles (a story of the digest); by default their place in ``sentences``.
    Fragments, and the sentences AVOID marks, are taken only when nothing else is left.
    KEEP: sentences taken first, whatever their score (the news lead).
    """
    if n < 1 or not sentences:
        return []
    if positions is not None and len(positions) != len(sentences):
        raise ValueError("one position per sentence")
    vectors = _vectors(sentences)
    scores = _scores(vectors, lead_weight, positions)
    norms = [_norm(v) for v in vectors]
    fragment = [_is_fragment(s) for s in sentences]
    if avoid is not None:
        fragment = [f or a for f, a in zip(fragment, avoid, strict=True)]
    chosen: list[int] = []
    closest = [0.0] * len(sentences)  # largest cosine with a chosen sentence
    for best in keep[:n]:
        chosen.append(best)
        for i in range(len(sentences)):
            sim = _cosine(vectors[i], vectors[best], norms[i], norms[best])
            closest[i] = max(closest[i], sim)
    while len(chosen) < min(n, len(sentences)):
        best, best_key = -1, (True, 0.0)
        for i, score in enumerate(scores):
            if i in chosen:
                continue
            key = (not fragment[i], score - redundancy * closest[i])
            if best < 0 or key > best_key:
                best, best_key = i, key
        chosen.append(best)
        for i in range(len(sentences)):
            if i not in chosen:
                sim = _cosine(vectors[i], vectors[best], norms[i], norms[best])
                closest[i] = max(closest[i], sim)
    return sorted(chosen)


class Extractive:
    """The extractive strategy: ``spec.sentences`` sentences of the article, in article order.

    No model is loaded; ``info`` says so in the JSON ``models`` list (backend ``builtin``).
    """

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.info = ModelInfo(
            role="summarizer",
            name=spec.name,
            hub_id=None,
            revision=None,
            license=spec.license,
            backend="builtin",
            device="cpu",
            precision="n/a",
        )

    def summarize(self, job: Prepared, progress: ProgressFn | None = None) -> Summary:
        report(progress, "choosing sentences", 0, 1)
        units = summary_units(job.sentences, self.spec.sentences)
        report(progress, "choosing sentences", 1, 1)
        return Summary(sentences=[u.text for u in units], extracted=[u.sentence for u in units])


def summary_units(sentences: Sequence[Sentence], n: int = DEFAULT_SENTENCES) -> list[Unit]:
    """The N lines of the extractive summary of SENTENCES, in article order: the lead first,
    then the best of the rest, over the units the models get (a run-on cut into pieces)."""
    units = model_units(sentences)
    lines = [Sentence(u.text, 0, 0, sentences[u.sentence].paragraph) for u in units]
    avoid = [u.list_item or is_turn(u.text) for u in units]
    opening = [u.list_item or _turn_mark(u.text) for u in units]  # a question may lead
    chosen = select_sentences(lines, n, avoid=avoid, keep=lead(lines, opening))
    # a summary line does not open with the bullet or dash that opened it in the article
    return [
        replace(units[i], text=units[i].text.lstrip(_TURN_MARKS + " ") or units[i].text)
        for i in chosen
    ]


def lead(lines: Sequence[Sentence], avoid: Sequence[bool]) -> list[int]:
    """The news lead: the first of the first few lines that is a whole sentence (not a
    sub-heading, a fragment, a list item or an interview turn), as a one-item list; or none.
    News is written lead first, so a brief starts with it."""
    for i, line in enumerate(lines[:_LEAD_SEARCH]):
        if not avoid[i] and not _is_fragment(line):
            return [i]
    return []


def is_turn(text: str) -> bool:
    """A turn of an interview or a reader's question-and-answer column («* هل ترى …؟», «- نعم
    …», «س: …», «ج: …»), or a question: what someone asked or answered, not what happened."""
    bare = text.strip()
    return _turn_mark(bare) or bare.rstrip(CLOSERS)[-1:] in "؟?"


def _turn_mark(text: str) -> bool:
    bare = text.strip()
    return bare[:1] in _TURN_MARKS or _TURN_LABEL.match(bare) is not None
