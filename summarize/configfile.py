"""The config file as a file: where it is, reading it (bounded, never hanging), and replacing
it atomically under a lock, so that parallel ``config set`` all land and a linked file stays a
link. What the keys mean and which value wins is :mod:`summarize.config`'s job.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from summarize.errors import ConfigError, OutputError
from summarize.guarded import NotRegularFile, TooLarge, Unparsable, parse_toml, read_regular

__all__ = [
    "ENV_DIR",
    "config_dir",
    "config_path",
    "is_named",
    "load_raw",
    "locked",
    "write_config",
]

#: Moves the config folder (the tests point it at a temp dir; so can a user).
ENV_DIR = "SUMMARIZE_CONFIG_DIR"
FILE_NAME = "config.toml"
# A config file is a few lines; a larger "config file" is a mistake (or /dev/zero).
MAX_CONFIG_BYTES = 1 << 16
# How long `config set` waits for another one writing the same file (it takes milliseconds).
LOCK_WAIT_SECONDS = 10.0

log = logging.getLogger(__name__)


def config_dir() -> Path:
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("summarize", appauthor=False))


def config_path() -> Path:
    """Where the config file is (it may not exist yet)."""
    return config_dir() / FILE_NAME


_warned: set[str] = set()


def load_raw(path: Path, *, named: bool) -> dict[str, Any]:
    """The table in the config file PATH; ``{}`` when there is none.

    Only a regular file of at most 64 KiB is read (a FIFO or /dev/zero there never hangs a
    command). A file that cannot be read is an error when the user NAMED it (with
    SUMMARIZE_CONFIG_DIR); at the default place it is one warning and no settings: a HOME
    that the user cannot read (``docker --user``, ``sudo -u``) must not stop every command.
    """
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as e:
        if isinstance(e, TooLarge):
            why = f"it is over {MAX_CONFIG_BYTES // 1024} KiB; is it a config file?"
        elif isinstance(e, NotRegularFile):
            why = str(e.strerror)
        else:
            why = str(e.strerror or e)
        if named:
            raise ConfigError(f"cannot read the config file {path}: {why}") from None
        if str(path) not in _warned:
            _warned.add(str(path))
            log.warning(
                "cannot read the config file %s (%s); going on without it (set %s to a "
                "folder of your own to keep settings)",
                path,
                why,
                ENV_DIR,
            )
        return {}
    try:
        return parse_toml(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(
            f"the config file {path} is not UTF-8 (byte {e.start + 1}); fix it, or delete it"
        ) from None
    except Unparsable as e:
        raise ConfigError(f"the config file {path}: {e.reason}; fix it, or delete it") from None


def is_named(path: Path | None) -> bool:
    """Whether the user named the config file (a PATH given, or SUMMARIZE_CONFIG_DIR)."""
    return path is not None or bool(os.environ.get(ENV_DIR))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the config file PATH while it is read, changed and replaced, so that
    two ``config set`` at once both land (each read-change-write sees the other's result).

    The lock is a ``flock`` on a hidden file beside the file that is written (the target of a
    linked config.toml); it is released when the process ends, however it ends."""
    target = Path(os.path.realpath(path))
    lock = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as e:
        not_a_folder = e.errno in (errno.EEXIST, errno.ENOTDIR)  # a file or a FIFO in the way
        why = f"{target.parent} is not a folder" if not_a_folder else (e.strerror or str(e))
        raise OutputError(
            f"cannot write the config file {path}: {why}; set {ENV_DIR} to a folder of your own"
        ) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise OutputError(
                        f"cannot lock the config file {path} (another `summarize config` "
                        f"holds {lock}?): {e.strerror or e}"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def write_config(path: Path, values: Mapping[str, Any]) -> None:
    """Replace the config file atomically (a config.toml that is a link: its target)."""
    from summarize.fileio import atomic_write

    lines = [
        "# summarize settings, written by `summarize config set KEY VALUE`.",
        "# A flag or an environment variable overrides each; `summarize config list` shows which.",
    ]
    for name, value in values.items():
        lines.append(f"{_toml_key(name)} = {_toml_value(value)}")
    atomic_write(path, "\n".join(lines) + "\n")


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _toml_value(value: Any) -> str:
    """VALUE as TOML: what tomllib read from the file (stray keys are kept as they were)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if not isinstance(value, str):  # dates and times
        return value.isoformat() if hasattr(value, "isoformat") else json.dumps(str(value))
    # A JSON string is a valid TOML basic string (same escapes: \\, \", \n, \uXXXX).
    return json.dumps(value)
