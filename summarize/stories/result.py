"""What a digest is: the day's stories, each with its brief, its articles and the figures its
articles disagree on. ``Digest.to_dict()`` is the documented JSON (README, "summarize digest"),
schema ``summarize/1``, kind ``digest``: fields are only ever added within a version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from summarize.results import SCHEMA, BriefLine, ModelInfo

if TYPE_CHECKING:  # the trust package loads only when checks run
    from summarize.trust import Check

__all__ = [
    "ArticleRef",
    "Digest",
    "Disagreement",
    "FigureValue",
    "Skipped",
    "Story",
    "StoryLine",
    "StorySource",
]


@dataclass
class ArticleRef:
    """One article of a story, as a reader finds it again: its path (relative to the folder
    read, or the record's ``id`` in JSON Lines), headline, outlet, date and address."""

    path: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None = None


@dataclass
class StorySource:
    """A sentence of one of the story's articles that supports a summary line: the article's
    path, the sentence's paragraph and index in that article's cleaned body (from 0, as
    ``summarize brief -f json`` numbers its ``article``), the score, and the sentence."""

    path: str
    paragraph: int
    index: int
    score: float
    text: str


@dataclass
class StoryLine:
    """A summary line of a story: Arabic, English, its sources and its failed checks."""

    ar: str
    en: str
    sources: list[StorySource] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ar": self.ar,
            "en": self.en,
            "sources": [asdict(s) for s in self.sources],
            "checks": [asdict(c) for c in self.checks],
        }


@dataclass
class FigureValue:
    """What one article says about a disputed thing: the figure's canonical ``value``, its
    ``text`` as written, where (path, outlet), and the sentence it is in (``context``)."""

    value: str
    text: str
    path: str
    outlet: str | None
    context: str


@dataclass
class Disagreement:
    """One thing (a count, an amount, a date) that the articles of a story give differently.

    ``kind`` is the figure's kind (``number``, ``percent``, ``date``, ``year``, ``time``,
    ``fraction``, ``approximate``, see :mod:`summarize.trust.numbers`); ``about`` the words
    beside the figure that say what it counts, as the first article writes them; ``values``
    one per article that gives it, in the story's article order."""

    kind: str
    about: str
    values: list[FigureValue]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "about": self.about, "values": [asdict(v) for v in self.values]}


@dataclass
class Story:
    """Articles that report the same event (reprints and rewrites), and one brief of them."""

    title: BriefLine | None
    summary: list[StoryLine]
    articles: list[ArticleRef]
    disagreements: list[Disagreement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """The outlets that carry the story, in article order (unknown ones left out)."""
        return list(dict.fromkeys(a.outlet for a in self.articles if a.outlet))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": None if self.title is None else self.title.checked(),
            "outlets": self.outlets,
            "summary": [line.to_dict() for line in self.summary],
            "articles": [asdict(a) for a in self.articles],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "warnings": list(self.warnings),
        }


@dataclass
class Skipped:
    """An input the digest could not take, and why (the error's message and exit code)."""

    path: str
    error: str
    exit_code: int


@dataclass
class Digest:
    """The stories of a set of articles, most widely carried first."""

    stories: list[Story]
    articles: int  # how many articles were read
    skipped: list[Skipped] = field(default_factory=list)
    grouping: dict[str, Any] = field(default_factory=dict)  # the method and its thresholds
    models: list[ModelInfo] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see README, "summarize digest")."""
        return {
            "schema": SCHEMA,
            "kind": "digest",
            "articles": self.articles,
            "stories": [s.to_dict() for s in self.stories],
            "skipped": [asdict(s) for s in self.skipped],
            "grouping": dict(self.grouping),
            "models": [vars(m).copy() for m in self.models],
            "timings": dict(self.timings),
            "warnings": list(self.warnings),
        }
