"""`summarize models`: list, pull and remove models (the work is :mod:`summarize.modelcache`),
and build the demo models. Parsing and printing only."""

from __future__ import annotations

import os
import shlex
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarize.cli.common import fail, setup_logging, stdout_console
from summarize.cli.completion import complete_downloadable
from summarize.cli.help import Command
from summarize.cli.options import ModelsFileOpt, PickleOpt
from summarize.terminal import one_line

if TYPE_CHECKING:
    from summarize.config import Setting

app = typer.Typer(
    help="List the models in the registry; pull them into the local cache, remove them, or "
    "build the offline demo.",
    short_help="List, pull, remove models; build the demo.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class ModelsFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"


def _in_effect(models: Path | None) -> tuple[Any, dict[str, Setting]]:
    from summarize.modelcache import registry_in_effect

    return registry_in_effect(str(models) if models is not None else None)


@app.callback()
def models_list(
    ctx: typer.Context,
    models: ModelsFileOpt = None,
    fmt: Annotated[
        ModelsFormat | None,
        typer.Option("--format", "-f", help="Default: a table on a terminal, Markdown in a pipe."),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="The terminal table with every column: hub id, revision, conversions, about "
            "(Markdown and JSON always have every field).",
        ),
    ] = False,
) -> None:
    """List every model: alias, role, hub id, pinned revision, licence, whether it is cached,
    its size on disk, its CTranslate2 conversions (each with its precision, and whether it is
    ready or will be converted again), and what a plain command runs it with (backend and
    precision, and whether that conversion is ready). The default of each role (marked) is the
    one a plain command uses: `summarize config set summarizer NAME` changes it."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = models
        return
    from summarize.modelcache import load_options, model_rows
    from summarize.render import models as render

    registry, chosen = _in_effect(models)
    defaults = {role: str(chosen[role].value) for role in ("summarizer", "translator")}
    rows = model_rows(registry, defaults, load_options(chosen))
    where = {
        role: {"name": chosen[role].value, "source": chosen[role].source}
        for role in ("summarizer", "translator")
    }
    picked = fmt.value if fmt else ("rich" if sys.stdout.isatty() else "markdown")
    if picked == "rich":
        render.print_models_table(registry.path, rows, stdout_console(), where, verbose=verbose)
    elif picked == "json":
        sys.stdout.write(render.models_json(registry.path, rows, where))
    elif picked == "jsonl":
        sys.stdout.write(render.models_jsonl(rows))
    else:
        sys.stdout.write(render.models_markdown(rows))


@app.command(
    "pull", cls=Command, short_help="Download models into the local cache, for offline use."
)
def models_pull(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME",
            help="Aliases or hub ids to pull; default: the two default models.",
            autocompletion=complete_downloadable,
        ),
    ] = None,
    allow_pickle: PickleOpt = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Never touch the network: fail at once (same as HF_HUB_OFFLINE=1)."
        ),
    ] = False,
) -> None:
    """Download models into the Hugging Face cache and convert them for the backend and
    precision in effect (CTranslate2 int8 by default), so later runs work offline and never
    convert at first use."""
    from summarize.backends.reach import hub_offline
    from summarize.backends.tokenizers import quiet_libraries
    from summarize.cli.common import stage_progress
    from summarize.modelcache import check_reachable, load_options, pull, show_download_progress
    from summarize.registry import resolve_for_pull

    setup_logging(False)
    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    registry, defaults = _in_effect(ctx.obj)
    in_effect = [str(defaults[role].value) for role in ("summarizer", "translator")]
    # a default that is a local directory has nothing to pull
    chosen = names or [name for name in in_effect if not Path(name).expanduser().is_dir()]
    quiet_libraries()
    show_download_progress(sys.stderr.isatty())
    specs = [resolve_for_pull(name, registry) for name in chosen]
    check_reachable(specs, offline=hub_offline())  # every missing model named, at once
    for spec in specs:
        if spec.builtin:
            sys.stderr.write(f"{one_line(spec.name)} is built in: nothing to download\n")
            continue
        what = f"{spec.name} ({spec.hub_id}@{spec.revision or 'main'})"
        sys.stderr.write(f"pulling {one_line(what)}…\n")
        with stage_progress(False) as progress:
            path, converted = pull(
                spec, load_options(defaults), allow_pickle=allow_pickle, progress=progress
            )
        sys.stderr.write(f"  done: {one_line(str(path))}\n")
        if converted is not None:
            sys.stderr.write(f"  converted: {one_line(str(converted))}\n")
        sys.stdout.write(f"{one_line(spec.name)}\t{one_line(str(path))}\n")
    # the name check's word table, built where a copied or shared cache carries it
    from summarize.trust.frequencies import table_file

    table = table_file()
    where = one_line(str(table)) if table else "memory only: no cache folder could take it"
    sys.stderr.write(f"name check's word table: {where}\n")


@app.command(
    "remove", cls=Command, short_help="Delete models from the local cache, conversions included."
)
def models_remove(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Aliases or hub ids to remove from the cache.",
            autocompletion=complete_downloadable,
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before deleting (for scripts).")
    ] = False,
) -> None:
    """Delete models from the Hugging Face cache (every revision of their repository) and
    their CTranslate2 conversions, after saying how much that frees and asking. A later run
    downloads them again (`summarize models pull NAME`)."""
    from summarize.fileio import human_size
    from summarize.modelcache import cached_folders, remove
    from summarize.registry import resolve_for_pull

    setup_logging(False)
    registry, _ = _in_effect(ctx.obj)
    specs = [resolve_for_pull(name, registry) for name in names]
    doomed = cached_folders(specs)
    if not doomed:
        shown = one_line(", ".join(names))
        sys.stderr.write(f"nothing to remove: {shown} not in the local cache\n")
        return
    for folder in doomed:
        # cache folder names come from the disk: shown with their controls escaped
        line = one_line(f"{folder.what}: {human_size(folder.size)}  {folder.path}")
        sys.stderr.write(f"  {line}\n")
    total = human_size(sum(folder.size for folder in doomed))
    if not yes:
        try:
            agreed = typer.confirm(f"Remove these ({total})?", default=False, err=True)
        except typer.Abort:  # no answer (stdin closed): never delete on a guess
            fail("models remove asks before deleting; pass --yes to remove without asking", 2)
        if not agreed:
            sys.stderr.write("nothing removed\n")
            return
    remove(doomed)
    sys.stderr.write(f"removed {len(doomed)} folder(s), {total} freed\n")


@app.command(
    "demo", cls=Command, short_help="Build tiny offline demo models and say how to try them."
)
def models_demo(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder for the demo models (created).")
    ],
) -> None:
    """Build tiny offline demo models (random weights) and print the command that tries them.

    No download: their tokenizers are trained on text shipped with the package. Their English
    is gibberish; the whole pipeline around them is real, so every command can be tried.
    """
    from summarize import devmodels
    from summarize.backends.tokenizers import quiet_libraries
    from summarize.errors import OutputError

    setup_logging(False)
    quiet_libraries()

    def tell(name: str) -> None:
        sys.stderr.write(f"building the demo {one_line(name)} model…\n")

    try:
        built = devmodels.build_demo(directory, tell)
    except (FileExistsError, OSError) as e:
        raise OutputError(f"cannot build the demo models in {directory}: {e}") from None

    def quote(path: Path) -> str:  # a runnable command, and nothing a terminal obeys
        return one_line(shlex.quote(str(path)))

    sys.stderr.write(
        f"demo models in {one_line(str(directory))} (random weights: the English is "
        "gibberish, the pipeline around them is real). Try:\n"
    )
    sys.stdout.write(
        f"summarize brief {quote(built['article'])} --summarizer {quote(built['mt5'])} "
        f"--translator {quote(built['marian'])}\n"
    )
