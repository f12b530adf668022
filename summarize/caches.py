"""Where the tool keeps what it builds once and reuses: beside the Hugging Face cache.

Everything lives under ``$HF_HOME/summarize/`` (without HF_HOME: ``$XDG_CACHE_HOME/huggingface``,
else ``~/.cache/huggingface``), so the one folder a user already moves, shares or copies to an
offline machine carries it too. When that folder cannot be written (another user's cache, a
read-only mount, a full disk), :func:`user_temp_cache` is this user's own folder in the temp
folder, which another user cannot plant files in.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["summarize_cache", "user_temp_cache"]


def summarize_cache() -> Path:
    """The tool's caches: ``summarize`` beside the Hugging Face cache (HF_HOME, read now)."""
    hf_home = os.environ.get("HF_HOME")
    if hf_home:
        base = Path(hf_home).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface"
    return base / "summarize"


def user_temp_cache(name: str) -> Path | None:
    """This user's cache NAME in the temp folder (``summarize-UID/NAME``; the parent 0700, owned
    by this user and no link: another user cannot plant one there), or None when it cannot be
    had."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(tempfile.gettempdir()) / f"summarize-{uid}" / name
    try:
        os.mkdir(root.parent, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(root.parent)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o077:
            return None
        root.mkdir(exist_ok=True)
    except OSError:
        return None
    return root
