"""`brief`, `translate` and `sentences`: one article (or a JSON Lines stream) in, one result out.

These functions only parse and print; `_run_document` is the one runner behind both model
commands, and all the work is the documented Python API (``summarize.Engine``).
"""

from __future__ import annotations

import sys
from typing import Any

import typer

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.cli.common import (
    choose_format,
    emit,
    make_engine,
    need_input,
    require_extra,
    setup_logging,
    stage_progress,
)
from summarize.cli.help import Command
from summarize.cli.options import (
    BidiOpt,
    CheckChoice,
    FileArg,
    FormatOpt,
    InputKind,
    InputOpt,
    MaxCharsOpt,
    ModelChoice,
    ModelFormatOpt,
    OutputFormat,
    QuietOpt,
    shared,
)
from summarize.errors import UsageError
from summarize.tasks import Task


def register(app: typer.Typer) -> None:
    app.command(
        cls=Command, short_help="Summarize an article: each summary line beside its English."
    )(brief)
    app.command(cls=Command, short_help="Translate a whole article, sentence by sentence.")(
        translate
    )
    app.command(cls=Command, short_help="The cleaned article, one sentence per line.")(sentences)


@shared(ModelChoice, "models")
@shared(CheckChoice, "checks")
def brief(
    file: FileArg = None,
    fmt: ModelFormatOpt = None,
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    bidi: BidiOpt = False,
    quiet: QuietOpt = False,
    *,
    models: ModelChoice,
    checks: CheckChoice,
) -> None:
    """Summarize an article and show the summary beside its English translation.

    Each summary line carries its source sentences in the article, and is marked when a
    figure or a name changed on the way (docs/trust.md).
    """
    _run_document(Task.brief, file, fmt, input_kind, max_chars, bidi, quiet, models, checks)


@shared(ModelChoice, "models", skip=("summarizer", "sentences"))
@shared(CheckChoice, "checks", skip=("sources",))
def translate(
    file: FileArg = None,
    fmt: ModelFormatOpt = None,
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    bidi: BidiOpt = False,
    quiet: QuietOpt = False,
    *,
    models: ModelChoice,
    checks: CheckChoice,
) -> None:
    """Translate a whole article, Arabic beside English, sentence by sentence.

    A sentence whose English lost or added a figure is marked (docs/trust.md).
    """
    _run_document(Task.translate, file, fmt, input_kind, max_chars, bidi, quiet, models, checks)


def _check_stream_format(input_kind: InputKind, fmt: OutputFormat | None) -> None:
    if input_kind is InputKind.jsonl and fmt not in (None, OutputFormat.jsonl):
        raise UsageError(
            f"--input jsonl writes JSON Lines (one result per input line); -f {fmt.value if fmt else ''} "
            "does not apply: leave -f out or give -f jsonl"
        )


def _run_document(
    task: Task,
    file: str | None,
    fmt: OutputFormat | None,
    input_kind: InputKind,
    max_chars: int,
    bidi: bool,
    quiet: bool,
    choice: ModelChoice,
    trust: CheckChoice,
) -> None:
    """The shared body of `brief` and `translate`."""
    from summarize.articles import read_article
    from summarize.results import checks_failed

    setup_logging(quiet)
    chosen = choose_format(fmt, configured=True)
    _check_stream_format(input_kind, fmt)
    if bidi and chosen == "rich":
        require_extra("arabic_reshaper", "--bidi", "terminal")
        require_extra("bidi", "--bidi", "terminal")
    need_input(file)
    with stage_progress(quiet) as progress:
        engine = make_engine(choice, task=task, progress=progress)
        run = engine.brief if task is Task.brief else engine.translate
        if input_kind is InputKind.jsonl:
            from summarize.streams import run_jsonl

            gate = checks_failed if trust.strict else None
            run_jsonl(file, run, max_chars=max_chars, gate=gate)
            return
        result = run(read_article(file, max_chars=max_chars))
    emit(result, chosen, bidi, sources=trust.sources)
    failed = checks_failed(result) if trust.strict else None
    if failed is not None:
        raise failed


def sentences(
    file: FileArg = None,
    fmt: FormatOpt = None,
    keep_furniture: bool = typer.Option(
        False, "--keep-furniture", help="Keep page furniture (counters, credits)."
    ),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="Show each decision instead: every line removed as furniture, the headline, and "
        "every candidate sentence end, with the rule that decided it.",
    ),
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
) -> None:
    """Print the cleaned article: the headline, then one sentence per line, paragraphs separated
    by a blank line."""
    from summarize.articles import read_article
    from summarize.pipeline.prepare import split_article
    from summarize.render.sentences import render_sentences

    setup_logging(True)
    chosen = choose_format(fmt)
    if chosen == "rich":
        chosen = "text"
    _check_stream_format(input_kind, fmt)
    if explain and input_kind is InputKind.jsonl:
        raise UsageError("--explain works on one article, not on --input jsonl")
    need_input(file)

    def split(article: Any) -> Any:
        return split_article(article, keep_furniture=keep_furniture)

    if input_kind is InputKind.jsonl:
        from summarize.streams import run_jsonl

        run_jsonl(file, split, max_chars=max_chars)
        return
    article = read_article(file, max_chars=max_chars)
    if explain:
        from summarize.render.sentences import render_decisions
        from summarize.text import explain as explain_text

        decisions = explain_text(
            article.text, keep_furniture=keep_furniture, page_title=article.title
        )
        sys.stdout.write(render_decisions(decisions, chosen, article.source))
        return
    sys.stdout.write(render_sentences(split(article), chosen, article.source))
