"""The terminal: a rich table, English beside right-aligned Arabic (the default on a TTY).

A line that failed a check is marked under its English (⚠ and the check); with ``sources``
its source sentences from the article are shown under its Arabic (``--sources``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from summarize.render.common import check_text, footer, heading, source_label, source_text
from summarize.results import BriefLine, Result
from summarize.terminal import safe_text

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["print_rich", "visual_arabic"]


def print_rich(result: Result, console: Any, *, bidi: bool = False, sources: bool = False) -> None:
    """A side-by-side table on the terminal, Arabic column right-aligned.

    With BIDI, Arabic is wrapped to its column, then each line is reshaped and put in visual
    order, for terminals that show Arabic reversed and unjoined (no bidi support). With
    SOURCES, each summary line's source sentences follow its Arabic, dimmed.
    """
    from rich.table import Table

    # Two equal columns: the table spends 7 cells on borders and padding.
    arabic_width = max(10, (console.width - 7) // 2)
    ar = (lambda text: visual_arabic(text, arabic_width)) if bidi else (lambda text: text)
    # Every string from the article, a model or a file name goes in as safe_text: never
    # read as rich markup, controls escaped (the footer names model folders).
    # The headline is the table's first row (both languages, with its checks); a result
    # without one gets a title instead, so the English headline is shown once.
    title = safe_text(heading(result)) if result.title is None else None
    if title is not None and result.byline:
        title.append_text(safe_text(f" · {result.byline}", "dim"))
    table = Table(
        title=title,
        caption=safe_text(footer(result)),
        show_lines=True,
        expand=True,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column(ar("العربية"), justify="right", ratio=1, overflow="fold", no_wrap=bidi)
    if result.title is not None:
        english = safe_text(result.title.en, "bold")
        _mark(english, result.title)
        arabic = safe_text(ar(result.title.ar), "bold", keep_newlines=bidi)
        if result.byline:  # under the Arabic headline, as a paper prints it
            arabic.append_text(safe_text("\n" + ar(result.byline), "dim", keep_newlines=True))
        table.add_row(english, arabic)
    for line in result.lines:
        english = safe_text(line.en)
        _mark(english, line)
        arabic = safe_text(ar(line.ar), keep_newlines=bidi)
        if sources:
            _add_sources(arabic, result, line, ar, keep_newlines=bidi)
        table.add_row(english, arabic)
    console.print(table)
    for w in result.warnings:
        warning = safe_text("warning: ", "yellow")
        warning.append_text(safe_text(w))
        console.print(warning)


def _mark(english: Text, line: BriefLine) -> None:
    """The line's failed checks under its English (⚠ and the check)."""
    for check in line.checks:
        english.append_text(
            safe_text(f"\n⚠ {check_text(check)}", "bold yellow", keep_newlines=True)
        )


def _add_sources(
    arabic: Text,
    result: Result,
    line: BriefLine,
    ar: Callable[[str], str],
    *,
    keep_newlines: bool,
) -> None:
    """The line's source sentences under its Arabic, dimmed, best first."""
    for ref in line.sources:
        arabic.append_text(
            safe_text(f"\n\n{source_label(ref)} ({ref.score:.2f})", "dim", keep_newlines=True)
        )
        arabic.append_text(
            safe_text("\n" + ar(source_text(result, ref)), "dim", keep_newlines=True)
        )


def visual_arabic(text: str, width: int) -> str:
    """TEXT wrapped to WIDTH, each line reshaped (joined letters) and in visual order."""
    import textwrap

    from summarize.errors import SummarizeError

    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:
        raise SummarizeError(
            "--bidi needs two small packages: pip install 'summarize[terminal]'"
        ) from None
    lines = textwrap.wrap(text, width=width) or [""]
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in lines)
