"""One bilingual brief per story, made from all of its articles.

The story's articles become one document: the sentences of each article in the story's order
(its most central article first), each sentence said again by another article left out (the
same words, or 80 % of them, as :func:`summarize.pipeline.summary.dedupe_sentences` counts), so
that the brief never says one thing twice. The summarizer is the one ``brief`` would use:

- **extractive** (the digest's default): the document's most central sentences
  (:func:`summarize.pipeline.extractive.select_sentences`), with the lead bias of each
  sentence's place in its own article, so that every article's opening counts as a lead;
- **a model** (mT5, AraBART): map-reduce over the document, as for one long article.

The lines and the headline are translated sentence by sentence (an English an earlier batch
run made for the same Arabic is taken instead), then checked as a brief's lines are: each line's
sources are sentences of the story's articles (path, paragraph, index), and a figure or a name
that no article has, or that the English lost or added, is marked (docs/trust.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.pipeline.checking import checked_pair, checked_summary, weak_source_warning
from summarize.pipeline.engine import Engine
from summarize.pipeline.extractive import select_sentences
from summarize.pipeline.prepare import Prepared
from summarize.pipeline.translate import translate_sentences
from summarize.progress import ProgressFn
from summarize.results import BriefLine
from summarize.stories.inputs import NewsItem
from summarize.stories.result import StoryLine, StorySource
from summarize.text import Sentence
from summarize.trust import sentence_positions

__all__ = [
    "DEFAULT_SENTENCES",
    "REPEAT",
    "Draft",
    "StoryBriefer",
    "StoryDocument",
    "story_document",
]

DEFAULT_SENTENCES = 3
"""Sentences of a story's extractive brief, unless told (a story has more to say than one
article's brief, the extractive default of 2)."""
REPEAT = 0.8
"""Share of words (Jaccard) from which a sentence repeats one already in the document."""
_KEY = re.compile(r"[\W_]+")


@dataclass
class StoryDocument:
    """A story's articles as one document to summarize: its sentences, where each comes from
    (the article's place in the story, its paragraph and index there) and its place in its
    own article (for the lead bias)."""

    job: Prepared
    origin: list[tuple[int, int, int]]
    positions: list[int]


def _words(sentence: str) -> frozenset[str]:
    return frozenset(_KEY.sub(" ", sentence).casefold().split())


def story_document(items: Sequence[NewsItem], title: str | None) -> StoryDocument:
    """The sentences of ITEMS, in order, without the ones another article already said."""
    sentences: list[Sentence] = []
    origin: list[tuple[int, int, int]] = []
    positions: list[int] = []
    kept: list[frozenset[str]] = []
    paragraph = -1
    parts: list[str] = []
    offset = 0
    for k, item in enumerate(items):
        last: tuple[int, int] | None = None
        for n, (sentence, (p, i)) in enumerate(
            zip(item.job.sentences, sentence_positions(item.job.sentences), strict=True)
        ):
            bag = _words(sentence.text)
            if not bag or any(len(bag & w) >= REPEAT * len(bag | w) for w in kept):
                continue
            kept.append(bag)
            if last is None or last[0] != p:
                paragraph += 1
                gap = "\n\n" if parts else ""
            else:
                gap = " "
            last = (p, i)
            parts.append(gap)
            offset += len(gap)
            sentences.append(
                Sentence(sentence.text, offset, offset + len(sentence.text), paragraph)
            )
            parts.append(sentence.text)
            offset += len(sentence.text)
            origin.append((k, p, i))
            positions.append(n)
    text = "".join(parts)
    job = Prepared(text=text, title=title, sentences=sentences, removed=[], words=len(text.split()))
    return StoryDocument(job, origin, positions)


@dataclass
class Draft:
    """A story's summary before translation: its document, the Arabic lines (and, when they
    are sentences of the document, their indices), its headline and warnings so far."""

    items: Sequence[NewsItem]
    doc: StoryDocument
    lines: list[str]
    extracted: list[int] | None
    title: str | None
    warnings: list[str]

    @property
    def to_translate(self) -> list[str]:
        """The lines and the headline, in that order."""
        return [*self.lines, *([self.title] if self.title else [])]

    def missing(self) -> list[str]:
        """What no earlier run translated: what the translator must do for this story."""
        known = {ar for item in self.items for ar in item.known}
        return list(dict.fromkeys(t for t in self.to_translate if t not in known))


class StoryBriefer:
    """Briefs stories with ENGINE's summarizer and translator (each loaded on first use):
    SENTENCES lines when the summarizer is extractive. :meth:`draft` summarizes a story;
    :meth:`finish` translates and checks it, and may run on several threads at once once the
    translator is loaded (:meth:`workers`)."""

    def __init__(
        self,
        engine: Engine,
        sentences: int = DEFAULT_SENTENCES,
        progress: ProgressFn | None = None,
    ) -> None:
        self.engine = engine
        self.sentences = sentences
        self.progress = progress
        self.summarized = False  # whether a summarization model ran
        self.translated = False  # whether the translator ran

    def draft(self, items: Sequence[NewsItem], title: str | None) -> Draft:
        """The story's summary lines, from its articles as one document."""
        doc = story_document(items, title)
        if not doc.job.sentences:
            return Draft(items, doc, [], [], title, [])
        if self.engine.summarizer_spec.kind == "extractive":
            chosen = select_sentences(doc.job.sentences, self.sentences, positions=doc.positions)
            lines = [doc.job.sentences[n].text for n in chosen]
            return Draft(items, doc, lines, chosen, title, [])
        summary = self.engine.summarizer.summarize(doc.job, self.progress)
        self.summarized = True
        return Draft(items, doc, summary.sentences, summary.extracted, title, summary.warnings)

    def workers(self, drafts: Sequence[Draft]) -> int:
        """How many stories may be finished at once: the translator's workers, once it is
        loaded (here, before any thread needs it), or 1 when nothing needs translating."""
        if not any(d.missing() for d in drafts):
            return 1
        return max(1, int(getattr(self.engine.translator, "concurrency", 1)))

    def finish(self, draft: Draft) -> tuple[BriefLine | None, list[StoryLine], list[str]]:
        """The story's headline line, summary lines (translated, sourced and checked) and
        warnings. Each story is translated on its own: its English never depends on which
        other stories were in the digest."""
        doc, items, title = draft.doc, draft.items, draft.title
        english = self._english(draft)
        checked = checked_summary(
            list(zip(draft.lines, english, strict=False)), doc.job, draft.extracted
        )
        headline = checked_pair(title, english[-1]) if title else None
        flat = {pos: n for n, pos in enumerate(sentence_positions(doc.job.sentences))}
        summary_lines = []
        for line in checked:
            sources = []
            for ref in line.sources:
                n = flat[(ref.paragraph, ref.index)]
                k, p, i = doc.origin[n]
                sources.append(
                    StorySource(items[k].path, p, i, ref.score, doc.job.sentences[n].text)
                )
            summary_lines.append(StoryLine(line.ar, line.en, sources, line.checks))
        warnings = draft.warnings + weak_source_warning(checked)
        empty = sum(1 for ar, en in zip(draft.to_translate, english, strict=True) if ar and not en)
        if empty:
            warnings.append(f"the translator produced no text for {empty} line(s)")
        return headline, summary_lines, warnings

    def _english(self, draft: Draft) -> list[str]:
        """The English of the draft's lines and headline: an earlier run's where one of its
        articles has it, else translated now (all of the story's missing lines in one call)."""
        known: dict[str, str] = {}
        for item in draft.items:
            known.update(item.known)
        missing = draft.missing()
        if missing:
            made = translate_sentences(self.engine.translator, missing, self.progress)
            self.translated = True
            known.update(zip(missing, made, strict=True))
        return [known[t] for t in draft.to_translate]
