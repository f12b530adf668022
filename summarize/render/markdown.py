"""Markdown: a two-column table, Arabic right-aligned beside English (the default in pipes).

A line that failed a check is marked in its English cell (⚠ and the check); each summary line
of a brief has a footnote quoting its source sentences from the article.
"""

from __future__ import annotations

from summarize.render.common import check_text, footer, heading, source_label, source_text
from summarize.results import BriefLine, Result

__all__ = ["md_cell", "to_markdown"]


def md_cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, line breaks folded, markup characters escaped."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def _marks(line: BriefLine) -> str:
    """The line's failed checks, visible: " ⚠ **lost in translation: 15%**"."""
    return "".join(f" ⚠ **{md_cell(check_text(c))}**" for c in line.checks)


def _footnote(result: Result, n: int, line: BriefLine) -> str:
    refs = [
        f"{source_label(ref)} ({ref.score:.2f}) {md_cell(source_text(result, ref))}"
        for ref in line.sources
    ]
    return f"[^{n}]: sources: " + " · ".join(refs)


def to_markdown(result: Result) -> str:
    """Markdown: a two-column table, Arabic right-aligned beside English, then the sources of
    each summary line (footnotes), the footer and the warnings."""
    out = [f"# {md_cell(heading(result))}", ""]
    if result.title is not None:
        out += [f"**{md_cell(result.title.ar)}**{_marks(result.title)}", ""]
    if result.byline:  # under the headline, as a paper prints it
        out += [f"_byline:_ {md_cell(result.byline)}", ""]
    notes: list[str] = []
    for i, group in enumerate(result.groups):
        if not group:
            continue
        if i:
            out.append("")
        out += ["| English | العربية |", "|:--|--:|"]
        for line in group:
            ref = ""
            if line.sources:
                notes.append(_footnote(result, len(notes) + 1, line))
                ref = f" [^{len(notes)}]"
            out.append(f"| {md_cell(line.en)}{_marks(line)} | {md_cell(line.ar)}{ref} |")
    if not any(result.groups):
        out.append("_No summary was produced._")
    if notes:
        out += ["", *notes]
    out += ["", f"_{md_cell(footer(result))}_"]
    out += [f"> **warning:** {md_cell(w)}" for w in result.warnings]
    return "\n".join(out) + "\n"
