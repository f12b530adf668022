"""What every renderer shows the same way: the heading, the one-line footer, and how a check
and a source reference read to a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarize.registry import short_revision
from summarize.results import Brief, Result
from summarize.terminal import printable

if TYPE_CHECKING:
    from summarize.trust import Check, SourceRef

__all__ = ["CHECK_LABELS", "check_text", "footer", "heading", "source_label", "source_text"]

#: What each check kind is called in Markdown, HTML, text and the terminal table.
CHECK_LABELS = {
    "weak_source": "weak source",
    "unsupported_number": "figure not in the article",
    "unsupported_name": "name not in the article",
    "lost_in_translation": "lost in translation",
    "added_in_translation": "added in translation",
}


def check_text(check: Check) -> str:
    """A check for a person: "lost in translation: 15%", "weak source: 18% supported"."""
    label = CHECK_LABELS.get(check.kind, check.kind.replace("_", " "))
    if check.kind == "weak_source":
        try:
            return f"{label}: the article supports {float(check.value):.0%} of it"
        except ValueError:
            pass
    return f"{label}: {check.value}"


def source_label(ref: SourceRef) -> str:
    """Where a source sentence is, counted from 1 for people: "¶3.2" is the second sentence
    of the article's third paragraph (JSON counts from 0: paragraph 2, index 1)."""
    return f"¶{ref.paragraph + 1}.{ref.index + 1}"


def source_text(result: Result, ref: SourceRef) -> str:
    """The source sentence REF points at in RESULT's article ("" if the article lacks it, or
    RESULT is a translation, which has no sources)."""
    if not isinstance(result, Brief):
        return ""
    try:
        return result.article[ref.paragraph][ref.index]
    except IndexError:
        return ""


def footer(result: Result) -> str:
    """One line of stats: words, sentences, chunks, reduce rounds, models, seconds."""
    s = result.stats
    parts = [f"published {result.published}"] if result.published else []
    parts += [_count(s.words, "word"), _count(s.sentences, "sentence")]
    if isinstance(result, Brief) and s.chunks:  # an extractive summary has no chunks
        parts += [_count(s.chunks, "chunk"), _count(s.reduce_rounds, "reduce round")]
    else:
        parts.append(_count(s.paragraphs, "paragraph"))
    for m in result.models:
        rev = f"@{short_revision(m.revision)}" if m.revision else ""
        parts.append(f"{m.role}: {printable(m.name)}{rev}")  # a folder's name, shown as is
    failed = len(result.failures())
    if failed:
        parts.append(_count(failed, "failed check"))
    if "total_s" in result.timings:
        parts.append(f"{result.timings['total_s']:.1f} s")
    return " · ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def heading(result: Result) -> str:
    if result.title is not None:
        return result.title.en or result.title.ar
    return "Brief" if isinstance(result, Brief) else "Translation"
