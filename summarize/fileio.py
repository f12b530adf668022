"""Writing files and folders so that a reader never sees half of one, and never outside the
folder it belongs to.

A file is written to a temp file beside it and renamed; a folder is built in a scratch folder
beside it and renamed. A kill at any moment leaves the old version or the new one, plus at most
a temp file or scratch folder that the next run cleans.

:class:`Folder` is the one way batch mode touches its output folder: every path inside it is
reached from a directory file descriptor, one component at a time, with ``O_NOFOLLOW``, so a
symbolic link planted anywhere in the folder (``manifest.jsonl -> /etc/passwd``, ``sub ->
/elsewhere``) is refused instead of followed, and nothing is read, written, appended, locked or
removed outside it. Only the folder itself may be a link (the user named it).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from summarize.errors import OutputError, StorageFull
from summarize.guarded import NotRegularFile, TooLarge, read_regular

__all__ = [
    "Folder",
    "NotRegularFile",
    "TooLarge",
    "atomic_write",
    "decode_name",
    "human_size",
    "is_storage_full",
    "publish_directory",
    "read_regular",
    "umask",
    "write_all",
    "write_error",
]


def umask() -> int:
    """The process umask (read without changing it for longer than a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str) -> None:
    """Write DATA to PATH via a temp file in the same folder and a rename: never half a file.

    Every byte is written and checked (a disk that fills part-way fails here, not later), the
    file is fsynced before the rename and the folder after it; on any failure the temp file is
    removed and PATH is as it was. A PATH that is a symbolic link (a dotfile link) is replaced
    through the link: its target gets the new content and the link stays.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise write_error(str(path), e) from None
    try:
        try:
            os.fchmod(fd, 0o666 & ~umask())  # mkstemp makes 0600: use the usual mode
            write_all(fd, data.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise write_error(str(path), e) from None
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    try:
        _fsync_dir(dir_fd)
    finally:
        os.close(dir_fd)


#: What a write failure means when no later write could succeed either.
_STORAGE_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS")
    if hasattr(errno, name)
)


def is_storage_full(e: OSError) -> bool:
    """Whether E says the storage takes no more (full, quota, size limit, read-only, I/O)."""
    return e.errno in _STORAGE_ERRNOS


def write_error(shown: str, e: OSError) -> OutputError:
    """The OutputError for a failed write of SHOWN: StorageFull when the storage takes no more
    (a batch stops there), else a plain OutputError (that one output failed)."""
    kind = StorageFull if e.errno in _STORAGE_ERRNOS else OutputError
    return kind(f"cannot write {shown}: {e.strerror or e}")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of DATA to FD, or raise: a short write (a disk that fills part-way, a
    signal) is continued, and the error of the write that cannot go on is raised. Python's
    buffered files can drop the rest of a short write without an error (seen on stdout)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def publish_directory(
    target: Path, build: Callable[[Path], None], *, replace: Callable[[Path], bool]
) -> Path:
    """Build a folder with BUILD(scratch) beside TARGET, then rename it to TARGET.

    An existing TARGET is removed first only when REPLACE(target) says it may be (a stale build
    of ours); otherwise FileExistsError. The scratch folder is removed whatever happens.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        # mkdtemp makes 0700: a cache built by one user (an image built as root) must be
        # readable by the others the umask lets in
        os.chmod(scratch, 0o777 & ~umask())
        build(scratch)
        if target.exists():
            if not replace(target):
                raise FileExistsError(f"{target} exists and is not ours to replace")
            shutil.rmtree(target)
        os.replace(scratch, target)
        return target
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def human_size(size: int) -> str:
    """Bytes as people write them: 812 bytes, 3.4 MB, 2.3 GB (powers of 1000, as disks are sold)."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


# -- a folder that is never left ---------------------------------------------------------------

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_TEMP_PREFIX = ".summarize-"
TEMP_SUFFIX = ".tmp"


class Folder:
    """A folder opened once, whose files are reached without following any link inside it.

    Paths are relative POSIX strings (``a/b.txt.md``); ``..``, absolute paths and empty parts
    are refused. Every method raises OutputError with a message that names the path. TAG goes
    into temp-file names, so that one writer (a shard) can tell its own leftovers from a
    live writer's (see :meth:`remove_temp_files`).
    """

    def __init__(self, path: Path, *, create: bool = True, tag: str = "") -> None:
        self.path = path
        self.tag = tag
        if create:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise OutputError(f"cannot create {path}: {e.strerror or e}") from None
        try:
            self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        except OSError as e:
            raise OutputError(f"cannot open {path}: {e.strerror or e}") from None

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- paths ---------------------------------------------------------------------------

    def show(self, rel: str) -> str:
        """REL as a path for messages."""
        return str(self.path / rel) if rel else str(self.path)

    def _parts(self, rel: str) -> list[str]:
        parts = rel.split("/") if rel else []
        if rel.startswith("/") or any(p in ("", ".", "..") or "\0" in p for p in parts):
            raise OutputError(f"{rel}: not a plain relative path inside {self.path}")
        return parts

    def _why(
        self, dir_fd: int, name: str, rel: str, e: OSError, verb: str = "write"
    ) -> OutputError:
        """The message for a failed open of NAME (REL) in DIR_FD: say when it is a link."""
        try:
            is_link = stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode)
        except OSError:
            is_link = False
        if is_link or e.errno == errno.ELOOP:
            return OutputError(
                f"{self.show(rel)} is a symbolic link; summarize never reads or writes through "
                "a link inside the output folder (it could lead outside): remove the link"
            )
        return OutputError(f"cannot {verb} {self.show(rel)}: {e.strerror or e}")

    @contextmanager
    def _dir(self, parts: list[str], *, create: bool, verb: str = "write") -> Iterator[int | None]:
        """A descriptor of the folder PARTS (None when missing and not CREATE)."""
        fd = os.dup(self.fd)
        try:
            for i, name in enumerate(parts):
                rel = "/".join(parts[: i + 1])
                try:
                    child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        yield None
                        return
                    try:
                        os.mkdir(name, 0o777, dir_fd=fd)
                        child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                    except FileExistsError as e:  # a link or file appeared under that name
                        raise self._why(fd, name, rel, e, verb) from None
                    except OSError as e:
                        raise OutputError(
                            f"cannot create {self.show(rel)}: {e.strerror or e}"
                        ) from None
                except OSError as e:
                    raise self._why(fd, name, rel, e, verb) from None
                os.close(fd)
                fd = child
            yield fd
        finally:
            os.close(fd)

    def _split(self, rel: str) -> tuple[list[str], str]:
        parts = self._parts(rel)
        if not parts:
            raise OutputError(f"{self.path}: a file name is needed")
        return parts[:-1], parts[-1]

    # -- files ---------------------------------------------------------------------------

    def write(self, rel: str, data: str) -> None:
        """Write DATA (UTF-8) to REL atomically: a fresh temp file beside it, then a rename.

        The rename replaces whatever REL is (a planted link included) without following it;
        missing folders are created, and a folder in the way that is a link is refused.
        """
        parents, name = self._split(rel)
        payload = data.encode("utf-8")
        with self._dir(parents, create=True) as d:
            assert d is not None
            tmp = f"{_TEMP_PREFIX}{secrets.token_hex(8)}{self.tag}{TEMP_SUFFIX}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
            try:
                fd = os.open(tmp, flags, 0o666, dir_fd=d)
            except OSError as e:
                raise write_error(self.show(rel), e) from None
            try:
                try:
                    write_all(fd, payload)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(tmp, name, src_dir_fd=d, dst_dir_fd=d)
            except BaseException as e:
                try:
                    os.unlink(tmp, dir_fd=d)
                except OSError:
                    pass
                if isinstance(e, OSError):
                    raise write_error(self.show(rel), e) from None
                raise
            _fsync_dir(d)

    def append(self, rel: str, data: str) -> None:
        """Append DATA to REL (created if missing) and fsync; refused if REL is a link or not
        a regular file. A write that fails part-way is cut back off: never half a line."""
        parents, name = self._split(rel)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
        with self._dir(parents, create=True) as d:
            assert d is not None
            try:
                fd = os.open(name, flags, 0o666, dir_fd=d)
            except OSError as e:
                raise self._why(d, name, rel, e) from None
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    raise OutputError(f"{self.show(rel)} is not a regular file; move it away")
                try:
                    write_all(fd, data.encode("utf-8"))
                    os.fsync(fd)
                except OSError:
                    try:
                        os.ftruncate(fd, st.st_size)
                    except OSError:
                        pass
                    raise
            except OSError as e:
                raise write_error(self.show(rel), e) from None
            finally:
                os.close(fd)

    def read(self, rel: str, limit: int = 1 << 40) -> bytes | None:
        """The bytes of REL, or None when it does not exist. A link, a directory, a FIFO or
        a file over LIMIT bytes raises OutputError."""
        parents, name = self._split(rel)
        with self._dir(parents, create=False, verb="read") as d:
            if d is None:
                return None
            try:
                return read_regular(name, limit, dir_fd=d, follow=False)
            except FileNotFoundError:
                return None
            except NotRegularFile as e:
                raise OutputError(
                    f"{self.show(rel)} {e.strerror}; move it away or use another output folder"
                ) from None
            except OSError as e:
                if e.errno == errno.ELOOP:
                    raise self._why(d, name, rel, e, "read") from None
                raise OutputError(f"cannot read {self.show(rel)}: {e.strerror or e}") from None

    def unlink(self, rel: str) -> bool:
        """Remove the file (or link) REL; whether there was one. Folders are left alone."""
        parents, name = self._split(rel)
        with self._dir(parents, create=False, verb="remove") as d:
            if d is None:
                return False
            try:
                os.unlink(name, dir_fd=d)
            except FileNotFoundError:
                return False
            except OSError as e:
                raise OutputError(f"cannot remove {self.show(rel)}: {e.strerror or e}") from None
            return True

    def is_file(self, rel: str) -> bool:
        """Whether REL is a regular file (not a link) inside the folder."""
        try:
            parents, name = self._split(rel)
            with self._dir(parents, create=False) as d:
                return d is not None and stat.S_ISREG(
                    os.lstat(name, dir_fd=d).st_mode  # lstat: a link is not a file here
                )
        except (OSError, OutputError):
            return False

    def names(self, rel_dir: str = "") -> list[str]:
        """The entries of the folder REL_DIR (empty when it is missing)."""
        with self._dir(self._parts(rel_dir), create=False, verb="list") as d:
            return sorted(os.listdir(d)) if d is not None else []

    def remove_temp_files(self, rel_dir: str, also: set[str] | frozenset[str] = frozenset()) -> int:
        """Remove the temp files a killed writer with this TAG left in REL_DIR, and ALSO (older
        temp names); return how many. Only while holding the folder's lock: a live writer's temp
        file looks the same."""
        removed = 0
        try:
            entries = self.names(rel_dir)
        except OutputError:
            return 0
        for entry in entries:
            own = entry.startswith(_TEMP_PREFIX) and entry.endswith(f"{self.tag}{TEMP_SUFFIX}")
            if own:
                middle = entry[len(_TEMP_PREFIX) : -len(f"{self.tag}{TEMP_SUFFIX}")]
                own = len(middle) == 16 and all(c in "0123456789abcdef" for c in middle)
            if own or entry in also:
                rel = f"{rel_dir}/{entry}" if rel_dir else entry
                try:
                    removed += self.unlink(rel) and 1
                except OutputError:
                    pass
        return removed

    def open_lock(self, name: str, *, create: bool) -> int | None:
        """A descriptor for the lock file NAME at the top of the folder (None if missing and
        not CREATE); a link or a non-file there is refused."""
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC | (os.O_CREAT if create else 0)
        try:
            fd = os.open(name, flags, 0o666, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise self._why(self.fd, name, name, e, "lock") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OutputError(f"{self.show(name)} is not a regular file; move it away")
        return fd


def _fsync_dir(fd: int) -> None:
    """Make a rename in the folder FD durable; some file systems cannot, which is no error."""
    try:
        os.fsync(fd)
    except OSError:
        pass


# -- file names ----------------------------------------------------------------------------------


def decode_name(name: str) -> str:
    """A file name as text, the one way every name from the file system is decoded.

    Python hands over names whose bytes are not UTF-8 with those bytes as lone surrogates
    (surrogateescape); they cannot be written to UTF-8 JSON, HTML or a terminal. Each such byte
    becomes the four characters ``\\xNN`` (``caf\\xe9.txt``), so the name stays readable and
    distinct, and everything that shows or records it stays valid UTF-8.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")
