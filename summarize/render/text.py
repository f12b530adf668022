"""Plain text: each Arabic sentence with its English under it, then its failed checks and,
when asked, its source sentences."""

from __future__ import annotations

from summarize.render.common import check_text, footer, source_label, source_text
from summarize.results import Result

__all__ = ["to_text"]


def to_text(result: Result, *, sources: bool = False) -> str:
    """Plain text: each Arabic sentence with its English under it, paragraphs kept; a line
    that failed a check is followed by "⚠ …" lines, and with SOURCES by its source sentences."""
    out: list[str] = []
    if result.title is not None:
        out += [result.title.ar, result.title.en]
        out += [f"⚠ {check_text(c)}" for c in result.title.checks]
        out += ["=" * min(60, max(8, len(result.title.en)))]
    if result.byline:
        out.append(f"byline: {result.byline}")
    if result.title is not None or result.byline:
        out.append("")
    n = 0
    for group in result.groups:
        for line in group:
            n += 1
            indent = " " * (len(str(n)) + 2)
            out.append(f"{n}. {line.ar}")
            out.append(f"{indent}{line.en}")
            out += [f"{indent}⚠ {check_text(c)}" for c in line.checks]
            if sources:
                out += [
                    f"{indent}{source_label(ref)} ({ref.score:.2f}) {source_text(result, ref)}"
                    for ref in line.sources
                ]
        out.append("")
    out += [f"-- {footer(result)}"]
    out += [f"warning: {w}" for w in result.warnings]
    return "\n".join(out) + "\n"
