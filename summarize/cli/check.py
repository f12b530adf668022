"""`summarize check`: the trust checks of translations and summaries made by anything.

Parsing and printing only: reading and checking the records is :mod:`summarize.audit`, the
checks are the ones `brief` and `translate` attach (:mod:`summarize.trust`).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from summarize.cli.common import stdout_console
from summarize.cli.help import Command
from summarize.cli.options import QuietOpt, ReferenceOpt, SourceOpt

if TYPE_CHECKING:
    from summarize.audit import Audited

__all__ = ["register"]


class CheckFormat(StrEnum):
    jsonl = "jsonl"
    markdown = "markdown"
    table = "table"


def register(app: typer.Typer) -> None:
    app.command(
        "check",
        cls=Command,
        short_help="Check translations and summaries made by anything: figures, months, names.",
    )(check)


def check(
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE|-",
            help='JSON Lines: {"id", "ar", "en"} (a translation) or {"id", "text", "summary"} '
            "(an Arabic summary of an Arabic article). Default: stdin.",
        ),
    ] = None,
    source: SourceOpt = None,
    reference: ReferenceOpt = None,
    fmt: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: a table on a terminal, Markdown in a pipe.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 13 when any record failed a check."),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Check each record as `brief` and `translate` check their lines: figures, dates, months
    and places lost, added or changed in a translation; figures and names of a summary that its
    article does not have. One result per record; the flag rates by kind go to stderr."""
    chosen = fmt.value if fmt else ("table" if sys.stdout.isatty() else "markdown")

    from summarize.audit import audit, flag_rates
    from summarize.render import checks as render
    from summarize.terminal import one_line

    results = []
    for result in audit(file, source=source, reference=reference):
        results.append(result)
        if chosen == "jsonl":
            sys.stdout.write(render.audited_json_line(result))
            sys.stdout.flush()
    if not results:
        from summarize.errors import EmptyInput

        raise EmptyInput(f"{file or 'stdin'}: no records to check")
    if chosen == "table":
        render.print_audited_table(results, stdout_console())
    elif chosen == "markdown":
        sys.stdout.write(render.audited_markdown(results))
        sys.stdout.flush()
    if not quiet:
        for line in render.rates_text(flag_rates(results)).splitlines():
            sys.stderr.write(f"summarize: {one_line(line)}\n")
    _exit_code(results, strict)


def _exit_code(results: list[Audited], strict: bool) -> None:
    """11 when a record could not be checked; with --strict, 13 when one failed a check."""
    from summarize.errors import BatchIncomplete, ChecksFailed

    failed = [r for r in results if r.error is not None]
    if failed:
        raise BatchIncomplete(
            f"{len(failed)} of {len(results)} records could not be checked; see their error lines"
        )
    flagged = [r for r in results if r.checks]
    if strict and flagged:
        ids = ", ".join(str(r.id) for r in flagged[:5]) + (" …" if len(flagged) > 5 else "")
        raise ChecksFailed(
            f"{len(flagged)} of {len(results)} records failed their checks (--strict): {ids}"
        )
