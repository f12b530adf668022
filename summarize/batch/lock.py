"""One writer per output folder: a whole-folder run and any shard exclude each other.

The locks are ``flock`` locks on files at the top of the output folder, opened through
:class:`summarize.fileio.Folder`: a lock file planted as a link (to ``/etc/passwd``, say) is
refused, never opened, created or truncated through. ``flock`` is what the ``filelock``
package uses on POSIX, so older versions of summarize and this one still exclude each other.
"""

from __future__ import annotations

import fcntl
import fnmatch
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from summarize.batch.discover import Shard
from summarize.errors import Busy, OutputError
from summarize.fileio import Folder

__all__ = ["folder_lock"]

MAIN_LOCK = ".summarize.lock"
SHARD_LOCKS = ".summarize.*-of-*.lock"


def _busy(out_dir: Path, name: str) -> Busy:
    return Busy(
        f"another summarize batch is writing to {out_dir} (lock {name}); "
        "wait for it to finish, or use another output folder"
    )


def _try_lock(folder: Folder, name: str, *, create: bool) -> int | None:
    """Lock NAME without waiting: its descriptor, held; None if it does not exist (and not
    CREATE). Busy when another process holds it."""
    try:
        fd = folder.open_lock(name, create=create)
    except OutputError as e:
        raise OutputError(f"cannot lock {folder.path}: {e}") from None
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise _busy(folder.path, name) from None
    except OSError as e:
        os.close(fd)
        raise OutputError(f"cannot lock {folder.path}: {e.strerror or e}") from None
    return fd


@contextmanager
def folder_lock(out: Path | Folder, shard: Shard | None) -> Iterator[None]:
    """Hold this run's lock on the output folder; refuse at once if a conflicting run holds one.

    Shards of one job may share a folder (each holds its own lock); a run of the whole
    folder conflicts with any shard. Each run takes its own lock first and then probes the
    others', so two conflicting runs starting together cannot both go on.
    """
    with ExitStack() as stack:
        folder = out if isinstance(out, Folder) else stack.enter_context(Folder(out, create=False))
        name = f".summarize{shard.suffix}.lock" if shard else MAIN_LOCK
        own = _try_lock(folder, name, create=True)
        assert own is not None
        stack.callback(os.close, own)  # closing the descriptor releases the lock
        others = (
            [MAIN_LOCK]
            if shard
            else [n for n in folder.names() if fnmatch.fnmatch(n, SHARD_LOCKS) and n != name]
        )
        for other in others:
            probe = _try_lock(folder, other, create=False)
            if probe is not None:
                os.close(probe)
        yield
