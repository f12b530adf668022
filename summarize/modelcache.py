"""The local model cache: what it holds for each model, pulling a model into it, removing one.

A model's cache is its Hugging Face cache folder (every revision of its repository) and its
CTranslate2 conversions. ``summarize models`` lists it (``model_rows``), ``models pull``
fills it (``pull``) and ``models remove`` empties it (``cached_folders``, ``remove``); the
command line only parses and prints.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarize.errors import OutputError

if TYPE_CHECKING:
    from summarize.backends import LoadOptions
    from summarize.config import Setting
    from summarize.progress import ProgressFn
    from summarize.registry import ModelSpec, Registry

__all__ = [
    "CachedFolder",
    "cached_folders",
    "check_reachable",
    "load_options",
    "model_rows",
    "pull",
    "registry_in_effect",
    "remove",
    "show_download_progress",
]

ROLES = ("summarizer", "translator")


def registry_in_effect(registry: str | None = None) -> tuple[Registry, dict[str, Setting]]:
    """The registry in effect (REGISTRY, else the environment, the config file, the built-in
    one) and the default summarizer and translator in effect, each with where it comes from."""
    from summarize.config import effective, registry_defaults
    from summarize.registry import load_registry

    chosen = effective({"registry": registry})
    loaded = load_registry(chosen["registry"].value)
    return loaded, registry_defaults(chosen, loaded)


def load_options(chosen: dict[str, Setting]) -> LoadOptions:
    """The LoadOptions of a plain command: the backend, precision and threads in effect."""
    from summarize.backends import LoadOptions

    return LoadOptions(
        backend=chosen["backend"].value,
        precision=chosen["precision"].value,
        threads=chosen["threads"].value,
    )


def model_rows(
    registry: Registry, defaults: dict[str, str] | None = None, options: LoadOptions | None = None
) -> list[dict[str, Any]]:
    """One dict per registry entry: what `models` shows, and its JSON. DEFAULTS: the
    summarizer and translator in effect (config, environment), else the registry's. OPTIONS
    (default: the defaults): what ``runs_with`` says each model runs with."""
    from summarize.backends import LoadOptions, run_settings
    from summarize.backends.conversion import QUANTIZATIONS, conversions_of
    from summarize.backends.hub import cache_folder, cache_status, size_on_disk

    defaults = defaults or {role: str(name) for role, name in registry.defaults.items()}
    options = options or LoadOptions()
    rows = []
    for name, spec in registry.models.items():
        folder = cache_folder(spec)
        conversions = [
            {
                "quantization": marker.get("quantization"),
                "status": marker["status"],
                "path": str(path),
                "size_bytes": size_on_disk(path),
            }
            for path, marker in conversions_of(spec)
        ]
        runs = run_settings(spec, options)
        runs_with: dict[str, Any] = {
            "backend": runs.backend,
            "device": runs.device,
            "precision": runs.precision,
        }
        if runs.backend == "ctranslate2":
            wanted = QUANTIZATIONS.get(runs.precision)
            runs_with["converted"] = any(
                c["quantization"] == wanted and c["status"] == "ready" for c in conversions
            )
        rows.append(
            {
                "alias": name,
                "role": spec.role,
                "default": defaults.get(spec.role) == name,
                "hub_id": spec.hub_id,
                "revision": spec.revision,
                "license": spec.license,
                "cached": cache_status(spec),
                "size_bytes": size_on_disk(folder) if folder is not None else 0,
                "conversions": conversions,
                "runs_with": runs_with,
                "description": spec.description,
            }
        )
    return rows


def check_reachable(specs: list[ModelSpec], *, offline: bool) -> None:
    """Before a pull: one error naming every model of SPECS that is not cached when the hub
    cannot be reached or stays silent (offline: when offline mode is on), with the ways out
    of a pull; nothing when they can be had."""
    from summarize.backends import hub

    hub.missing_models([s for s in specs if not s.builtin], offline=offline, pulling=True)


def pull(
    spec: ModelSpec,
    options: LoadOptions,
    *,
    allow_pickle: bool = False,
    progress: ProgressFn | None = None,
) -> tuple[Path, Path | None]:
    """Download SPEC into the Hugging Face cache, then convert it for what a plain command
    runs it with (OPTIONS), when that is CTranslate2: a pulled model then never converts at
    first use, on a machine that may be offline by then. Returns the download and the
    conversion (None when the model runs without one)."""
    from summarize.backends import hub

    path = hub.download(spec, allow_pickle=allow_pickle, pulling=True)
    return path, _convert_for(spec, path, options, allow_pickle, progress)


def _convert_for(
    spec: ModelSpec,
    path: Path,
    options: LoadOptions,
    allow_pickle: bool,
    progress: ProgressFn | None,
) -> Path | None:
    from summarize.backends import run_settings
    from summarize.backends.conversion import QUANTIZATIONS, ensure_converted
    from summarize.backends.ctranslate2 import SCRIPTS
    from summarize.backends.hub import check_directory

    runs = run_settings(spec, options)
    if runs.backend != "ctranslate2" or runs.precision not in QUANTIZATIONS:
        return None
    check_directory(path, spec, allow_pickle)
    return ensure_converted(
        spec, path, QUANTIZATIONS[runs.precision], script=SCRIPTS[spec.role], progress=progress
    )


def show_download_progress(terminal: bool) -> None:
    """The hub's download bars on stderr when it is a terminal (quiet_libraries turns them
    off everywhere else), unless HF_HUB_DISABLE_PROGRESS_BARS says no."""
    import huggingface_hub.utils

    if terminal and os.environ.get("HF_HUB_DISABLE_PROGRESS_BARS", "") in ("", "0", "false"):
        huggingface_hub.utils.enable_progress_bars()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CachedFolder:
    """One folder of the cache a model owns: its Hugging Face cache or a conversion."""

    what: str  # "arabart: Hugging Face cache", "arabart: CTranslate2 conversion (int8)"
    path: Path
    size: int  # bytes on disk


def cached_folders(specs: list[ModelSpec]) -> list[CachedFolder]:
    """Every folder of the cache that SPECS own, with its size: what ``remove`` would delete."""
    from summarize.backends.conversion import conversions_of
    from summarize.backends.hub import cache_folder, size_on_disk

    found: list[CachedFolder] = []
    for spec in specs:
        folder = cache_folder(spec)
        if folder is not None and folder.is_dir():
            found.append(
                CachedFolder(f"{spec.name}: Hugging Face cache", folder, size_on_disk(folder))
            )
        for path, marker in conversions_of(spec):
            what = f"{spec.name}: CTranslate2 conversion ({marker.get('quantization', '?')})"
            found.append(CachedFolder(what, path, size_on_disk(path)))
    return found


def remove(folders: list[CachedFolder]) -> None:
    """Delete FOLDERS (gone already is fine); OutputError naming the first that cannot go."""
    for folder in folders:
        try:
            shutil.rmtree(folder.path)
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(f"cannot remove {folder.path}: {e.strerror or e}") from None
