"""What the shell completes for a model: the registry's aliases (of the role asked for) and
folders, a model folder (one with a config.json) whole, any other ending in '/' to go on.

Completion must never fail nor print: any error gives no candidates.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = [
    "complete_config_value",
    "complete_downloadable",
    "complete_summarizer",
    "complete_translator",
]

#: At most this many folders are offered (a home folder can hold thousands).
MAX_FOLDERS = 200


def _registry_file(ctx: Any) -> str | None:
    """The --models FILE given earlier on the command line, if any (this command's or its
    group's: `summarize models --models F remove …`)."""
    while ctx is not None:
        models = (getattr(ctx, "params", None) or {}).get("models")
        if models:
            return str(models)
        ctx = getattr(ctx, "parent", None)
    return None


def aliases(
    ctx: Any, incomplete: str, role: str | None, *, downloadable: bool = False
) -> list[str]:
    """The aliases of the registry in effect that start with INCOMPLETE: of ROLE (None: any),
    and with DOWNLOADABLE, only those with something in the cache (never a built-in one)."""
    try:
        from summarize.modelcache import registry_in_effect

        registry, _ = registry_in_effect(_registry_file(ctx))
    except Exception:
        return []
    return [
        alias
        for alias, spec in registry.models.items()
        if alias.startswith(incomplete)
        and (role is None or spec.role == role)
        and not (downloadable and spec.builtin)
    ]


def folders(incomplete: str) -> list[str]:
    """Folders whose path starts with INCOMPLETE (``~`` kept as typed); hidden ones only when
    INCOMPLETE's last part starts with a dot."""
    head, slash, stem = incomplete.rpartition("/")
    prefix = head + slash
    base = Path(os.path.expanduser(prefix)) if prefix else Path(".")
    found: list[str] = []
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(stem) or (entry.name.startswith(".") and not stem[:1] == "."):
            continue
        if not entry.name.isprintable():  # a line break would split it in two for the shell
            continue
        try:
            if not entry.is_dir():
                continue
            model = os.path.isfile(os.path.join(entry.path, "config.json"))
        except OSError:
            continue
        found.append(prefix + entry.name + ("" if model else "/"))
        if len(found) >= MAX_FOLDERS:
            break
    return found


def complete_summarizer(ctx: Any, incomplete: str) -> list[str]:
    """--summarizer: summarizer aliases (the built-in extractive one too), then folders."""
    return aliases(ctx, incomplete, "summarizer") + folders(incomplete)


def complete_translator(ctx: Any, incomplete: str) -> list[str]:
    """--translator: translator aliases, then folders."""
    return aliases(ctx, incomplete, "translator") + folders(incomplete)


def complete_downloadable(ctx: Any, incomplete: str) -> list[str]:
    """`models pull` and `models remove`: aliases of models that live in the cache (not a
    built-in one: there is nothing to pull or remove)."""
    return aliases(ctx, incomplete, None, downloadable=True)


def complete_config_value(ctx: Any, incomplete: str) -> list[str]:
    """`config set KEY VALUE`: models for summarizer and translator (nothing for the others)."""
    key = (getattr(ctx, "params", None) or {}).get("key")
    if key == "summarizer":
        return complete_summarizer(ctx, incomplete)
    if key == "translator":
        return complete_translator(ctx, incomplete)
    return []
