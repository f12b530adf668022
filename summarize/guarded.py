"""Reading what the tool did not write, so that no file can hang it, fill its memory or crash
its parser.

Every file the tool reads (articles, the registry, the config file, eval references and
segments, model JSON files, conversion markers, manifests) goes through :func:`read_regular`:
opened without blocking, checked on the open descriptor (a regular file, at most a limit), then
read in pieces up to that limit. JSON and TOML that came from outside go through
:func:`parse_json` and :func:`parse_toml`, which turn what Python's parsers cannot take (nesting
deeper than the stack, a number of thousands of digits) into one :class:`Unparsable` error
with a reason a person can act on, instead of a RecursionError or a bare ValueError.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

__all__ = [
    "NotRegularFile",
    "TooLarge",
    "Unparsable",
    "file_kind",
    "open_regular",
    "parse_json",
    "parse_toml",
    "read_open",
    "read_regular",
]


class NotRegularFile(OSError):
    """The path is a directory, FIFO, socket or device: never read (it could block or not end)."""


class TooLarge(OSError):
    """The file holds more bytes than the caller's limit."""


def file_kind(mode: int) -> str:
    """What a file of MODE (an ``st_mode``) is, in words a message can use: "a regular
    file", "a directory", "a FIFO", "a socket", "a character device", "a block device"."""
    for test, words in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return words
    return "a special file"


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC


def open_regular(
    path: Path | str,
    flags: int = _READ_FLAGS,
    *,
    mode: int = 0o666,
    dir_fd: int | None = None,
    follow: bool = True,
) -> int:
    """A descriptor of the regular file PATH, opened with FLAGS and without blocking.

    An ordinary open of a FIFO with no writer hangs; with ``O_NONBLOCK`` it returns, and the
    fstat on the descriptor then refuses it (NotRegularFile), as it refuses a directory, a
    socket or a device, before one byte is read or written. The descriptor is blocking again
    when it is returned. FOLLOW=False: a symbolic link at PATH fails with ELOOP.
    """
    flags |= os.O_NONBLOCK | _CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags, mode, dir_fd=dir_fd)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotRegularFile(errno.EISDIR, "is a directory, not a regular file")
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "is a FIFO, socket or device, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_open(fd: int, limit: int) -> bytes:
    """The bytes of the open regular file FD from its current offset, at most LIMIT of them:
    TooLarge when the file says it holds more, and reading stops at LIMIT + 1 whatever the
    file claims (``/proc`` files report size 0)."""
    if os.fstat(fd).st_size > limit:
        raise TooLarge(errno.EFBIG, f"is {os.fstat(fd).st_size:,} bytes, over {limit:,}")
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TooLarge(errno.EFBIG, f"is over {limit:,} bytes")
    return b"".join(chunks)


def read_regular(
    path: Path | str,
    limit: int,
    *,
    within: Path | None = None,
    dir_fd: int | None = None,
    follow: bool = True,
) -> bytes:
    """The bytes of the regular file PATH, at most LIMIT of them.

    See :func:`open_regular` (a directory or FIFO raises NotRegularFile) and :func:`read_open`
    (more than LIMIT bytes raises TooLarge). WITHIN: refuse a file that, once opened, is not
    inside that folder (a symbolic link out of it, even one swapped in after it was listed).
    """
    fd = open_regular(path, dir_fd=dir_fd, follow=follow)
    try:
        if os.fstat(fd).st_size > limit:
            raise TooLarge(errno.EFBIG, f"is {os.fstat(fd).st_size:,} bytes, over {limit:,}")
        if within is not None and not _opened_inside(fd, path, within):
            raise NotRegularFile(errno.EXDEV, f"is a link to a file outside {within}")
        return read_open(fd, limit)
    finally:
        os.close(fd)


def _opened_inside(fd: int, path: Path | str, root: Path) -> bool:
    """Whether the file open on FD lies inside ROOT (a resolved path). Linux names the file
    an open descriptor points to in /proc/self/fd, which no later swap of the path can change;
    elsewhere the path is resolved again (a narrow race remains there)."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        real = os.path.realpath(path)
    return Path(real).is_relative_to(root)


# -- parsing what came from outside ----------------------------------------------------------


class Unparsable(ValueError):
    """Text that is not usable JSON or TOML; ``reason`` says why in a few words (for a message
    that already names the file and line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_json(text: str | bytes) -> Any:
    """The JSON value of TEXT (bytes must be UTF-8), or Unparsable: ``not valid JSON (…)``,
    ``not valid UTF-8``, ``nested too deeply``, ``a number too long``."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Unparsable(f"not valid UTF-8 (byte {e.start + 1})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        where = f"column {e.colno}" if e.lineno == 1 else f"line {e.lineno}, column {e.colno}"
        raise Unparsable(f"not valid JSON ({e.msg}, {where})") from None
    except RecursionError:  # nesting deeper than Python's stack
        raise Unparsable("not usable JSON (nested too deeply)") from None
    except ValueError:  # int(): more digits than Python converts (5,000 digits)
        raise Unparsable("not usable JSON (a number too long)") from None


def parse_toml(text: str) -> dict[str, Any]:
    """The table of TOML TEXT, or Unparsable: ``invalid TOML: …``, ``nested too deeply``,
    ``a number too long``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise Unparsable(f"invalid TOML: {e}") from None
    except RecursionError:
        raise Unparsable("not usable TOML (nested too deeply)") from None
    except ValueError:
        raise Unparsable("not usable TOML (a number too long)") from None
