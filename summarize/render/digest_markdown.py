"""A digest in Markdown: a section per story, most widely carried first, each with its
English and Arabic summary side by side, the figures its articles disagree on (⚠), its
articles, and footnotes quoting each line's sources.

Every string from an article, a file name or an outlet is escaped for Markdown and has its
control characters shown as escapes (:func:`summarize.terminal.printable`): the page may be
read in a terminal.
"""

from __future__ import annotations

from summarize.render.digest_common import (
    check_label,
    counts,
    disagreement_label,
    source_label,
    story_heading,
    story_meta,
)
from summarize.render.markdown import md_cell
from summarize.stories.result import Digest, Story
from summarize.terminal import printable

__all__ = ["digest_markdown"]


def _md(text: str) -> str:
    return md_cell(printable(text))


def _story(story: Story, rank: int) -> list[str]:
    out = [f"## {rank}. {_md(story_heading(story, rank))}", ""]
    if story.title is not None:
        marks = "".join(f" ⚠ **{_md(check_label(c))}**" for c in story.title.checks)
        out += [f"**{_md(story.title.ar)}**{marks}", ""]
    out += [f"_{_md(story_meta(story))}_", ""]
    notes: list[str] = []
    if story.summary:
        out += ["| English | العربية |", "|:--|--:|"]
        for n, line in enumerate(story.summary, start=1):
            marks = "".join(f" ⚠ **{_md(check_label(c))}**" for c in line.checks)
            ref = ""
            if line.sources:
                label = f"s{rank}-{n}"
                ref = f" [^{label}]"
                quoted = " · ".join(f"{_md(source_label(s))} {_md(s.text)}" for s in line.sources)
                notes.append(f"[^{label}]: sources: {quoted}")
            out.append(f"| {_md(line.en)}{marks} | {_md(line.ar)}{ref} |")
        out.append("")
    else:
        out += ["_No summary: the articles have no sentences left after cleaning._", ""]
    if story.disagreements:
        out.append("**⚠ Figures the articles disagree on**")
        out.append("")
        for d in story.disagreements:
            out.append(f"- ⚠ {_md(d.kind)}, «{_md(d.about)}»: {_md(disagreement_label(d))}")
        out.append("")
    out.append("Articles:")
    out.append("")
    for a in story.articles:
        where = " · ".join(_md(x) for x in (a.outlet, a.published) if x)
        head = f" — {_md(a.title)}" if a.title else ""
        out.append(f"- {where + ' · ' if where else ''}{_md(printable(a.path))}{head}")
    out += [f"> **warning:** {_md(w)}" for w in story.warnings]
    if notes:
        out += ["", *notes]
    out.append("")
    return out


def digest_markdown(digest: Digest) -> str:
    """The digest as Markdown (see the module's doc)."""
    out = ["# Digest", "", f"_{_md(counts(digest))}_", ""]
    if not digest.stories:
        out += ["_No stories: no article could be read._", ""]
    for rank, story in enumerate(digest.stories, start=1):
        out += _story(story, rank)
    if digest.skipped:
        out += ["## Skipped", ""]
        out += [f"- {_md(printable(s.path))}: {_md(s.error)}" for s in digest.skipped]
        out.append("")
    out += [f"> **warning:** {_md(w)}" for w in digest.warnings]
    models = " · ".join(f"{m.role}: {m.name}" for m in digest.models)
    if models:
        out += ["", f"_{_md(models)}_"]
    return "\n".join(out).rstrip("\n") + "\n"
