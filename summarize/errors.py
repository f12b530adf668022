"""The exceptions the core raises. Each carries the exit code the CLI uses for it.

Messages are written for the person at the keyboard: what went wrong, and the way out.
"""

from __future__ import annotations

import signal

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT): 128 + 2

#: The signals that stop a run, the one list of them: Ctrl-C (SIGINT, which Python itself
#: raises as KeyboardInterrupt), SIGTERM, and SIGHUP (a closed terminal or ssh session) where
#: the system has it. The CLI turns the others into :class:`Terminated`; a batch holds all of
#: them while an output and its manifest line are written.
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class SummarizeError(Exception):
    """Base class: a failure the user can act on. Never shown with a traceback."""

    exit_code = 1


class UsageError(SummarizeError):
    """A bad option or combination of options, found before any work starts."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A bad key or value, given to ``config set`` or found in the environment or the config
    file, or a config file that cannot be read."""


class InputNotFound(SummarizeError):
    """The input path does not exist, or is not a regular file (a directory, a FIFO)."""

    exit_code = 3


class EmptyInput(SummarizeError):
    """The input is empty, whitespace only, or nothing is left after cleaning."""

    exit_code = 4


class UndecodableInput(SummarizeError):
    """The bytes are binary, or not text in any encoding we can recognise."""

    exit_code = 5


class NotArabic(SummarizeError):
    """The input has almost no Arabic letters."""

    exit_code = 6


class InputTooLarge(SummarizeError):
    """The input is longer than --max-chars."""

    exit_code = 7


class ModelError(SummarizeError):
    """A model cannot be found, downloaded or loaded."""

    exit_code = 8


class RegistryError(SummarizeError):
    """models.toml is missing, invalid TOML, or breaks the schema."""

    exit_code = 9


class OutputError(SummarizeError):
    """An output cannot be written (unwritable folder, disk full, path escapes the folder)."""

    exit_code = 10


class StorageFull(OutputError):
    """The storage takes no more: disk full, quota, file size limit, a read-only file system or
    an I/O error. Every later write would fail the same way, so a batch stops at the first."""


class BatchIncomplete(SummarizeError):
    """A batch finished, but some files failed."""

    exit_code = 11


class Busy(SummarizeError):
    """Another process holds the lock on the output folder."""

    exit_code = 12


class ChecksFailed(SummarizeError):
    """``--strict``: a line of the output failed a check (a figure lost or added in
    translation, a figure or a name the article does not have, a weakly supported line).
    The output is complete; the exit code is the gate."""

    exit_code = 13


class Interrupted(SummarizeError):
    """The user stopped a run (Ctrl-C, SIGTERM or SIGHUP); finished work is kept. The exit
    code is 128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (see
    :func:`interrupted`)."""

    exit_code = EXIT_INTERRUPTED


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when SIGTERM or SIGHUP arrives (the CLI installs the
    handlers), so that it unwinds like Ctrl-C (finished work kept, temp files removed) but
    exits 128 + the signal's number (143 for SIGTERM, 129 for SIGHUP: a closed terminal or
    ssh session), never 0."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__()
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, the shell's convention; read only, so that it never
        disagrees with the signal."""
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        """SIGTERM, SIGHUP, ..."""
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


def interrupted(signal: KeyboardInterrupt, message: str) -> Interrupted:
    """The Interrupted error for SIGNAL (Ctrl-C or Terminated), with its exit code."""
    error = Interrupted(message)
    error.exit_code = getattr(signal, "exit_code", EXIT_INTERRUPTED)
    return error


def first_line(e: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none), for the
    one-line messages that wrap a library's error."""
    text = str(e).strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:300]
