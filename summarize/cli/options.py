"""The options the commands share, declared once.

A command takes a whole group as one parameter (``models: ModelChoice``); :func:`shared`
spreads the group's options into the command's signature for typer and gathers them back into
the dataclass when the command runs. So `brief`, `translate`, `batch` and `eval` declare the
model options once, here, and a new shared option is one field and one line.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_type_hints

import typer

from summarize.cli.completion import complete_summarizer, complete_translator

F = TypeVar("F", bound=Callable[..., Any])


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


class PrecisionChoice(StrEnum):
    auto = "auto"
    fp32 = "fp32"
    fp16 = "fp16"
    int8 = "int8"


class InputKind(StrEnum):
    text = "text"
    jsonl = "jsonl"


FileArg = Annotated[
    str | None,
    typer.Argument(
        metavar="FILE|-", help="Article file (.txt, .md, .html); '-' or nothing reads stdin."
    ),
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="Output format. Default: a table on a terminal, Markdown in a pipe."
    ),
]
ModelFormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: a table on a terminal, Markdown in a pipe "
        "(or SUMMARIZE_FORMAT, or config format).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
# Aligned plain-text files, one segment a line (`eval translate`, `check`).
SourceOpt = Annotated[
    str | None, typer.Option("--source", metavar="FILE", help="Arabic, one segment a line.")
]
ReferenceOpt = Annotated[
    str | None,
    typer.Option("--reference", metavar="FILE", help="English, aligned with --source."),
]
MaxCharsOpt = Annotated[
    int,
    typer.Option(
        "--max-chars",
        min=1,
        max=10**12,
        metavar="N",
        help="Refuse inputs longer than N characters.",
    ),
]
InputOpt = Annotated[
    InputKind,
    typer.Option(
        "--input", help='jsonl: read {"id": …, "text": …} lines, write one result line each.'
    ),
]
BidiOpt = Annotated[
    bool,
    typer.Option(
        "--bidi",
        envvar="SUMMARIZE_BIDI",
        help="Reshape and reorder Arabic in the terminal table, for terminals without bidi "
        "support (xterm, Windows Terminal, kitty…). Needs summarize[terminal].",
    ),
]
ModelsFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--models",
        metavar="FILE",
        help="Model registry to use instead of the built-in one "
        "(or SUMMARIZE_MODELS, or config registry).",
    ),
]
PickleOpt = Annotated[
    bool,
    typer.Option(
        "--allow-pickle",
        help="Allow pickle (.bin) weights. Pickle can run code: trusted sources only.",
    ),
]


@dataclass
class ModelChoice:
    """Which models, and how they run: the options of every command that runs a model.

    None means the flag was not given: the environment, the config file or the default decides
    (``summarize.config.effective``, applied by ``common.make_engine``).
    """

    summarizer: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Summarizer: registry alias, local model directory, or hub id "
            "(or SUMMARIZE_SUMMARIZER, or config summarizer).",
            autocompletion=complete_summarizer,
        ),
    ] = None
    translator: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Translator: registry alias, local model directory, or hub id "
            "(or SUMMARIZE_TRANSLATOR, or config translator).",
            autocompletion=complete_translator,
        ),
    ] = None
    sentences: Annotated[
        int | None,
        typer.Option(
            "--sentences",
            min=1,
            metavar="N",
            help="With --summarizer extractive: how many sentences (default 2).",
        ),
    ] = None
    models: ModelsFileOpt = None
    device: Annotated[Device, typer.Option(help="Where models run.")] = Device.auto
    precision: Annotated[
        PrecisionChoice | None,
        typer.Option(
            "--precision",
            help="auto: int8 on the CPU, fp16 on CUDA; fp32 with --backend transformers is the "
            "reference path. Default: auto (or SUMMARIZE_PRECISION, or config precision).",
        ),
    ] = None
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            metavar="auto|transformers|ctranslate2",
            help="What runs the models. auto: CTranslate2 for MarianMT, mT5 and BART (converted "
            "once, on first use or by `models pull`), transformers for others. Default: auto "
            "(or SUMMARIZE_BACKEND, or config backend).",
        ),
    ] = None
    offline: Annotated[
        bool, typer.Option("--offline", help="Never touch the network (same as HF_HUB_OFFLINE=1).")
    ] = False
    allow_pickle: PickleOpt = False
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            metavar="N",
            help="CPU threads for the models. Default: the cores this process may use "
            "(or SUMMARIZE_THREADS, or config threads).",
        ),
    ] = None

    def flags(self) -> dict[str, Any]:
        """The settings given on the command line, by config key (None: not given)."""
        return {
            "summarizer": self.summarizer,
            "translator": self.translator,
            "backend": self.backend,
            "precision": self.precision.value if self.precision is not None else None,
            "threads": self.threads,
            "registry": str(self.models) if self.models is not None else None,
        }


@dataclass
class CheckChoice:
    """What to do with each line's sources and checks (docs/trust.md)."""

    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit with code 13 when any line failed a check (a figure lost or added in "
            "translation, a figure or name not in the article, a weakly supported line). "
            "--input jsonl: the line gets an error, the stream goes on.",
        ),
    ] = False
    sources: Annotated[
        bool,
        typer.Option(
            "--sources",
            help="Show each summary line's source sentences in the terminal table and in -f "
            "text (Markdown, HTML and JSON always have them).",
        ),
    ] = False


def shared(group: type[Any], name: str, *, skip: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Give a command the options of GROUP (a dataclass) as its parameter NAME.

    The decorated function's own parameters stay as they are; GROUP's fields (except SKIP)
    are added as options, and the function receives ``NAME=GROUP(**those values)``.
    """
    hints = get_type_hints(group, include_extras=True)
    defaults = {f.name: f.default for f in fields(group)}
    added = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=defaults[f.name],
            annotation=hints[f.name],
        )
        for f in fields(group)
        if f.name not in skip
    ]

    def decorate(fn: F) -> F:
        own = inspect.signature(fn)
        own_hints = get_type_hints(fn, include_extras=True)
        params = [
            p.replace(annotation=own_hints.get(p.name, p.annotation))
            for p in own.parameters.values()
            if p.name != name
        ]
        positional = [p for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keyword = [p for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
        names = [p.name for p in added]

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            values = {n: kwargs.pop(n) for n in names if n in kwargs}
            return fn(*args, **{name: group(**values)}, **kwargs)

        command.__signature__ = own.replace(parameters=[*positional, *keyword, *added])  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in [*params, *added]}
        del command.__wrapped__  # typer must see the new signature, not the original
        return command  # type: ignore[return-value]

    return decorate
