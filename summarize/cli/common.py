"""What every command does the same way: errors to one line and an exit code (``Boundary``),
logging and progress on stderr, output format choice, and turning the shared options into an
Engine."""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

from summarize.cli.options import ModelChoice, OutputFormat
from summarize.errors import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    OutputError,
    SummarizeError,
    Terminated,
    UsageError,
)
from summarize.fileio import write_all, write_error
from summarize.tasks import Task
from summarize.terminal import one_line, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from summarize.config import Setting
    from summarize.pipeline.engine import Engine
    from summarize.progress import Progress


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Console:
    from rich.console import Console

    return Console()


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr, then exit with CODE."""
    sys.stderr.write(f"summarize: error: {one_line(message)}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


class GuardedStream:
    """stdout (or stderr) that turns a failed write into OutputError (exit 10): a full disk
    (/dev/full, or one that fills part-way), a closed descriptor, an I/O error. A broken pipe
    stays BrokenPipeError (the reader went away: `| head`). On failure the descriptor is
    pointed at /dev/null, so that Python's own flush at exit finds nothing to fail on and adds
    no traceback.

    Text is written straight to the descriptor, every byte checked: Python's buffered stdout
    drops the rest of a write that the disk cut short and reports success (seen with a file
    size limit: exit 0 and a cut file)."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream = stream
        self._name = name

    def _failed(self, e: OSError) -> OutputError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass
        return write_error(f"to {self._name}", e)

    def _descriptor(self) -> int | None:
        try:
            return int(self._stream.fileno())
        except (AttributeError, OSError, ValueError):
            return None  # not a real file (a test's capture): its own write will do

    def write(self, text: str) -> int:
        if self._stream is None:
            raise OutputError(f"cannot write to {self._name}: it is closed")
        try:
            fd = self._descriptor()
            if fd is None:
                return int(self._stream.write(text))
            self._stream.flush()  # whatever went the buffered way goes first
            encoding = getattr(self._stream, "encoding", None) or "utf-8"
            errors = getattr(self._stream, "errors", None) or "strict"
            write_all(fd, text.encode(encoding, errors))
            return len(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self._failed(e) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self._failed(e) from None

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError(9, "Bad file descriptor")
        return int(self._stream.fileno())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_streams() -> None:
    """Make the standard streams safe to use, before any command runs.

    A descriptor 0, 1 or 2 the process was started without (``>&-``) is opened on /dev/null:
    otherwise the next file opened (a batch manifest) would get that number, and anything
    written to "stdout" would land in it. Python then has no sys.stdout at all; it becomes a
    GuardedStream that says, when written to, that stdout is closed (exit 10).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                if devnull != fd:
                    os.dup2(devnull, fd)
                    os.close(devnull)
            except OSError:
                pass
    sys.stdout = GuardedStream(sys.stdout, "stdout")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


class Boundary(TyperGroup):
    """The command line's one error boundary, around every command, group callback included:
    our errors, Ctrl-C and surprises become one line and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SummarizeError as e:
            fail(str(e), e.exit_code)
        except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM/SIGHUP (Terminated): never success
            fail(
                f"terminated ({e.signal_name})" if isinstance(e, Terminated) else "interrupted",
                getattr(e, "exit_code", EXIT_INTERRUPTED),
            )
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): not an error worth a message.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as e:
            if is_click_error(e) or os.environ.get("SUMMARIZE_DEBUG"):
                raise
            fail(
                f"internal error: {type(e).__name__}: {e}. This is a bug; rerun with "
                "SUMMARIZE_DEBUG=1 for a traceback and report it",
                1,
            )


def is_click_error(e: BaseException) -> bool:
    """Click's usage errors (a mistyped option of a subcommand is parsed inside the group's
    invoke), which ``main`` turns into one line. typer 0.2x vendors Click: matched by shape."""
    return hasattr(e, "format_message") and hasattr(e, "exit_code")


class OneLineFormatter(logging.Formatter):
    """Log records as one line each, controls escaped (a warning that names a file or a model
    folder must not carry its escape sequences to the terminal): ``summarize: message`` for
    news (a first-use conversion, a download), ``summarize: WARNING: message`` for warnings
    and errors."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno <= logging.INFO:
            return one_line(f"summarize: {message}")
        return one_line(f"summarize: {record.levelname}: {message}")


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler that writes to whatever ``sys.stderr`` is when a record comes. While a spinner
    or a progress bar is drawn, rich puts a proxy there that prints each line above it; a
    handler holding the stream it was made with wrote behind rich's back, onto the spinner's
    line (``… 1/3summarize: converted marian in 3 s``)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


def setup_logging(quiet: bool) -> None:
    """Our log on stderr: news and warnings, or (QUIET, -q) errors only."""
    handler = StderrHandler()
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger("summarize")
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.INFO)
    root.propagate = False


def settings(choice: ModelChoice | None = None, **flags: Any) -> dict[str, Setting]:
    """Every setting in effect for this command: flags (CHOICE's and FLAGS, by config key;
    None: not given) > environment > config file > default."""
    from summarize.config import effective

    return effective({**(choice.flags() if choice is not None else {}), **flags})


def choose_format(fmt: OutputFormat | None, *, configured: bool = False) -> str:
    """The output format: the flag; when CONFIGURED, then SUMMARIZE_FORMAT or the config file;
    else a table on a terminal and Markdown in a pipe."""
    if fmt is not None:
        return fmt.value
    if configured:
        chosen = settings()["format"].value
        if chosen is not None:
            return str(chosen)
    return "rich" if sys.stdout.isatty() else "markdown"


def need_input(file: str | None) -> None:
    if file in (None, "-") and sys.stdin.isatty():
        fail("no input: give a FILE, or pipe an article on stdin", EXIT_USAGE)


def require_extra(module: str, what: str, extra: str) -> None:
    """A usage error now, before any work, when an optional extra is not installed."""
    if importlib.util.find_spec(module) is None:
        raise UsageError(f"{what} needs pip install 'summarize[{extra}]'")


def make_engine(
    choice: ModelChoice, *, task: Task, progress: Callable[[Progress], None] | None = None
) -> Engine:
    """The Engine for CHOICE, each setting the flag's, else the environment's, the config
    file's or the default (models resolve now; nothing loads until the first article)."""
    from summarize.errors import ModelError
    from summarize.pipeline.engine import Engine

    chosen = settings(choice)  # every value checked there, flags included
    backend = chosen["backend"].value
    if backend == "ctranslate2" and importlib.util.find_spec("ctranslate2") is None:
        raise UsageError(
            "--backend ctranslate2: the ctranslate2 package is missing from this environment "
            "(it is a dependency of summarize: reinstall with pip install summarize)"
        )
    brief = task is Task.brief
    if choice.sentences is not None and not brief:
        raise UsageError("--sentences applies to briefs (the extractive summarizer)")
    if choice.offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        return Engine(
            summarizer=chosen["summarizer"].value if brief else None,
            translator=chosen["translator"].value,
            sentences=choice.sentences if brief else None,
            backend=backend,
            precision=chosen["precision"].value,
            device=choice.device.value,
            threads=chosen["threads"].value,
            offline=choice.offline,
            allow_pickle=choice.allow_pickle,
            registry=chosen["registry"].value,
            progress=progress,
        )
    except ModelError as e:  # say where a model name that was not typed came from
        where = {"env": "the environment variable", "config": "the config file"}
        origins = [
            f"{r} '{chosen[r].value}' comes from {where[chosen[r].source]} {chosen[r].origin}"
            for r in task.roles
            if chosen[r].source in where
        ]
        if not origins:
            raise
        raise ModelError(f"{e} ({'; '.join(origins)}; see `summarize config list`)") from None


@contextmanager
def stage_progress(quiet: bool) -> Iterator[Callable[[Progress], None] | None]:
    """A spinner on stderr while models work; nothing when stderr is not a terminal."""
    from rich.live import Live
    from rich.spinner import Spinner

    from summarize.progress import StageClock

    console = stderr_console()
    if quiet or not console.is_terminal:
        yield None
        return
    spinner = Spinner("dots", text="starting…", style="status.spinner")
    clock = StageClock()
    with Live(spinner, console=console, transient=True, refresh_per_second=12.5) as live:

        def update(event: Progress) -> None:
            spinner.update(text=safe_text(stage_line(event, clock.update(event))))
            live.refresh()  # now: the line says what is happening before anything else is said

        yield update


def stage_line(event: Progress, seconds_left: float | None) -> str:
    """The spinner's line: "summarizing 12/98 chunks · about 2 min left"."""
    from summarize.progress import time_left

    text = event.stage
    if event.total > 1:
        text += f" {event.done}/{event.total}" + (f" {event.unit}" if event.unit else "")
    if seconds_left is not None:
        text += f" · {time_left(seconds_left)}"
    return one_line(text)


def emit(result: Any, fmt: str, bidi: bool = False, *, sources: bool = False) -> None:
    from summarize.render import print_rich, render

    if fmt == "rich":
        print_rich(result, stdout_console(), bidi=bidi, sources=sources)
        return
    sys.stdout.write(render(result, fmt, sources=sources))
    sys.stdout.flush()
