"""The command line: parse, call the core, print, exit. Nothing else lives here.

Results go to stdout; progress, logs and warnings to stderr. Every SummarizeError becomes a
one-line message and its exit code; no traceback reaches a user for bad input.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from summarize import __version__
from summarize.errors import EXIT_INTERRUPTED, SummarizeError

if TYPE_CHECKING:
    from rich.console import Console

    from summarize.loading import LoadOptions
    from summarize.pipeline import Engine

T = TypeVar("T")
log = logging.getLogger("summarize")

app = typer.Typer(
    name="summarize",
    help="Arabic news to side-by-side Arabic-English briefs, from the shell, in batch, or in pipes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
models_app = typer.Typer(
    help="List the models in the registry, or pull them into the local cache.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(models_app, name="models")


class OutputFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"
    html = "html"


class Device(StrEnum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


class PrecisionOpt(StrEnum):
    fp32 = "fp32"
    int8 = "int8"


class BackendOpt(StrEnum):
    transformers = "transformers"
    ctranslate2 = "ctranslate2"


class InputKind(StrEnum):
    text = "text"
    jsonl = "jsonl"


FileArg = Annotated[
    str | None, typer.Argument(help="Article file (.txt, .md, .html); '-' or nothing reads stdin.")
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="Output format. Default: a table on a terminal, Markdown in a pipe."
    ),
]
SummarizerOpt = Annotated[
    str | None,
    typer.Option(help="Summarizer: registry alias, local model directory, or hub id."),
]
TranslatorOpt = Annotated[
    str | None,
    typer.Option(help="Translator: registry alias, local model directory, or hub id."),
]
ModelsOpt = Annotated[
    Path | None,
    typer.Option(
        "--models",
        help="Model registry to use instead of the built-in one.",
        envvar="SUMMARIZE_MODELS",
    ),
]
DeviceOpt = Annotated[Device, typer.Option(help="Where models run.")]
PrecisionOption = Annotated[
    PrecisionOpt, typer.Option("--precision", help="int8: dynamic quantization on CPU, faster.")
]
BackendOption = Annotated[
    BackendOpt,
    typer.Option("--backend", help="ctranslate2 needs `pip install summarize[fast]`."),
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Never touch the network (same as HF_HUB_OFFLINE=1).")
]
PickleOpt = Annotated[
    bool,
    typer.Option(
        "--allow-pickle",
        help="Allow pickle (.bin) weights. Pickle can run code: trusted sources only.",
    ),
]
MaxCharsOpt = Annotated[
    int, typer.Option("--max-chars", min=1, help="Refuse inputs longer than this many characters.")
]
InputOpt = Annotated[
    InputKind,
    typer.Option(
        "--input", help='jsonl: read {"id": …, "text": …} lines, write one result line each.'
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
BidiOpt = Annotated[
    bool,
    typer.Option(
        "--bidi",
        envvar="SUMMARIZE_BIDI",
        help="Reshape and reorder Arabic in the terminal table, for terminals without bidi "
        "support (xterm, Windows Terminal, kitty…). Needs summarize[terminal].",
    ),
]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(
        "--threads",
        min=1,
        envvar="SUMMARIZE_THREADS",
        help="CPU threads for the models (default: all cores).",
    ),
]


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Console:
    from rich.console import Console

    return Console()


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr, then exit with CODE."""
    sys.stderr.write(f"summarize: error: {message}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run FN; turn our errors, Ctrl-C and surprises into one line and an exit code."""
    try:
        return fn()
    except SummarizeError as e:
        fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as e:
        if os.environ.get("SUMMARIZE_DEBUG"):
            raise
        fail(
            f"internal error: {type(e).__name__}: {e}. This is a bug; rerun with SUMMARIZE_DEBUG=1 "
            "for a traceback and report it",
            1,
        )


def setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("summarize: %(levelname)s: %(message)s"))
    root = logging.getLogger("summarize")
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    root.propagate = False


def choose_format(fmt: OutputFormat | None) -> str:
    if fmt is not None:
        return fmt.value
    return "rich" if sys.stdout.isatty() else "markdown"


def load_options(
    device: Device,
    precision: PrecisionOpt,
    backend: BackendOpt,
    offline: bool,
    allow_pickle: bool,
    threads: int | None = None,
) -> LoadOptions:
    from summarize.loading import LoadOptions

    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    return LoadOptions(
        device=device.value,
        precision=precision.value,
        backend=backend.value,
        allow_pickle=allow_pickle,
        offline=offline,
        threads=threads,
    )


@contextmanager
def progress_display(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A spinner on stderr while models work; nothing when stderr is not a terminal."""
    console = stderr_console()
    if quiet or not console.is_terminal:
        yield None
        return
    with console.status("starting…") as status:

        def update(stage: str, done: int, total: int) -> None:
            suffix = f" {done}/{total}" if total > 1 else ""
            status.update(f"{stage}{suffix}")

        yield update


def emit(result: Any, fmt: str, bidi: bool = False) -> None:
    from summarize.render import print_rich, render

    if fmt == "rich":
        print_rich(result, stdout_console(), bidi=bidi)
        return
    sys.stdout.write(render(result, fmt))
    sys.stdout.flush()


def run_document_command(
    kind: str,
    file: str | None,
    fmt: OutputFormat | None,
    engine_args: dict[str, Any],
    input_kind: InputKind,
    max_chars: int,
    quiet: bool,
    bidi: bool = False,
) -> None:
    """Shared body of `brief` and `translate`."""
    from summarize.pipeline import Engine
    from summarize.sources import read_article

    setup_logging(quiet)
    chosen = choose_format(fmt)
    if file in (None, "-") and sys.stdin.isatty():
        fail("no input: give a FILE, or pipe an article on stdin", 2)

    def body() -> None:
        with progress_display(quiet) as progress:
            engine = Engine(progress=progress, **engine_args)
            if input_kind is InputKind.jsonl:
                from summarize.streams import run_jsonl

                run_jsonl(file, lambda a: _run(engine, kind, a), max_chars=max_chars)
                return
            article = read_article(file, max_chars=max_chars)
            result = _run(engine, kind, article)
        emit(result, chosen, bidi)

    guarded(body)


def _run(engine: Engine, kind: str, article: Any) -> Any:
    return engine.brief(article) if kind == "brief" else engine.translate(article)


def engine_kwargs(
    summarizer: str | None,
    translator: str | None,
    models: Path | None,
    options: LoadOptions,
) -> dict[str, Any]:
    from summarize.registry import load_registry

    registry = guarded(lambda: load_registry(models))
    return {
        "registry": registry,
        "summarizer": summarizer,
        "translator": translator,
        "options": options,
    }


@app.command()
def brief(
    file: FileArg = None,
    fmt: FormatOpt = None,
    summarizer: SummarizerOpt = None,
    translator: TranslatorOpt = None,
    models: ModelsOpt = None,
    device: DeviceOpt = Device.auto,
    precision: PrecisionOption = PrecisionOpt.fp32,
    backend: BackendOption = BackendOpt.transformers,
    offline: OfflineOpt = False,
    allow_pickle: PickleOpt = False,
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = 1_000_000,
    threads: ThreadsOpt = None,
    bidi: BidiOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Summarize an article and show the summary beside its English translation."""
    options = load_options(device, precision, backend, offline, allow_pickle, threads)
    kwargs = engine_kwargs(summarizer, translator, models, options)
    run_document_command("brief", file, fmt, kwargs, input_kind, max_chars, quiet, bidi)


@app.command()
def translate(
    file: FileArg = None,
    fmt: FormatOpt = None,
    translator: TranslatorOpt = None,
    models: ModelsOpt = None,
    device: DeviceOpt = Device.auto,
    precision: PrecisionOption = PrecisionOpt.fp32,
    backend: BackendOption = BackendOpt.transformers,
    offline: OfflineOpt = False,
    allow_pickle: PickleOpt = False,
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = 1_000_000,
    threads: ThreadsOpt = None,
    bidi: BidiOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Translate a whole article, Arabic beside English, sentence by sentence."""
    options = load_options(device, precision, backend, offline, allow_pickle, threads)
    kwargs = engine_kwargs(None, translator, models, options)
    run_document_command("translate", file, fmt, kwargs, input_kind, max_chars, quiet, bidi)


@app.command()
def sentences(
    file: FileArg = None,
    fmt: FormatOpt = None,
    keep_furniture: Annotated[
        bool, typer.Option("--keep-furniture", help="Keep page furniture (counters, credits).")
    ] = False,
    input_kind: InputOpt = InputKind.text,
    max_chars: MaxCharsOpt = 1_000_000,
) -> None:
    """Print the cleaned article one sentence per line, paragraphs separated by a blank line."""
    from summarize import text as textproc
    from summarize.render import render_sentences
    from summarize.sources import read_article

    setup_logging(True)
    chosen = choose_format(fmt)
    if chosen == "rich":
        chosen = "text"
    if file in (None, "-") and sys.stdin.isatty():
        fail("no input: give a FILE, or pipe an article on stdin", 2)

    def split(article: Any) -> list[textproc.Sentence]:
        normalized = textproc.normalize(article.text)
        if not keep_furniture:
            normalized, _ = textproc.strip_furniture(normalized)
        return textproc.split_sentences(normalized)

    def body() -> None:
        if input_kind is InputKind.jsonl:
            from summarize.streams import run_jsonl

            run_jsonl(file, split, max_chars=max_chars)
            return
        article = read_article(file, max_chars=max_chars)
        sys.stdout.write(render_sentences(split(article), chosen, article.source))

    guarded(body)


@models_app.callback()
def models_list(
    ctx: typer.Context,
    models: ModelsOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """List every model: alias, role, hub id, pinned revision, licence, and whether it is cached."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = models
        return
    from summarize.loading import cache_status
    from summarize.registry import load_registry

    registry = guarded(lambda: load_registry(models))
    rows: list[dict[str, Any]] = []
    for name, spec in registry.models.items():
        default = registry.defaults.get(spec.role) == name
        rows.append(
            {
                "alias": name,
                "role": spec.role,
                "default": default,
                "hub_id": spec.hub_id,
                "revision": spec.revision,
                "license": spec.license,
                "cached": cache_status(spec),
                "description": spec.description,
            }
        )
    chosen = choose_format(fmt)
    if chosen in ("json", "jsonl"):
        import json

        if chosen == "json":
            sys.stdout.write(
                json.dumps({"registry": registry.path, "models": rows}, indent=2) + "\n"
            )
        else:
            sys.stdout.write("".join(json.dumps(r) + "\n" for r in rows))
        return
    if chosen == "rich":
        from rich.table import Table

        table = Table(title=f"Models ({registry.path})", title_justify="left")
        for col in ("alias", "role", "hub id", "revision", "licence", "cached"):
            table.add_column(col)
        for r in rows:
            star = " *" if r["default"] else ""
            table.add_row(
                f"{r['alias']}{star}",
                r["role"],
                r["hub_id"],
                r["revision"][:12],
                r["license"],
                r["cached"],
            )
        stdout_console().print(table)
        stdout_console().print("* default for its role. Pull with: summarize models pull [ALIAS…]")
        return
    lines = [
        "| alias | role | hub id | revision | licence | cached |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        star = " (default)" if r["default"] else ""
        lines.append(
            f"| {r['alias']}{star} | {r['role']} | {r['hub_id']} | {r['revision']} | "
            f"{r['license']} | {r['cached']} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")


@models_app.command("pull")
def models_pull(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Aliases or hub ids to pull; default: the two default models."),
    ] = None,
    allow_pickle: PickleOpt = False,
) -> None:
    """Download models into the Hugging Face cache, so later runs work offline."""
    from summarize.loading import download, quiet_libraries
    from summarize.registry import load_registry, resolve_for_pull

    setup_logging(False)
    registry = guarded(lambda: load_registry(ctx.obj))
    chosen = names or [registry.defaults["summarizer"], registry.defaults["translator"]]

    def body() -> None:
        quiet_libraries()
        specs = [resolve_for_pull(name, registry) for name in chosen]
        for spec in specs:
            sys.stderr.write(f"pulling {spec.name} ({spec.hub_id}@{spec.revision or 'main'})…\n")
            path = download(spec, allow_pickle=allow_pickle)
            sys.stderr.write(f"  done: {path}\n")
            sys.stdout.write(f"{spec.name}\t{path}\n")

    guarded(body)


class BatchFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


class Task(Enum):
    brief = "brief"
    translate = "translate"


@app.command()
def batch(
    in_dir: Annotated[Path, typer.Argument(help="Folder of articles, searched recursively.")],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (created if missing).")
    ],
    task: Annotated[
        Task, typer.Option(help="brief (summary + translation) or translate (all).")
    ] = Task.brief,
    fmt: Annotated[
        BatchFormat, typer.Option("--format", "-f", help="Output format per article.")
    ] = BatchFormat.markdown,
    globs: Annotated[
        list[str] | None,
        typer.Option(
            "--glob", help="File name patterns to take (repeatable). Default: *.txt *.md *.html."
        ),
    ] = None,
    shard: Annotated[
        str | None, typer.Option(help="K/N: process only the K-th of N deterministic slices.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo files already done.")] = False,
    summarizer: SummarizerOpt = None,
    translator: TranslatorOpt = None,
    models: ModelsOpt = None,
    device: DeviceOpt = Device.auto,
    precision: PrecisionOption = PrecisionOpt.fp32,
    backend: BackendOption = BackendOpt.transformers,
    offline: OfflineOpt = False,
    allow_pickle: PickleOpt = False,
    max_chars: MaxCharsOpt = 1_000_000,
    threads: ThreadsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Brief or translate every article in a folder: resumable, with progress and a manifest."""
    import signal

    from summarize.batch import DEFAULT_GLOBS, BatchOptions, Shard, run_batch
    from summarize.pipeline import Engine

    setup_logging(quiet)
    try:
        parsed_shard = Shard.parse(shard) if shard else None
    except ValueError as e:
        fail(str(e), 2)
    options = load_options(device, precision, backend, offline, allow_pickle, threads)
    chosen_summarizer = summarizer if task is Task.brief else None
    kwargs = engine_kwargs(chosen_summarizer, translator, models, options)
    opts = BatchOptions(
        in_dir=in_dir,
        out_dir=out_dir,
        task="brief" if task is Task.brief else "translate",
        fmt=fmt.value,
        globs=tuple(globs) if globs else DEFAULT_GLOBS,
        shard=parsed_shard,
        max_chars=max_chars,
        force=force,
    )

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    err = stderr_console()

    def body() -> None:
        from summarize.errors import BatchIncomplete

        with batch_progress(err, quiet) as progress:
            engine = Engine(**kwargs)
            report = run_batch(engine, opts, progress)
        print_batch_report(err, report, quiet)
        if report.failed:
            raise BatchIncomplete(
                f"{report.failed} of {report.total} files failed; see {report.manifest}"
            )

    guarded(body)


@contextmanager
def batch_progress(console: Console, quiet: bool) -> Iterator[Any]:
    """Files done/total, the current file, rate and ETA on a terminal; nothing otherwise."""
    if quiet or not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from summarize.batch import status_callback

    columns = (
        TextColumn("[bold]batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}"),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task_id = bar.add_task("batch", total=None, current="", rate="")

        def update(done: int, total: int, current: str | None) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed * 60:.1f} files/min" if elapsed > 0 and done else ""
            bar.update(task_id, completed=done, total=total, current=current or "", rate=rate)

        yield status_callback(update)


def print_batch_report(console: Console, report: Any, quiet: bool) -> None:
    """The closing table on a terminal, or one summary line when stderr is not one."""
    where = (
        f"failures listed in {report.manifest}" if report.failed else f"manifest: {report.manifest}"
    )
    if not console.is_terminal:
        sys.stderr.write(
            f"summarize: batch: {report.ok} done, {report.skipped} skipped, {report.failed} failed "
            f"of {report.total}; {where}; index: {report.index}\n"
        )
        return
    if quiet:
        return
    from rich.table import Table

    table = Table(title="batch finished", title_justify="left")
    for col in ("done", "skipped", "failed", "total"):
        table.add_column(col, justify="right")
    table.add_row(str(report.ok), str(report.skipped), str(report.failed), str(report.total))
    console.print(table)
    from rich.markup import escape

    for record in report.failures[:20]:
        console.print(f"[red]failed[/] {escape(record.path)}: {escape(record.error or '')}")
    console.print(f"{where}\nindex: {report.index}", highlight=False)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"summarize {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Arabic news to side-by-side Arabic-English briefs."""


def main() -> None:
    """Entry point for the `summarize` script and `python -m summarize`."""
    app()
