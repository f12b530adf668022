"""The command line: parse, call the Python API, print, exit. Nothing else lives here.

Results go to stdout; progress, logs and warnings to stderr. Every error, a mistyped option
included, becomes one line ``summarize: error: …`` and its exit code; never a traceback.
One module per command group: ``documents`` (brief, translate, sentences), ``check``, ``batch``,
``digest``, ``models``, ``eval``; shared options in ``options``, shared plumbing in ``common``.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from summarize.cli import batch, check, config, digest, documents, models
from summarize.cli import eval as eval_commands
from summarize.cli.common import Boundary, guard_streams, setup_logging
from summarize.errors import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    STOP_SIGNALS,
    OutputError,
    Terminated,
)
from summarize.terminal import one_line
from summarize.version import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    cls=Boundary,  # the one error boundary: every command and callback runs inside it
    name="summarize",
    help="Arabic news to side-by-side Arabic-English briefs, from the shell, in batch, or in pipes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,  # --install-completion / --show-completion: bash, zsh, fish, PowerShell
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
documents.register(app)
check.register(app)
batch.register(app)
digest.register(app)
app.add_typer(models.app, name="models", short_help="List, pull and remove models.")
app.add_typer(eval_commands.app, name="eval")
app.add_typer(
    config.app, name="config", short_help="Defaults that stick: config set, get, unset, list, path."
)


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


def usage_message(message: str) -> str:
    """A parser's message in our words, on one line: without the "Value error, " that typer's
    value checks (pydantic) put before the reason, nor the full stop before the help hint."""
    return one_line(message.replace("Value error, ", "")).rstrip(".")


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP: unwind like Ctrl-C (finished work kept), then exit 128 + signum."""
    raise Terminated(signum)


def _install_stop_handlers() -> None:
    """Every stop signal but Ctrl-C (SIGINT, which Python raises as KeyboardInterrupt itself)
    raises Terminated: SIGTERM always; SIGHUP (the terminal or ssh session closed) unless the
    user ignores it already (`nohup`), in which case the run goes on as asked."""
    hangup = getattr(signal, "SIGHUP", None)
    for signum in STOP_SIGNALS:
        if signum == signal.SIGINT:  # Python's own handler raises KeyboardInterrupt
            continue
        if signum == hangup and signal.getsignal(signum) == signal.SIG_IGN:
            continue  # nohup: the run goes on, as the user asked
        signal.signal(signum, _terminate)


def _flush_or_fail() -> None:
    """Flush stdout before exiting; a write that fails now is an output error (exit 10)."""
    try:
        sys.stdout.flush()
    except OutputError as e:
        sys.stderr.write(f"summarize: error: {one_line(str(e))}\n")
        sys.exit(e.exit_code)
    except BrokenPipeError:
        pass


def main(args: list[str] | None = None) -> None:
    """Entry point for the `summarize` script and `python -m summarize`.

    Click's usage errors (a mistyped option, a bad value) become one line and exit 2, with the
    command's help hint; Ctrl-C during parsing exits 130.
    """
    from summarize.threads import quiet_openmp

    quiet_openmp()  # before any command imports torch or ctranslate2: no spinning threads
    guard_streams()
    setup_logging(quiet=False)  # a warning before a command sets its own (an unreadable config)
    _install_stop_handlers()
    try:
        code = app(args=args, standalone_mode=False, prog_name="summarize")
        _flush_or_fail()  # a full disk is found here, while we can still say so
    except typer.Exit as e:
        _flush_or_fail()
        sys.exit(e.exit_code)
    except typer.Abort as e:  # Click's Ctrl-C (or SIGTERM) outside a command's own guard
        cause = e.__cause__ or e.__context__
        if isinstance(cause, Terminated):
            sys.stderr.write(f"summarize: error: terminated ({cause.signal_name})\n")
            sys.exit(cause.exit_code)
        sys.stderr.write("summarize: error: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except OutputError as e:
        sys.stderr.write(f"summarize: error: {one_line(str(e))}\n")
        sys.exit(e.exit_code)
    except Exception as e:
        # Click's usage errors (typer vendors Click from 0.2x on, so match by shape, not class).
        if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):
            raise
        if type(e).__name__ == "NoArgsIsHelpError":  # `summarize` alone: the help, as usual
            sys.stderr.write(e.format_message().rstrip() + "\n")
            sys.exit(EXIT_USAGE)
        ctx = getattr(e, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        sys.stderr.write(f"summarize: error: {usage_message(e.format_message())}{hint}\n")
        sys.exit(EXIT_USAGE if e.exit_code == 2 else e.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
