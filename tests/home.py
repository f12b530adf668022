"""Keep the tests out of the real home: where HOME and every cache point during a test session,
and a snapshot of the real home that says what changed.

``isolate_home`` is applied by ``tests/conftest.py`` before any test runs, for the whole
session (subprocesses and Ray workers inherit it). The snapshot covers the places a run of
this tool or its libraries writes to: the home's own entries, ``~/.cache``, ``~/.config``,
``~/.local/share``, and everything under the Hugging Face cache, ``~/.ray`` and the tool's
own config folder. Other processes on the same machine (a pip install, an editor) may write
elsewhere under the home, so a whole-tree walk would blame the tests for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: folders whose direct entries are compared
SHALLOW = (".", ".cache", ".config", ".local/share", ".local/state")
#: folders compared in full, every file
DEEP = (
    ".cache/huggingface",
    ".cache/torch",
    ".ray",
    ".config/summarize",
    ".cache/summarize",
    ".local/share/summarize",
    ".triton",
)
#: entries other processes change on a developer's machine while the tests run
NOISY = {".cache/pip", ".bash_history", ".python_history", ".viminfo", ".lesshst", ".wget-hsts"}


def isolate_home(root: Path) -> dict[str, str]:
    """The environment that sends every per-user folder into ROOT (created here)."""
    folders = {
        "HOME": root / "home",
        "XDG_CACHE_HOME": root / "home" / ".cache",
        "XDG_CONFIG_HOME": root / "home" / ".config",
        "XDG_DATA_HOME": root / "home" / ".local" / "share",
        "XDG_STATE_HOME": root / "home" / ".local" / "state",
        "HF_HOME": root / "home" / ".cache" / "huggingface",
        # Ray: its session folders, and the cluster token it writes under ~/.ray
        "RAY_TMPDIR": root / "ray",
    }
    for path in folders.values():
        path.mkdir(parents=True, exist_ok=True)
    return {key: str(path) for key, path in folders.items()}


@dataclass
class HomeSnapshot:
    home: Path
    entries: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (mtime_ns, size)

    @classmethod
    def take(cls, home: Path) -> HomeSnapshot:
        snapshot = cls(home)
        snapshot.entries = snapshot._walk()
        return snapshot

    def _walk(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for rel in SHALLOW:
            folder = self.home / rel
            try:
                children = list(os.scandir(folder))
            except OSError:
                continue
            for entry in children:
                key = os.path.normpath(os.path.join(rel, entry.name))
                if key in NOISY or any(key == d for d in DEEP):
                    found[key] = (0, 0)  # present; its contents are compared below (or not at all)
                    continue
                found[key] = _stamp(Path(entry.path), shallow=True)
        for rel in DEEP:
            for dirpath, dirnames, filenames in os.walk(self.home / rel):
                for name in dirnames + filenames:
                    path = Path(dirpath) / name
                    found[str(path.relative_to(self.home))] = _stamp(path, shallow=False)
        return found

    def changes(self) -> list[str]:
        """What is new, gone or modified since the snapshot, as readable lines."""
        return self._changes(self._walk())

    def ours(self) -> list[str]:
        """The changes under the folders this tool and its libraries write to (DEEP): a test
        that wrote there is a bug. Other new entries may be another process's (a pip cache)."""
        return [c for c in self.changes() if _under_deep(c.partition(": ")[2])]

    def _changes(self, now: dict[str, tuple[int, int]]) -> list[str]:
        out = [f"new: {k}" for k in sorted(now.keys() - self.entries.keys())]
        out += [f"removed: {k}" for k in sorted(self.entries.keys() - now.keys())]
        out += [
            f"modified: {k}"
            for k in sorted(now.keys() & self.entries.keys())
            if now[k] != self.entries[k] and not _is_dir(self.home / k)
        ]
        return out


def _under_deep(rel: str) -> bool:
    return any(rel == d or rel.startswith(d + "/") for d in DEEP)


def _is_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _stamp(path: Path, *, shallow: bool) -> tuple[int, int]:
    try:
        st = path.lstat()
    except OSError:
        return (-1, -1)
    if shallow and _is_dir(path):
        return (0, 0)  # a folder's mtime moves whenever anything inside it changes
    return (st.st_mtime_ns, st.st_size)
