"""The output of `summarize check`: JSON Lines, Markdown, a terminal table, and the flag rates.

One row per record: its id and its checks, each as a person reads it ("lost in translation:
15%"; a summary's checks name their line), or the error that kept it from being checked.
Every string from the input is escaped where it is shown (Markdown cells; the terminal through
:func:`summarize.terminal.safe_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from summarize.audit import Audited, FlagRate
from summarize.render.common import check_text
from summarize.render.json import json_line
from summarize.render.markdown import md_cell
from summarize.terminal import safe_text
from summarize.trust import Check

__all__ = [
    "audited_json_line",
    "audited_markdown",
    "print_audited_table",
    "rates_text",
    "result_text",
]


def audited_json_line(result: Audited) -> str:
    """One JSON Lines record: ``{"id", "checks"}`` or ``{"id", "error", "exit_code"}``."""
    return json_line(result.to_dict())


def result_text(result: Audited) -> str:
    """A record's outcome in words: "ok", its checks joined by "; ", or its error."""
    if result.error is not None:
        return f"error: {result.error}"
    if not result.checks:
        return "ok"
    parts = []
    for c in result.checks:
        text = check_text(Check(c.kind, c.value))
        parts.append(f"line {c.line}: {text}" if c.line is not None else text)
    return "; ".join(parts)


def audited_markdown(results: Sequence[Audited]) -> str:
    """A Markdown table of every record (the flag rates go to stderr: :func:`rates_text`)."""
    rows = ["| id | checks |", "|---|---|"]
    for r in results:
        mark = "" if r.error is None and not r.checks else "⚠ "
        rows.append(f"| {md_cell(str(r.id))} | {mark}{md_cell(result_text(r))} |")
    return "\n".join(rows) + "\n"


def print_audited_table(results: Sequence[Audited], console: Any) -> None:
    """The table on a terminal, with rich."""
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column("id")
    table.add_column("checks")
    for r in results:
        style = "" if r.error is None and not r.checks else "yellow"
        table.add_row(safe_text(str(r.id)), safe_text(result_text(r), style))
    console.print(table)


def rates_text(rates: Sequence[FlagRate]) -> str:
    """The flag rates, one line each: "translation: 3 of 505 flagged (0.6%)", then by kind."""
    lines = []
    for rate in rates:
        share = rate.flagged / rate.checked if rate.checked else 0.0
        what = "flagged" if rate.kind == "any" else rate.kind.replace("_", " ")
        lines.append(f"{rate.task}: {rate.flagged} of {rate.checked} {what} ({share:.1%})")
    return "\n".join(lines) + ("\n" if lines else "")
