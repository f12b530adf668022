"""The CTranslate2 conversion cache: a transformers model directory converted once, on first
use (or by ``summarize models pull``), kept next to the Hugging Face cache
(``$HF_HOME/summarize/ctranslate2/<name>-<revision or content hash>-<quantization>``) and
reused afterwards.

A conversion is built in a scratch folder and renamed into place, under a file lock, so two
processes converting at once and a conversion killed halfway are both safe. Its marker file,
written last, records this module's :data:`CONVERSION_VERSION` and the size of every file: a
conversion from an older version, or one whose files are missing or cut short, is converted
again instead of being loaded. The vocabulary map (``vmap.txt``, see ``summarize.vmap``) is
written into the scratch folder too, so a published conversion always carries it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
import time
from pathlib import Path
from typing import Any

from summarize.backends.converter import convert as _convert
from summarize.caches import summarize_cache, user_temp_cache
from summarize.errors import ModelError, StorageFull
from summarize.fileio import atomic_write, human_size, is_storage_full, publish_directory
from summarize.guarded import Unparsable, parse_json, read_regular
from summarize.progress import ProgressFn
from summarize.registry import ModelSpec
from summarize.vmap import Script, write_vmap_for

log = logging.getLogger("summarize")

#: Bumped when the conversion changes, so that older conversions are redone.
#: 2: a vocabulary map in every conversion; the marker lists every file's size.
CONVERSION_VERSION = 2
MARKER = "summarize-conversion.json"
MAX_MARKER_BYTES = 1 << 20
#: CTranslate2's quantization for each precision.
QUANTIZATIONS = {"int8": "int8", "fp16": "float16", "fp32": "float32"}
# Bytes of each weights file read for the content hash: enough to tell builds apart,
# cheap for multi-gigabyte files.
_HASH_BLOCK = 1 << 20
_HASH_SAMPLES = 8


def cache_root() -> Path:
    """Where conversions live: beside the Hugging Face cache (HF_HOME), in summarize/ctranslate2."""
    return summarize_cache() / "ctranslate2"


def content_hash(directory: Path) -> str:
    """A short fingerprint of a model directory: its small files whole, its weights sampled."""
    digest = hashlib.sha256(f"summarize-ct2-v{CONVERSION_VERSION}".encode())
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        size = path.stat().st_size
        digest.update(f"{path.name}\0{size}\0".encode())
        with path.open("rb") as f:
            if size <= 4 * _HASH_BLOCK:
                digest.update(f.read())
                continue
            step = (size - _HASH_BLOCK) // (_HASH_SAMPLES - 1)
            for k in range(_HASH_SAMPLES):
                f.seek(k * step)
                digest.update(f.read(_HASH_BLOCK))
    return digest.hexdigest()[:12]


def conversion_dir(spec: ModelSpec, directory: Path, quantization: str) -> Path:
    """The cache folder for SPEC's conversion at QUANTIZATION."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", spec.name).strip("-.") or "model"
    if spec.path is None and spec.revision and re.fullmatch(r"[0-9a-f]{40}", spec.revision):
        version = spec.revision[:12]
    else:  # local directories, refs/pr/N and unpinned hub ids: what is on disk decides
        version = content_hash(directory)
    return cache_root() / f"{name}-{version}-{quantization}"


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The marker of a finished conversion in FOLDER, or None (a FIFO or a huge file there is
    never read: it is no marker of ours)."""
    try:
        marker = parse_json(read_regular(folder / MARKER, MAX_MARKER_BYTES))
    except (OSError, Unparsable):
        return None
    return marker if isinstance(marker, dict) else None


def check_conversion(folder: Path) -> str | None:
    """None when FOLDER holds a finished conversion of this version, whole; else why not."""
    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            return "not converted yet"
    except FileNotFoundError:
        return "not converted yet"
    except OSError as e:  # a cache folder this user cannot enter
        return f"unreadable ({e.strerror or e})"
    marker = read_marker(folder)
    if marker is None:
        return "unfinished (no marker)"
    if marker.get("version") != CONVERSION_VERSION:
        return "made by an older version of summarize"
    files = marker.get("files")
    if not isinstance(files, dict) or "model.bin" not in files:
        return "its marker lists no files"
    for name, size in files.items():
        try:
            found = (folder / name).stat().st_size
        except OSError:
            return f"damaged: {name} is missing"
        if found != size:
            return f"damaged: {name} has {found} bytes instead of {size}"
    return None


def conversions_of(spec: ModelSpec) -> list[tuple[Path, dict[str, Any]]]:
    """SPEC's conversions in the cache, each with its marker (quantization, source) and
    ``status``: ``ready``, or why it would be converted again. Those made from this model's
    files, whatever their revision."""
    root = cache_root()
    try:
        folders = sorted(root.iterdir())
    except OSError:  # none yet, or a cache this user cannot read
        return []
    found = []
    repo = "models--" + "--".join(spec.hub_id.split("/")) if spec.hub_id else None
    for folder in folders:
        marker = read_marker(folder)
        if marker is None or marker.get("spec") != spec.name:
            continue  # not a finished conversion, or another model's
        source = str(marker.get("source", ""))
        mine = repo in Path(source).parts if repo else source == str(spec.path)
        if mine:
            found.append((folder, {**marker, "status": check_conversion(folder) or "ready"}))
    return found


def ensure_converted(
    spec: ModelSpec,
    directory: Path,
    quantization: str,
    *,
    script: Script | None = None,
    progress: ProgressFn | None = None,
    again: bool = False,
) -> Path:
    """The converted model for SPEC, converting it now if this is its first use.

    SCRIPT: write the vocabulary map for outputs in that script (``arabic`` for a summarizer,
    ``latin`` for the translator). PROGRESS hears the stages of a conversion. AGAIN: convert
    even if a conversion is there (it could not be loaded).

    A finished conversion is used as it is, even in a cache this user cannot write (an image
    built as root, a read-only mount). When one must be made and the cache cannot be written,
    it is made in a cache of this user's in the temp folder, with a warning that says which
    folder to set; only when that fails too is it an error.
    """
    target = conversion_dir(spec, directory, quantization)
    remove_stale_scratch(target.parent)
    if not again and check_conversion(target) is None:
        return target
    try:
        return _convert_at(target, spec, directory, quantization, script, progress, again)
    except OSError as e:  # not writable, read-only, not a folder, full
        cannot = f"{target.parent} cannot be written ({e.strerror or e})"
        full = is_storage_full(e)
    fallback = user_temp_cache("ctranslate2")
    if fallback is None:
        raise (StorageFull if full else ModelError)(_set_hf_home(spec, cannot))
    spare = fallback / target.name
    remove_stale_scratch(fallback)
    if not again and check_conversion(spare) is None:
        return spare
    log.warning(
        "the conversion cache %s; converting %s into %s for now (set HF_HOME to a folder you "
        "can write, or convert as the cache's owner with `summarize models pull`)",
        cannot,
        spec.name,
        fallback,
    )
    try:
        return _convert_at(spare, spec, directory, quantization, script, progress, again)
    except OSError as e:
        # a disk that takes no more is a failed write (exit 10), whichever folder it was
        kind = StorageFull if full or is_storage_full(e) else ModelError
        raise kind(_set_hf_home(spec, f"{cannot}, nor {fallback} ({e.strerror or e})")) from None


def _set_hf_home(spec: ModelSpec, why: str) -> str:
    return (
        f"cannot convert {spec.name} to CTranslate2: {why}; set HF_HOME to a folder you can "
        "write, with room (conversions live in $HF_HOME/summarize/ctranslate2), or use --backend "
        "transformers"
    )


def _convert_at(
    target: Path,
    spec: ModelSpec,
    directory: Path,
    quantization: str,
    script: Script | None,
    progress: ProgressFn | None,
    again: bool,
) -> Path:
    """Convert into TARGET under its lock (unless another process just did)."""
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        why = check_conversion(target)
        if why is None and not again:
            return target  # another process converted it while we waited
        if why not in (None, "not converted yet"):
            log.warning("the conversion in %s is %s: converting again", target, why)
        log.info(
            "converting %s to CTranslate2 (%s), once: later runs reuse %s",
            spec.name,
            quantization,
            target,
        )
        started = time.perf_counter()

        def build(scratch: Path) -> None:
            _convert(directory, scratch, quantization, spec.name, progress)
            if script is not None:
                write_vmap_for(scratch, script)
            files = {p.name: p.stat().st_size for p in sorted(scratch.iterdir()) if p.is_file()}
            marker = {
                "version": CONVERSION_VERSION,
                "source": str(directory),
                "quantization": quantization,
                "spec": spec.name,
                "vmap": script,
                "files": files,
                "seconds": round(time.perf_counter() - started, 1),
            }
            atomic_write(scratch / MARKER, json.dumps(marker, indent=2) + "\n")

        # Whatever is at TARGET is an unfinished, stale or damaged conversion.
        publish_directory(target, build, replace=lambda _: True)
        from summarize.backends.hub import size_on_disk

        log.info(
            "converted %s in %.0f s: %s in %s",
            spec.name,
            time.perf_counter() - started,
            human_size(size_on_disk(target)),
            target,
        )
    return target


# A scratch folder of publish_directory: ``.NAME.`` and mkdtemp's 8 characters, beside NAME.
_SCRATCH = re.compile(r"\.(.+)\.[a-z0-9_]{8}")


def remove_stale_scratch(root: Path) -> int:
    """Remove the scratch folders that conversions killed halfway (``kill -9``, a power cut)
    left in ROOT, 0.3 to 1.2 GB each with real models; return how many.

    A scratch folder ``.NAME.xxxxxxxx`` is only ever there while a conversion holds NAME's
    lock, so one whose lock nobody holds is stale. Each is removed while holding that lock
    (taken without waiting: a live conversion is left alone)."""
    from filelock import FileLock, Timeout

    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(".")]
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        match = _SCRATCH.fullmatch(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            with FileLock(str(root / f".{match.group(1)}.lock"), timeout=0):
                shutil.rmtree(entry.path)
        except (Timeout, OSError):
            continue  # a live conversion's, or not ours to remove
        log.info("removed %s, left by a conversion that was stopped", entry.path)
        removed += 1
    return removed
