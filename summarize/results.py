"""What a run produces: a brief or a translation of one article, and its JSON shape.

Rendering, JSON Lines and batch all read these dataclasses; none of them needs the engine.
``Brief`` and ``Translation`` share ``Result``; ``to_dict()`` is the documented JSON (README,
"JSON output"), schema ``summarize/1``: fields are only ever added within a version.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import KW_ONLY, asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from summarize.errors import ChecksFailed

if TYPE_CHECKING:  # the trust package loads only when checks run
    from summarize.trust import Check, SourceRef

__all__ = [
    "SCHEMA",
    "Brief",
    "BriefLine",
    "ModelInfo",
    "Result",
    "Stats",
    "Translation",
    "checks_failed",
]

SCHEMA = "summarize/1"


@dataclass
class BriefLine:
    """One aligned pair: an Arabic sentence and its English translation, with what a reader
    can check (docs/trust.md): the sentences of the article that support it (summary lines
    only) and the checks it failed (an empty list: none found)."""

    ar: str
    en: str
    sources: list[SourceRef] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def checked(self) -> dict[str, Any]:
        """``{"ar", "en", "checks"}``: a headline or a translated sentence in JSON."""
        return {"ar": self.ar, "en": self.en, "checks": [asdict(c) for c in self.checks]}

    def sourced(self) -> dict[str, Any]:
        """``{"ar", "en", "sources", "checks"}``: a summary line in JSON."""
        return {
            "ar": self.ar,
            "en": self.en,
            "sources": [asdict(s) for s in self.sources],
            "checks": [asdict(c) for c in self.checks],
        }


@dataclass
class Stats:
    words: int = 0
    sentences: int = 0
    paragraphs: int = 0
    chunks: int = 0
    reduce_rounds: int = 0
    summary_sentences: int = 0
    removed_lines: list[str] = field(default_factory=list)


@dataclass
class ModelInfo:
    role: str
    name: str
    hub_id: str | None
    revision: str | None
    license: str
    backend: str
    device: str
    precision: str


@dataclass
class Result(ABC):
    """What a brief and a translation of one article share; use it in annotations and with
    ``isinstance``. JSON output is ``to_dict()``; ``kind`` is its ``"kind"``."""

    kind: ClassVar[str]
    source: str
    encoding: str
    title: BriefLine | None
    _: KW_ONLY
    stats: Stats = field(default_factory=Stats)
    models: list[ModelInfo] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    published: str | None = None  # YYYY-MM-DD, from the page's metadata or its dateline
    byline: str | None = None  # «جدة - واس», «بقلم …»: taken out of the text as furniture

    @property
    @abstractmethod
    def groups(self) -> list[list[BriefLine]]:
        """The aligned pairs to show, in groups: a brief's summary is one group, a
        translation's paragraphs are one each."""

    @property
    def lines(self) -> list[BriefLine]:
        """The aligned pairs to show, flattened."""
        return [line for group in self.groups for line in group]

    @abstractmethod
    def _located(self) -> list[tuple[str, BriefLine]]:
        """Each line with where it is, as ``failures()`` names it."""

    @abstractmethod
    def _body(self) -> dict[str, Any]:
        """The JSON fields of this kind that come after the title."""

    def failures(self) -> list[str]:
        """Every failed check, with where it is: "title: lost_in_translation 15%",
        "line 2: …" (summary) or "paragraph 1 sentence 3: …" (translation, from 1)."""
        where = ([("title", self.title)] if self.title else []) + self._located()
        return [f"{label}: {c.kind} {c.value}" for label, line in where for c in line.checks]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see README, 'JSON output')."""
        return {
            "schema": SCHEMA,
            "kind": self.kind,
            "source": self.source,
            "encoding": self.encoding,
            "published": self.published,
            "byline": self.byline,
            "title": None if self.title is None else self.title.checked(),
            **self._body(),
            "stats": vars(self.stats).copy(),
            "models": [vars(m).copy() for m in self.models],
            "timings": dict(self.timings),
            "warnings": list(self.warnings),
            **self._appendix(),
        }

    def _appendix(self) -> dict[str, Any]:
        """The JSON fields of this kind that come last."""
        return {}


@dataclass
class Brief(Result):
    """The brief of one article: its headline and summary lines, each beside its English."""

    kind: ClassVar[str] = "brief"
    summary: list[BriefLine] = field(default_factory=list)
    #: the cleaned article the summary was made from, paragraphs of sentences: a source
    #: ``{"paragraph": p, "index": i}`` is ``article[p][i]``
    article: list[list[str]] = field(default_factory=list)

    @property
    def groups(self) -> list[list[BriefLine]]:
        return [self.summary]

    def _located(self) -> list[tuple[str, BriefLine]]:
        return [(f"line {n}", line) for n, line in enumerate(self.summary, start=1)]

    def _body(self) -> dict[str, Any]:
        return {"summary": [line.sourced() for line in self.summary]}

    def _appendix(self) -> dict[str, Any]:
        return {"article": [list(para) for para in self.article]}


@dataclass
class Translation(Result):
    """The whole article translated: paragraphs of sentences, each beside its English."""

    kind: ClassVar[str] = "translation"
    translation: list[list[BriefLine]] = field(default_factory=list)  # paragraphs of pairs

    @property
    def groups(self) -> list[list[BriefLine]]:
        return self.translation

    def _located(self) -> list[tuple[str, BriefLine]]:
        return [
            (f"paragraph {p} sentence {i}", line)
            for p, para in enumerate(self.translation, start=1)
            for i, line in enumerate(para, start=1)
        ]

    def _body(self) -> dict[str, Any]:
        return {
            "translation": [
                {"paragraph": p, "index": i, **line.checked()}
                for p, para in enumerate(self.translation)
                for i, line in enumerate(para)
            ]
        }


def checks_failed(result: Result) -> ChecksFailed | None:
    """The error ``--strict`` exits with when any line of RESULT failed a check, else None."""
    failures = result.failures()
    if not failures:
        return None
    shown = "; ".join(failures[:5]) + (
        f"; and {len(failures) - 5} more" if len(failures) > 5 else ""
    )
    lines = {f.partition(":")[0] for f in failures}
    return ChecksFailed(
        f"{result.source}: {len(failures)} check(s) failed on {len(lines)} line(s): {shown}"
    )
