"""`summarize config`: defaults that stick, in the user's config file."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarize.cli.common import fail, settings, stdout_console
from summarize.cli.completion import complete_config_value
from summarize.terminal import one_line, printable, safe_text

if TYPE_CHECKING:
    from summarize.config import Setting

app = typer.Typer(
    help="Defaults that stick: the summarizer, translator, backend, precision, threads, output "
    "format and registry a plain command uses. A flag overrides the environment variable, which "
    "overrides the config file, which overrides the registry's or the built-in default.",
    no_args_is_help=True,
)


def _complete_key(incomplete: str) -> list[str]:
    from summarize.config import KEYS

    return [k for k in KEYS if k.startswith(incomplete)]


KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="summarizer, translator, backend, precision, threads, format or registry.",
        autocompletion=_complete_key,
    ),
]


class ListFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("set", short_help="Set KEY to VALUE in the config file.")
def config_set(
    key: KeyArg,
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The new value (checked).",
            autocompletion=complete_config_value,
        ),
    ],
) -> None:
    """Set KEY to VALUE in the config file, after checking it (a model must resolve, a
    registry must load). Local paths are stored absolute."""
    from summarize.config import config_path, set_value

    written = set_value(key, value)
    sys.stderr.write(one_line(f"{key} = {written} (in {config_path()})") + "\n")


@app.command("get", short_help="The value of KEY in effect (without flags).")
def config_get(key: KeyArg) -> None:
    """Print the value of KEY in effect: the environment's, the config file's, or the default.
    Nothing is printed on stdout when it has no fixed default (threads, format)."""
    from summarize.config import KEYS, ConfigError

    if key not in KEYS:
        raise ConfigError(f"unknown key '{key}'; known: {', '.join(KEYS)}")
    setting = _with_registry(settings())[key]
    if setting.value is None:
        sys.stderr.write(one_line(f"{key} is not set: {setting.shown}") + "\n")
        return
    sys.stdout.write(f"{_for_people(str(setting.value))}\n")


@app.command("unset", short_help="Remove KEY from the config file.")
def config_unset(key: KeyArg) -> None:
    """Remove KEY from the config file, so that the default applies again."""
    from summarize.config import config_path, unset_value

    removed = unset_value(key)
    where = config_path()
    said = f"{key} removed from {where}" if removed else f"{key} was not set"
    sys.stderr.write(one_line(said) + "\n")


@app.command("list", short_help="Every setting, its value and where it comes from.")
def config_list(
    fmt: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="Default: a table on a terminal, text in a pipe."),
    ] = None,
) -> None:
    """Every setting: its value in effect and where it comes from (the environment, the config
    file, the registry's defaults or the built-in ones). Flags are per command, so not here.
    A value that would stop a command (a bad value, a registry that does not load, a model it
    does not know) is listed too, marked invalid; the command then ends with its error."""
    from summarize.config import KEYS, config_path, listing

    values = listing()
    rows = [
        {
            "key": s.key,
            "value": s.value,
            # a bad value as it was given, quoted, so that an empty one or spaces show
            "shown": s.shown if s.error is None else json.dumps(s.value, default=str),
            "source": s.source,
            "origin": s.origin,
            "env": KEYS[s.key].env,
            "error": None if s.error is None else str(s.error),
        }
        for s in values.values()
    ]
    _show(rows, fmt.value if fmt else ("rich" if sys.stdout.isatty() else "text"), config_path())
    # A command stops on the file's first bad value, else on the first other one: so does this.
    bad = sorted((s for s in values.values() if s.error), key=lambda s: s.source != "config")
    invalid = [s.error for s in bad if s.error is not None]
    if invalid:
        more = f" (and {len(invalid) - 1} more invalid, listed above)" if len(invalid) > 1 else ""
        fail(f"{invalid[0]}{more}", invalid[0].exit_code)


def _show(rows: list[dict[str, Any]], chosen: str, path: Path) -> None:
    if chosen == "json":
        for row in rows:
            del row["shown"]
        # default=str: a bad value in the file may be a TOML date
        sys.stdout.write(json.dumps({"path": str(path), "settings": rows}, indent=2, default=str))
        sys.stdout.write("\n")
        return
    described = [
        (
            r["key"],
            printable(str(r["shown"])) + (" (invalid)" if r["error"] else ""),
            printable(_source(r["source"], str(r["origin"]))),
        )
        for r in rows
    ]
    if chosen == "rich":
        from rich.table import Table

        table = Table(title=safe_text(f"Settings (config file: {path})"), title_justify="left")
        for column in ("key", "value", "from"):
            table.add_column(column)
        for cells in described:
            table.add_row(*(safe_text(c) for c in cells))
        stdout_console().print(table)
        return
    width = [max(len(c[i]) for c in described) for i in range(2)]
    for key, shown, source in described:
        sys.stdout.write(f"{key:<{width[0]}}  {shown:<{width[1]}}  {source}\n")


@app.command("path", short_help="Where the config file is.")
def config_path_command() -> None:
    """Print where the config file is (whether or not it exists yet). SUMMARIZE_CONFIG_DIR
    moves it."""
    from summarize.config import config_path

    sys.stdout.write(f"{_for_people(str(config_path()))}\n")


def _for_people(value: str) -> str:
    """VALUE as is for a script (stdout a pipe), its controls escaped on a terminal."""
    return printable(value) if sys.stdout.isatty() else value


def _source(source: str, origin: str) -> str:
    return {
        "env": f"environment ({origin})",
        "config": f"config file ({origin})",
        "registry": f"registry default ({origin})" if origin else "registry default",
        "built-in": "built-in default",
    }.get(source, source)


def _with_registry(values: dict[str, Setting]) -> dict[str, Setting]:
    from summarize.config import registry_defaults
    from summarize.registry import load_registry

    return registry_defaults(values, load_registry(values["registry"].value))
