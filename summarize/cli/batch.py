"""`summarize batch`: a folder in, one output per article out, with progress and a manifest."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.cli.common import (
    make_engine,
    settings,
    setup_logging,
    stderr_console,
)
from summarize.cli.help import Command
from summarize.cli.options import MaxCharsOpt, ModelChoice, QuietOpt, shared
from summarize.errors import UsageError
from summarize.tasks import Task
from summarize.terminal import one_line, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from summarize.batch import BatchReport
    from summarize.batch.ray import RayOptions
    from summarize.progress import Progress


class BatchFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command(cls=Command, short_help="Brief or translate every article in a folder.")(batch)


class ExecutorKind(StrEnum):
    local = "local"
    ray = "ray"


@dataclass
class RayChoice:
    """Where the work runs: this process, or a Ray cluster (the options only --executor ray
    takes)."""

    executor: Annotated[
        ExecutorKind | None,
        typer.Option(
            "--executor",
            help="local: this process (default). ray: a Ray cluster (summarize[ray]).",
        ),
    ] = None
    engine: Annotated[  # the old name, kept working, hidden: "engine" is the pipeline's Engine
        ExecutorKind | None, typer.Option("--engine", hidden=True)
    ] = None
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            metavar="ADDRESS",
            help="auto (a running cluster), local (a new one), HOST:PORT or ray://HOST:PORT. "
            "Default: the running cluster if there is one, else a local one.",
        ),
    ] = None
    workers: Annotated[
        str | None,
        typer.Option(
            metavar="N|MIN-MAX",
            help="Ray workers, each loading the models once; MIN-MAX autoscales. Default: 1.",
        ),
    ] = None
    gpus_per_worker: Annotated[
        float | None,
        typer.Option("--gpus-per-worker", metavar="G", help="GPUs each Ray worker asks for."),
    ] = None
    ray_logs: Annotated[
        bool, typer.Option("--ray-logs", help="Show Ray's own logs and warnings on stderr.")
    ] = False

    def parse(self, threads: int | None) -> RayOptions | None:
        """The Ray options (None for the local executor); ray-only options without --executor ray,
        bad values and a missing extra are usage errors, before any work."""
        from summarize.batch.ray import RayOptions, require_ray

        given = [
            flag
            for flag, value in (
                ("--ray-address", self.ray_address),
                ("--workers", self.workers),
                ("--gpus-per-worker", self.gpus_per_worker),
                ("--ray-logs", self.ray_logs or None),
            )
            if value is not None
        ]
        if self.executor and self.engine and self.executor is not self.engine:
            raise UsageError(
                f"--executor {self.executor.value} and --engine {self.engine.value} disagree; "
                "--engine is the old name of --executor: give one"
            )
        if (self.executor or self.engine or ExecutorKind.local) is ExecutorKind.local:
            if given:
                raise UsageError(f"{', '.join(given)} applies to --executor ray only")
            return None
        require_ray()
        return RayOptions.parse(
            address=self.ray_address,
            workers=self.workers,
            gpus_per_worker=self.gpus_per_worker,
            threads=threads,
            verbose=self.ray_logs,
        )


@shared(RayChoice, "cluster")
@shared(ModelChoice, "models")
def batch(
    in_dir: Annotated[
        Path, typer.Argument(metavar="IN_DIR", help="Folder of articles, searched recursively.")
    ],
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="OUT_DIR", help="Output folder (created if missing)."),
    ],
    task: Annotated[
        Task, typer.Option(help="brief (summary + translation) or translate (every sentence).")
    ] = Task.brief,
    fmt: Annotated[
        BatchFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format per article. Default: markdown (or SUMMARIZE_FORMAT, or config "
            "format, when it is one of these).",
        ),
    ] = None,
    globs: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            metavar="PATTERN",
            help="File name patterns to take (repeatable). Default: *.txt *.md *.html.",
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(metavar="K/N", help="Process only the K-th of N deterministic slices."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo files already done.")] = False,
    hidden: Annotated[
        bool,
        typer.Option("--hidden", help="Also take files and folders whose names start with '.'."),
    ] = False,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links",
            help="Read links to files outside IN_DIR (by default they are left out, and counted).",
        ),
    ] = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    quiet: QuietOpt = False,
    *,
    models: ModelChoice,
    cluster: RayChoice,
) -> None:
    """Brief or translate every article in a folder: resumable, with progress and a manifest.

    With --executor ray the work runs on a Ray cluster (pip install 'summarize[ray]'); this
    process still writes every output, the manifest and the index.
    """
    from summarize.batch import DEFAULT_GLOBS, BatchOptions, Shard, run_batch

    setup_logging(quiet)
    ray_options = cluster.parse(settings(models)["threads"].value)
    try:
        parsed_shard = Shard.parse(shard) if shard else None
    except ValueError as e:
        raise UsageError(str(e)) from None
    opts = BatchOptions(
        in_dir=in_dir,
        out_dir=out_dir,
        task=task,
        fmt=batch_format(fmt),
        globs=tuple(globs) if globs else DEFAULT_GLOBS,
        shard=parsed_shard,
        max_chars=max_chars,
        force=force,
        hidden=hidden,
        follow_links=follow_links,
    )

    err = stderr_console()
    with file_progress(err, quiet) as progress:
        engine = make_engine(models, task=task, progress=progress)
        if ray_options is None:
            report = run_batch(engine, opts, progress)
        else:
            from summarize.batch.ray import JobSpec, RayExecutor

            job = JobSpec.from_engine(engine, opts.task, opts.fmt, opts.max_chars)
            with RayExecutor(ray_options, job) as executor:
                report = run_batch(engine, opts, progress, executor=executor)
    print_report(err, report, quiet, opts.globs)
    if report.failed:
        from summarize.errors import BatchIncomplete

        raise BatchIncomplete(
            f"{report.failed} of {report.total} files failed; see {report.manifest}"
        )


def batch_format(fmt: BatchFormat | None) -> str:
    """The flag's format, else SUMMARIZE_FORMAT's or the config file's when batch writes it,
    else Markdown."""
    if fmt is not None:
        return fmt.value
    configured = settings()["format"].value
    return configured if configured in BatchFormat.__members__ else BatchFormat.markdown.value


@contextmanager
def file_progress(console: Console, quiet: bool) -> Iterator[Callable[[Progress], None] | None]:
    """Files done/total (each counted when its output is written), the last file or what the
    models are doing, and a rate and time left that count only the files the models worked on,
    outside model loading (see ``summarize.progress.Throughput``); nothing when stderr is not
    a terminal."""
    if quiet or not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar
    from rich.table import Column
    from rich.text import Text

    from summarize.progress import Throughput

    throughput = Throughput()

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            rate = throughput.per_minute()
            return Text(f"{rate:.3g} files/min" if rate is not None else "… files/min")

    class LeftColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            left = throughput.seconds_left()
            if left is None:
                return Text("ETA -:--:--")
            minutes, seconds = divmod(int(left + 0.5), 60)
            return Text(f"ETA {minutes // 60}:{minutes % 60:02d}:{seconds:02d}")

    # The counts, rate and times are never cut nor wrapped; the file name takes what is left
    # (cut at its end), and a narrow terminal gets a shorter bar and no percentage.
    def fixed() -> Column:
        return Column(no_wrap=True)

    wide = console.width >= 100
    # what the other columns take at most: label, bar, 10000/10000, 100%, rate, two times, gaps
    used = 5 + (40 if wide else 12) + 11 + (5 if wide else 0) + 16 + 8 + 12 + 2
    columns = [
        TextColumn("[bold]batch", table_column=fixed()),
        BarColumn(bar_width=40 if wide else 12, table_column=fixed()),
        MofNCompleteColumn(table_column=fixed()),
        *([TaskProgressColumn(table_column=fixed())] if wide else []),
        RateColumn(table_column=fixed()),
        TimeElapsedColumn(table_column=fixed()),
        LeftColumn(table_column=fixed()),
        TextColumn(
            "{task.fields[current]}",
            markup=False,
            table_column=Column(
                no_wrap=True, overflow="ellipsis", max_width=max(8, console.width - used)
            ),
        ),
    ]
    with Bar(*columns, console=console, transient=False) as bar:
        task_id = bar.add_task("batch", total=None, current="")

        def update(event: Any) -> None:
            throughput.update(event)
            if event.stage == "files":
                bar.update(
                    task_id,
                    completed=event.done,
                    total=event.total,
                    current=one_line(event.item or ""),
                )
            elif event.stage.startswith("loading "):
                loading = event.done < event.total
                bar.update(task_id, current=one_line(event.stage + "…") if loading else "")

        yield update


def not_taken(report: BatchReport, globs: Sequence[str] = ()) -> str | None:
    """What the batch left out of the input folder, counted by reason, or None. Files --glob
    leaves out are counted with the patterns and their kinds (``3 .pdf, 1 .docx``)."""
    from summarize.batch import REASONS

    if not report.ignored:
        return None
    counts: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for entry in report.ignored:
        counts[entry.reason] = counts.get(entry.reason, 0) + 1
        if entry.reason == "glob":
            kind = PurePosixPath(entry.path).suffix.lower() or "with no extension"
            kinds[kind] = kinds.get(kind, 0) + 1
    parts = []
    for reason, n in counts.items():
        text = f"{n} {REASONS.get(reason, reason)}"
        if reason == "glob":
            ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = [f"{count} {kind}" for kind, count in ranked[:4]]
            shown += ["…"] if len(ranked) > 4 else []
            text += f" {' '.join(globs)}" if globs else ""
            text += f" ({', '.join(shown)}; --glob PATTERN takes them)"
        parts.append(text)
    return f"not taken: {'; '.join(parts)}"


def print_report(
    console: Console, report: BatchReport, quiet: bool, globs: Sequence[str] = ()
) -> None:
    """The closing table on a terminal, or one summary line when stderr is not one. What was
    left out of the input folder, and notes, are said either way (never silence)."""
    where = (
        f"failures listed in {report.manifest}" if report.failed else f"manifest: {report.manifest}"
    )
    extra = [x for x in (not_taken(report, globs), *report.notes) if x]
    if not console.is_terminal:
        sys.stderr.write(
            one_line(
                f"summarize: batch: {report.ok} done, {report.reused} reused, "
                f"{report.failed} failed of {report.total}; {where}; index: {report.index}"
                + "".join(f"; {x}" for x in extra)
            )
            + "\n"
        )
        return
    from rich.table import Table

    if quiet:
        for x in extra:
            console.print(safe_text(one_line(x), "yellow"))
        return

    table = Table(title="batch finished", title_justify="left")
    for col in ("done", "reused", "failed", "total"):
        table.add_column(col, justify="right")
    table.add_row(str(report.ok), str(report.reused), str(report.failed), str(report.total))
    console.print(table)
    for record in report.failures[:20]:
        line = safe_text("failed ", "red")
        line.append_text(safe_text(one_line(f"{record.path}: {record.error or ''}")))
        console.print(line)
    for x in extra:
        console.print(safe_text(one_line(x), "yellow"))
    console.print(
        safe_text(f"{one_line(where)}\nindex: {one_line(str(report.index))}", keep_newlines=True)
    )
