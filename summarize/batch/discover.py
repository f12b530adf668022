"""Which files a batch takes: discovery under the input folder, and shards of the sorted list."""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from summarize.errors import InputNotFound, UsageError
from summarize.fileio import decode_name

__all__ = ["DEFAULT_GLOBS", "REASONS", "Found", "Ignored", "Shard", "discover", "find_inputs"]

DEFAULT_GLOBS = ("*.txt", "*.md", "*.html")


@dataclass(frozen=True)
class Shard:
    """The K-th of N deterministic slices (1-based): every N-th input of the sorted list.

    Round-robin over sorted paths keeps slices within one file of each other in size; every
    shard must see the same folder (the usual case for a shared file system or a copy).
    """

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            k_text, n_text = text.split("/")
            k, n = int(k_text), int(n_text)
        except ValueError:
            raise ValueError(f"--shard takes K/N, like 1/4; got {text!r}") from None
        if not 1 <= k <= n:
            raise ValueError(f"--shard K/N needs 1 <= K <= N; got {text!r}")
        return cls(k, n)

    def select(self, paths: Sequence[str]) -> list[str]:
        return [p for i, p in enumerate(sorted(paths)) if i % self.n == self.k - 1]

    @property
    def suffix(self) -> str:
        return f".{self.k}-of-{self.n}"


@dataclass(frozen=True)
class Ignored:
    """A file or folder under the input folder that the batch does not take, and why."""

    path: str  # relative to the input folder, decoded (see fileio.decode_name)
    reason: str  # one of REASONS


# Why an entry is left out; the CLI counts them and says how to take them.
REASONS = {
    "hidden": "hidden (name starts with '.'; --hidden takes them)",
    "link-out": "a link to a file outside the input folder (--follow-links reads them)",
    "link-dir": "a link to a folder (never followed)",
    "glob": "not matching --glob",
}


@dataclass
class Found:
    """What discovery found: the inputs (decoded relative path -> the path on disk, relative
    to the input folder) and what it left out."""

    inputs: dict[str, str] = field(default_factory=dict)
    ignored: list[Ignored] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted(self.inputs)


def check_globs(globs: Sequence[str]) -> None:
    """Refuse patterns that can match no file name (an empty one, one with a '/'), so that a
    mistyped --glob is a usage error instead of a run of "0 of 0" that exits 0."""
    if not globs:
        raise UsageError("no --glob pattern: give one like '*.txt'")
    for pattern in globs:
        if not pattern.strip():
            raise UsageError(f"--glob {pattern!r} matches no file name; give one like '*.txt'")
        if "/" in pattern or "\0" in pattern:
            raise UsageError(
                f"--glob {pattern!r}: patterns match file names, not paths (a '/' never "
                "matches); every folder under the input folder is searched"
            )


def find_inputs(
    in_dir: Path,
    globs: Sequence[str],
    *,
    exclude: Path | None = None,
    hidden: bool = False,
    follow_links: bool = False,
) -> Found:
    """The inputs under IN_DIR whose names match GLOBS, the folder EXCLUDE (the output
    folder, when it lies inside) left out.

    Left out, and listed in ``ignored`` with the reason: files GLOBS does not match (but for
    hidden ones, which --glob alone would not take either), names starting with '.' (unless
    HIDDEN), links to folders (never followed: a loop or a link to / would never end), and links
    to files outside IN_DIR (unless FOLLOW_LINKS), so that a link planted in a shared drop
    folder cannot make the batch read /etc/shadow into its outputs. Links to files inside
    IN_DIR are read. Names that are not UTF-8 are taken, under their decoded name.
    """
    check_globs(globs)
    if not in_dir.is_dir():
        raise InputNotFound(f"{in_dir} is not a directory")
    root = in_dir.resolve()
    skip = exclude.resolve() if exclude is not None else None
    found = Found()

    def rel_of(here: Path, name: str) -> tuple[str, str]:
        actual = (here / name).relative_to(root).as_posix()
        return "/".join(decode_name(part) for part in actual.split("/")), actual

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        keep = []
        for d in sorted(dirnames):
            shown, _ = rel_of(here, d)
            if (here / d).is_symlink():
                found.ignored.append(Ignored(shown, "link-dir"))
            elif d.startswith(".") and not hidden:
                found.ignored.append(Ignored(shown, "hidden"))
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not any(fnmatch.fnmatch(name, g) for g in globs):
                if not name.startswith("."):  # a hidden one would need --hidden as well
                    found.ignored.append(Ignored(rel_of(here, name)[0], "glob"))
                continue
            shown, actual = rel_of(here, name)
            if name.startswith(".") and not hidden:
                found.ignored.append(Ignored(shown, "hidden"))
                continue
            path = here / name
            if not follow_links and path.is_symlink() and path.exists():
                if not path.resolve().is_relative_to(root):
                    found.ignored.append(Ignored(shown, "link-out"))
                    continue
            if shown in found.inputs:  # two names that decode alike (b\xe9.txt, b<E9>.txt)
                digest = hashlib.sha256(os.fsencode(actual)).hexdigest()[:8]
                shown = f"{shown}~{digest}"
            found.inputs[shown] = actual
    return found


def discover(in_dir: Path, globs: Sequence[str], exclude: Path | None = None) -> list[str]:
    """The decoded relative POSIX paths of the inputs under IN_DIR, sorted (see find_inputs)."""
    return find_inputs(in_dir, globs, exclude=exclude).paths
