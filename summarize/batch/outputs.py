"""Where a batch writes: the output name of each input, and temp files left by kills.

The names are only names: every write goes through :class:`summarize.fileio.Folder`, which
never follows a link inside the output folder, so a name can never lead a write outside it.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from summarize.batch.manifest import Record, sha256_text
from summarize.errors import OutputError
from summarize.fileio import Folder

__all__ = [
    "EXTENSIONS",
    "NAME_MAX",
    "Earlier",
    "intact",
    "output_name",
    "remove_stale_temp_files",
    "safe_output_path",
]

EXTENSIONS = {"markdown": ".md", "json": ".json", "html": ".html"}
# The longest file name (in bytes) most file systems take (ext4, XFS, btrfs, APFS, NTFS in
# UTF-16 units). An output name is the input's name plus an extension, so a name near the
# limit would not fit; such names are shortened (see output_name).
NAME_MAX = 255
_HASH_CHARS = 10


def output_name(rel: str, fmt: str) -> str:
    """The output of input REL (decoded, relative): REL + the format's extension.

    A file name that would pass NAME_MAX bytes is cut (at a character boundary) and given
    ``~`` and 10 hex digits of the hash of the whole input path before the extension, so it
    fits, stays recognisable and cannot collide with another input's output. So is a name
    that would be one of the tool's own files (an input ``index`` with ``-f html`` would
    otherwise be overwritten by the index page).
    """
    candidate = PurePosixPath(rel)
    if candidate.is_absolute() or not rel or any(p in ("", ".", "..") for p in rel.split("/")):
        raise OutputError(f"{rel}: output path would escape the output folder")
    ext = EXTENSIONS[fmt]
    name = candidate.name + ext
    top = candidate.parent == PurePosixPath(".")
    if len(name.encode("utf-8")) > NAME_MAX or (top and _is_reserved(name)):
        digest = hashlib.sha256(rel.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
        room = NAME_MAX - len(f"~{digest}{ext}".encode())
        stem = candidate.name.encode("utf-8")[:room].decode("utf-8", errors="ignore")
        name = f"{stem}~{digest}{ext}"
    return (candidate.parent / name).as_posix().removeprefix("./")


#: The files of the tool's own at the top of the output folder (the index page, manifests,
#: locks, temp files): no output may take one of these names.
RESERVED = ("index.html", "manifest*.jsonl", ".summarize*")


def _is_reserved(name: str) -> bool:
    """Whether NAME is one of the tool's own files, in any case (a case-insensitive file
    system, as macOS's, takes ``INDEX.html`` for ``index.html``)."""
    return any(fnmatch.fnmatchcase(name.lower(), pattern) for pattern in RESERVED)


def safe_output_path(out_dir: Path, rel: str, fmt: str) -> Path:
    """OUT_DIR/REL + extension, refused if it would land outside OUT_DIR (.., absolute, links).

    A check of the name and of the links there now; the writes themselves go through
    fileio.Folder, which refuses links whatever happens in between.
    """
    root = out_dir.resolve()
    target = (root / output_name(rel, fmt)).resolve()
    if root not in target.parents:
        raise OutputError(f"{rel}: output path resolves outside {out_dir} (a symlink?)")
    return target


def remove_stale_temp_files(
    folder: Folder, outputs: Sequence[str], own_files: Sequence[str] = ()
) -> int:
    """Remove the temp files a killed write left in the folders of OUTPUTS (and at the top,
    beside OWN_FILES: the manifest, the index); return how many.

    Only this writer's temp files are removed (their names carry the folder's tag, the shard):
    other shards may be writing theirs. Temp names of earlier versions (``.NAME.xxxxxxxx.tmp``
    beside NAME) are removed too. Call it only while holding the folder lock.
    """
    wanted: dict[str, set[str]] = {"": set(own_files)}
    for rel in outputs:
        parent, _, name = rel.rpartition("/")
        wanted.setdefault(parent, set()).add(name)
    removed = 0
    for parent, names in wanted.items():
        try:
            entries = folder.names(parent)
        except OutputError:
            continue
        old_style = {
            e
            for e in entries
            if e.startswith(".") and e.endswith(".tmp") and _old_temp_of(e) in names
        }
        removed += folder.remove_temp_files(parent, old_style)
    return removed


def _old_temp_of(entry: str) -> str:
    """The target of an earlier version's temp file name, ``.NAME.`` + 8 characters + ``.tmp``."""
    core = entry[1:-4]  # drop the leading '.' and '.tmp'
    name, _, rand = core.rpartition(".")
    return name if len(rand) == 8 else ""


def intact(record: Record, folder: Folder) -> bool:
    """Whether RECORD's output is its own and there as it was written: the output name of the
    record's input (in one of the formats) and, byte for byte, the content the record hashed.
    A record edited to name another input's output, or a file changed since, proves nothing:
    such a file is never reused or removed."""
    names = set()
    for fmt in EXTENSIONS:
        try:
            names.add(output_name(record.path, fmt))
        except OutputError:
            continue
    if not record.output or record.output not in names or not record.output_sha256:
        return False
    try:
        data = folder.read(record.output)
    except OutputError:
        return False
    if data is None:
        return False
    try:
        return sha256_text(data.decode("utf-8")) == record.output_sha256
    except UnicodeDecodeError:
        return False


@dataclass
class Earlier:
    """Outputs of an earlier run under another name (another -f) than this run's output of the
    same input. One output per input: each is removed once the new one is written, unless it
    changed since it was written (then it is kept, and named)."""

    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def replaced(self, folder: Folder, previous: Record | None, output: str | None) -> None:
        """PREVIOUS's output, now that OUTPUT is written for the same input."""
        old = previous.output if previous is not None else None
        if previous is None or not old or old == output or not folder.is_file(old):
            return
        try:
            removed = intact(previous, folder) and folder.unlink(old)
        except OutputError:
            removed = False
        (self.removed if removed else self.kept).append(old)

    def notes(self) -> list[str]:
        """What the closing summary says of them."""
        notes = []
        if self.removed:
            kinds = sorted({PurePosixPath(name).suffix for name in self.removed})
            notes.append(
                f"removed {len(self.removed)} output(s) of an earlier run in another format "
                f"({', '.join(kinds)}): this run's replace them"
            )
        if self.kept:
            named = ", ".join(self.kept[:3]) + (", …" if len(self.kept) > 3 else "")
            notes.append(
                f"kept {len(self.kept)} output(s) of an earlier run in another format, changed "
                f"since they were written ({named}); no manifest lists them now"
            )
        return notes
