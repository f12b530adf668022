"""The last stage: what a reader can check, attached to every line after generation.

A brief's summary lines get their sources in the cleaned article and their checks
(:func:`summarize.trust.trust_brief`); its headline and every sentence of a translation get
the translation checks (a figure lost or added, :func:`summarize.trust.check_translation_line`).
Text in, lines out: no model, the same for every summarizer and translator (docs/trust.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarize.articles import DEFAULT_MAX_CHARS, article_from_text
from summarize.pipeline.prepare import Prepared, prepare
from summarize.results import BriefLine
from summarize.trust import (
    WEAK_SOURCE,
    WEAK_SUPPORT,
    ArticleIndex,
    SourceRef,
    check_summary_line,
    check_translation_line,
    sentence_positions,
    trust_brief,
)

__all__ = [
    "RecordCheck",
    "check_summary_record",
    "check_translation_record",
    "checked_pair",
    "checked_summary",
    "weak_source_warning",
]


@dataclass(frozen=True)
class RecordCheck:
    """One finding of ``summarize check``: a :class:`~summarize.trust.Check` and, for a
    summary, the summary line it is about (from 1). JSON: ``{"kind", "value"}`` plus
    ``"line"`` for a summary."""

    kind: str
    value: str
    line: int | None = None

    def to_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {"kind": self.kind, "value": self.value}
        if self.line is not None:
            out["line"] = self.line
        return out


def check_translation_record(ar: str, en: str) -> list[RecordCheck]:
    """The checks of a translation made by anything (our models, another system, a person):
    the same :func:`summarize.trust.check_translation_line` that every sentence of
    ``translate`` and every line of ``brief`` gets, over the whole text."""
    return [RecordCheck(c.kind, c.value) for c in check_translation_line(ar, en)]


def check_summary_record(
    text: str, summary: str, *, source: str = "article", max_chars: int = DEFAULT_MAX_CHARS
) -> list[RecordCheck]:
    """The source checks of an Arabic summary (one line or more) of the Arabic article TEXT:
    the article is cleaned and split as ``brief`` does, each non-blank summary line is
    checked against it (:func:`summarize.trust.check_summary_line`).

    Raises what reading the article raises (:class:`~summarize.errors.NotArabic`, …).
    """
    job = prepare(article_from_text(text, source, max_chars=max_chars))
    article = ArticleIndex(job.sentences, job.title)
    lines = [line for line in summary.splitlines() if line.strip()]
    return [
        RecordCheck(c.kind, c.value, n)
        for n, line in enumerate(lines, start=1)
        for c in check_summary_line(line.strip(), article)
    ]


def checked_pair(ar: str, en: str) -> BriefLine:
    """A translated sentence (or a headline) with its translation checks."""
    return BriefLine(ar, en, checks=check_translation_line(ar, en))


def checked_summary(
    pairs: Sequence[tuple[str, str]], job: Prepared, extracted: Sequence[int] | None = None
) -> list[BriefLine]:
    """Summary lines (Arabic, English) with their sources and checks against the article.

    EXTRACTED: for lines copied from the article (the extractive strategy), each line's index
    into ``job.sentences``; its source is then that sentence, with score 1.
    """
    trust = trust_brief(pairs, job.sentences, job.title)
    lines = [
        BriefLine(ar, en, t.sources, t.checks) for (ar, en), t in zip(pairs, trust, strict=True)
    ]
    if extracted is not None:
        positions = sentence_positions(job.sentences)
        for line, n in zip(lines, extracted, strict=True):
            line.sources = [SourceRef(*positions[n], 1.0)]
    return lines


def weak_source_warning(lines: Sequence[BriefLine]) -> list[str]:
    """One warning naming the summary lines the article hardly supports, or none."""
    weak = [
        f"{n} ({float(c.value):.0%})"
        for n, line in enumerate(lines, start=1)
        for c in line.checks
        if c.kind == WEAK_SOURCE
    ]
    if not weak:
        return []
    which = "summary line" + ("s " if len(weak) > 1 else " ") + ", ".join(weak)
    return [
        f"{which}: the article supports less than {WEAK_SUPPORT:.0%} of the content "
        "(the share it supports in parentheses); check against the article before relying on it"
    ]
