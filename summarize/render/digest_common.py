"""What the digest's Markdown and HTML show the same way: a story's heading, its counts, and
where a figure or a source comes from."""

from __future__ import annotations

from summarize.render.common import check_text
from summarize.stories.result import Digest, Disagreement, FigureValue, Story, StorySource
from summarize.terminal import printable
from summarize.trust import Check

__all__ = [
    "check_label",
    "counts",
    "disagreement_label",
    "source_label",
    "story_heading",
    "story_meta",
    "value_place",
]


def story_heading(story: Story, rank: int) -> str:
    """The story's headline in English, else in Arabic, else its rank."""
    if story.title is not None and (story.title.en or story.title.ar):
        return story.title.en or story.title.ar
    return f"Story {rank}"


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def story_meta(story: Story) -> str:
    """ "3 outlets (okaz, alriyadh, sabq) · 4 articles · 1 disagreement"."""
    outlets = story.outlets
    parts = []
    if outlets:
        parts.append(f"{_count(len(outlets), 'outlet')} ({', '.join(outlets)})")
    parts.append(_count(len(story.articles), "article"))
    if story.disagreements:
        parts.append(_count(len(story.disagreements), "disagreement"))
    return " · ".join(parts)


def counts(digest: Digest) -> str:
    """The digest's header line: stories, articles, outlets, disagreements, skipped."""
    outlets = {o for s in digest.stories for o in s.outlets}
    shared = sum(1 for s in digest.stories if len(s.articles) > 1)
    parts = [
        _count(len(digest.stories), "story", "stories"),
        f"{shared:,} carried by more than one article",
        _count(digest.articles, "article"),
    ]
    if outlets:
        parts.append(_count(len(outlets), "outlet"))
    disputed = sum(1 for s in digest.stories if s.disagreements)
    parts.append(f"{disputed:,} with figures the articles disagree on")
    if digest.skipped:
        parts.append(f"{len(digest.skipped):,} input(s) skipped")
    return " · ".join(parts)


def value_place(value: FigureValue) -> str:
    """Where a figure is given: "okaz, okaz/a.txt" (the path alone when no outlet is known)."""
    path = printable(value.path)  # a file name: controls shown as escapes
    return f"{value.outlet}, {path}" if value.outlet else path


def disagreement_label(d: Disagreement) -> str:
    """ "473 (okaz, a.txt) · 437 (alriyadh, b.txt)"."""
    return " · ".join(f"{v.text} ({value_place(v)})" for v in d.values)


def source_label(source: StorySource) -> str:
    """ "okaz/a.txt ¶3.2 (0.83)": the second sentence of that article's third paragraph."""
    where = f"¶{source.paragraph + 1}.{source.index + 1} ({source.score:.2f})"
    return f"{printable(source.path)} {where}"


def check_label(check: Check) -> str:
    return check_text(check)
