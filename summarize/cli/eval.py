"""`summarize eval translate|summarize`: models scored on a reference set, side by side.

Parsing and printing only: the references, the loop and the metrics are
:mod:`summarize.evaluation`; each system is one :class:`summarize.Engine`, made from the
model options as `brief` and `translate` make theirs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from summarize.cli.common import (
    make_engine,
    setup_logging,
    stderr_console,
    stdout_console,
)
from summarize.cli.help import Command
from summarize.cli.options import (
    ModelChoice,
    PrecisionChoice,
    QuietOpt,
    ReferenceOpt,
    SourceOpt,
    shared,
)
from summarize.tasks import Task
from summarize.terminal import one_line

if TYPE_CHECKING:
    from summarize.evaluation import Progress, System
    from summarize.pipeline.engine import Engine
    from summarize.progress import Progress as StageProgress

app = typer.Typer(
    help="Score models on a reference set: BLEU and chrF for translation, Arabic ROUGE and "
    "the trust checks for summaries; several models side by side.",
    short_help="Score models on your own references.",
    no_args_is_help=True,
)


class EvalFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@dataclass
class EvalOptions:
    """The options of both `eval` commands besides the models. ``precision`` and ``backend``
    may be given several times: every combination with the models is one system."""

    precision: Annotated[
        list[PrecisionChoice] | None,
        typer.Option(
            "--precision",
            metavar="auto|fp32|fp16|int8",
            help="Precision; repeat it (--precision fp32 --precision int8) to compare.",
        ),
    ] = None
    backend: Annotated[
        list[str] | None,
        typer.Option(
            "--backend",
            envvar="SUMMARIZE_BACKEND",
            metavar="auto|transformers|ctranslate2",
            help="What runs the models; repeat it to compare.",
        ),
    ] = None
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, metavar="N", help="Score the first N segments (all are checked)."
        ),
    ] = None
    segments: Annotated[
        str | None,
        typer.Option(
            "--segments",
            metavar="OUT.jsonl",
            help="Append one JSON line per segment and system; a rerun reuses what is there.",
        ),
    ] = None
    fmt: Annotated[
        EvalFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: a table on a terminal, Markdown in a pipe.",
        ),
    ] = None
    quiet: QuietOpt = False


RefsArg = Annotated[
    str | None,
    typer.Argument(
        metavar="REFS",
        help='JSON Lines references: {"id", "ar", "en"} to translate, {"id", "text", "summary"} '
        "to summarize.",
    ),
]
# The ModelChoice options `eval` takes repeatable instead (EvalOptions, the scored model).
COMPARED = ("precision", "backend")


@app.command("translate", cls=Command, short_help="Score translators: BLEU, chrF, chrF++.")
@shared(ModelChoice, "models", skip=("summarizer", "translator", *COMPARED))
@shared(EvalOptions, "options")
def eval_translate(
    refs: RefsArg = None,
    source: SourceOpt = None,
    reference: ReferenceOpt = None,
    translator: Annotated[
        list[str] | None,
        typer.Option(
            "--translator",
            metavar="NAME",
            help="Translator to score (alias, local directory or hub id); repeat it to compare.",
        ),
    ] = None,
    *,
    options: EvalOptions,
    models: ModelChoice,
) -> None:
    """Translate the references' Arabic with each translator and score it: sacreBLEU BLEU,
    chrF and chrF++ with their signatures."""
    _run(Task.translate, refs, (source, reference), translator, options, models)


@app.command("summarize", cls=Command, short_help="Score summarizers: Arabic ROUGE, trust rates.")
@shared(ModelChoice, "models", skip=("summarizer", *COMPARED))
@shared(EvalOptions, "options")
def eval_summarize(
    refs: RefsArg = None,
    summarizer: Annotated[
        list[str] | None,
        typer.Option(
            "--summarizer",
            metavar="NAME",
            help="Summarizer to score (alias, local directory or hub id); repeat it to compare.",
        ),
    ] = None,
    *,
    options: EvalOptions,
    models: ModelChoice,
) -> None:
    """Brief each reference article with each summarizer and score the Arabic summary: ROUGE-1,
    ROUGE-2 and ROUGE-L (Arabic-aware), and the share of summary lines failing a trust check.
    --translator makes the brief's English, which is not scored."""
    _run(Task.brief, refs, (None, None), summarizer, options, models)


def _run(
    task: Task,
    refs: str | None,
    parallel: tuple[str | None, str | None],
    names: list[str] | None,
    options: EvalOptions,
    choice: ModelChoice,
) -> None:
    """The body of both commands: read, build the systems, evaluate, print."""
    setup_logging(options.quiet)
    fmt = options.fmt
    chosen = fmt.value if fmt else ("rich" if sys.stdout.isatty() else "markdown")
    source, reference = parallel
    from summarize.evaluation import evaluate, read_references
    from summarize.render import evaluation as render

    segments = read_references(task, refs, source=source, reference=reference, limit=options.limit)
    with _progress(options.quiet) as (on_segments, on_stage):
        systems = _systems(task, choice, names, options, on_stage)
        evaluation = evaluate(
            task,
            segments,
            systems,
            references=refs or f"{source} / {reference}",
            segments_path=options.segments,
            progress=on_segments,
        )
    if chosen == "rich":
        render.print_evaluation_table(evaluation, stdout_console())
        return
    writers = {
        "json": render.evaluation_json,
        "text": render.render_text,
        "markdown": render.render_markdown,
    }
    sys.stdout.write(writers[chosen](evaluation))
    sys.stdout.flush()


def _systems(
    task: Task,
    choice: ModelChoice,
    names: Sequence[str] | None,
    options: EvalOptions,
    on_stage: Callable[[StageProgress], None] | None,
) -> list[System]:
    """The grid of systems the options ask for (summarize.evaluation.grid); a value not given
    is None, so the environment, the config file or the default decides."""
    from summarize.evaluation.grid import system_grid

    def engine(name: str | None, backend: str | None, precision: PrecisionChoice | None) -> Engine:
        one = replace(choice, backend=backend, precision=precision)
        if task is Task.translate:
            one.translator = name
        else:
            one.summarizer = name
        return make_engine(one, task=task, progress=on_stage)

    return system_grid(
        task,
        engine,
        list(names) if names else [None],
        list(options.backend) if options.backend else [choice.backend],
        list(options.precision) if options.precision else [choice.precision],
    )


@contextmanager
def _progress(
    quiet: bool,
) -> Iterator[tuple[Callable[[Progress], None] | None, Callable[[StageProgress], None] | None]]:
    """Progress on stderr: segments done per system, and what the models are doing. Nothing
    when quiet or when stderr is not a terminal."""
    console = stderr_console()
    if quiet or not console.is_terminal:
        yield None, None
        return
    from rich.text import Text

    where = ["starting"]
    with console.status("starting…") as status:

        def on_segments(event: Progress) -> None:
            reused = f", {event.reused} reused" if event.reused else ""
            where[0] = f"{event.system}: {event.done}/{event.total} segments{reused}"
            status.update(Text(one_line(where[0])))

        def on_stage(event: StageProgress) -> None:
            stage = f"{event.stage} {event.done}/{event.total}" if event.total > 1 else event.stage
            status.update(Text(one_line(f"{where[0]} · {stage}")))

        yield on_segments, on_stage
