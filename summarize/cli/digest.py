"""`summarize digest`: a day's articles in, its stories out. Parses, calls the API
(:func:`summarize.stories.build_digest`), writes, exits."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.cli.common import make_engine, settings, setup_logging, stage_progress
from summarize.cli.help import Command
from summarize.cli.options import (
    InputKind,
    InputOpt,
    MaxCharsOpt,
    ModelChoice,
    QuietOpt,
    shared,
)
from summarize.errors import BatchIncomplete, UsageError
from summarize.tasks import Task
from summarize.terminal import one_line


class DigestFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    json = "json"
    jsonl = "jsonl"


_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_BY_SUFFIX |= {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def register(app: typer.Typer) -> None:
    app.command(
        cls=Command,
        short_help="A day's articles as stories: one bilingual brief each, and the figures "
        "the outlets disagree on.",
    )(digest)


@shared(ModelChoice, "models")
def digest(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="IN|-",
            help="A folder of articles, a batch's output folder (its JSON outputs are reused), "
            "a JSON Lines file of articles, or '-' for JSON Lines on stdin.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the digest to FILE (whole or not at all) instead of stdout; its "
            "extension picks the format when -f is not given.",
        ),
    ] = None,
    fmt: Annotated[
        DigestFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from -o's extension, else Markdown.",
        ),
    ] = None,
    input_kind: InputOpt = InputKind.text,
    outlet_from_folder: Annotated[
        bool,
        typer.Option(
            "--outlet-from-folder",
            help="The first folder of each article's path names its outlet (IN/okaz/a.txt).",
        ),
    ] = False,
    similarity: Annotated[
        float | None,
        typer.Option(
            "--similarity",
            metavar="X",
            help="How much two articles must share to be one story, 0-1 (default 0.3: "
            "docs/digest.md).",
        ),
    ] = None,
    globs: Annotated[
        list[str] | None,
        typer.Option(
            "--glob",
            metavar="PATTERN",
            help="File name patterns to take in a folder (repeatable). Default: *.txt *.md *.html.",
        ),
    ] = None,
    hidden: Annotated[
        bool,
        typer.Option("--hidden", help="Also take files and folders whose names start with '.'."),
    ] = False,
    follow_links: Annotated[
        bool,
        typer.Option("--follow-links", help="Read links to files outside the folder."),
    ] = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
    quiet: QuietOpt = False,
    *,
    models: ModelChoice,
) -> None:
    """Group a day's articles into stories, most widely carried first: one bilingual brief
    per story, its articles, and the figures its articles give differently.

    The summarizer is extractive unless --summarizer (or SUMMARIZE_SUMMARIZER, or the config)
    names a model; --sentences sets how many lines (default 3).
    """
    from summarize.batch.discover import DEFAULT_GLOBS

    setup_logging(quiet)
    chosen = _format(fmt, output)
    if source is None or source == "-":
        if sys.stdin.isatty():
            raise UsageError(
                "no input: give a folder or a JSON Lines file, or pipe JSON Lines of articles "
                "on stdin"
            )
        source = "-"
    from summarize.render.digest import render_digest
    from summarize.stories import build_digest

    if settings(models)["summarizer"].source == "registry" and models.summarizer is None:
        models.summarizer = "extractive"  # the digest's default: no model to download
    with stage_progress(quiet) as progress:
        engine = make_engine(models, task=Task.brief, progress=progress)
        result = build_digest(
            source,
            jsonl=input_kind is InputKind.jsonl,
            sentences=models.sentences,
            similarity=similarity,
            outlet_from_folder=outlet_from_folder,
            globs=tuple(globs) if globs else DEFAULT_GLOBS,
            hidden=hidden,
            follow_links=follow_links,
            max_chars=max_chars,
            engine=engine,
            progress=progress,
        )
    text = render_digest(result, chosen)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from summarize.fileio import atomic_write

        atomic_write(output, text)
    if not quiet:
        shared_stories = sum(1 for s in result.stories if len(s.articles) > 1)
        disputed = sum(1 for s in result.stories if s.disagreements)
        where = f"; written to {output}" if output is not None else ""
        sys.stderr.write(
            one_line(
                f"summarize: {_count(result.articles, 'article')}, "
                f"{_count(len(result.stories), 'story', 'stories')} "
                f"({shared_stories} carried by more than one article, {disputed} with "
                f"figures that disagree), {len(result.skipped)} skipped{where}"
            )
            + "\n"
        )
    for skipped in result.skipped[:20]:
        why = skipped.error if skipped.path in skipped.error else f"{skipped.path}: {skipped.error}"
        sys.stderr.write(one_line(f"summarize: skipped {why}") + "\n")
    if len(result.skipped) > 20:
        sys.stderr.write(f"summarize: … and {len(result.skipped) - 20} more skipped\n")
    if result.skipped:
        raise BatchIncomplete(
            f"{len(result.skipped)} input(s) skipped (the digest has the others; "
            "see its skipped list)"
        )


def _format(fmt: DigestFormat | None, output: Path | None) -> str:
    """The flag's format, else -o's extension's, else the configured one when a digest
    writes it, else Markdown."""
    if fmt is not None:
        return fmt.value
    if output is not None:
        by_suffix = _BY_SUFFIX.get(output.suffix.lower())
        if by_suffix is not None:
            return by_suffix
    configured = settings()["format"].value
    return configured if configured in DigestFormat.__members__ else DigestFormat.markdown.value


def _count(n: int, one: str, many: str | None = None) -> str:
    """ "1 story", "2 stories"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
