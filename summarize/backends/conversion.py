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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from summarize.backends.base import TRANSFORMERS_LOCK
from summarize.errors import ModelError, first_line
from summarize.fileio import human_size, publish_directory
from summarize.progress import ProgressFn, report
from summarize.registry import ModelSpec
from summarize.vmap import Script, write_vmap_for

log = logging.getLogger("summarize")

#: Bumped when the conversion changes, so that older conversions are redone.
#: 2: a vocabulary map in every conversion; the marker lists every file's size.
CONVERSION_VERSION = 2
MARKER = "summarize-conversion.json"
#: CTranslate2's quantization for each precision.
QUANTIZATIONS = {"int8": "int8", "fp16": "float16", "fp32": "float32"}
# Bytes of each weights file read for the content hash: enough to tell builds apart,
# cheap for multi-gigabyte files.
_HASH_BLOCK = 1 << 20
_HASH_SAMPLES = 8


def cache_root() -> Path:
    """Where conversions live: beside the Hugging Face cache (HF_HOME), in summarize/ctranslate2."""
    hf_home = os.environ.get("HF_HOME")
    if hf_home:
        base = Path(hf_home).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface"
    return base / "summarize" / "ctranslate2"


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
    """The marker of a finished conversion in FOLDER, or None."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def check_conversion(folder: Path) -> str | None:
    """None when FOLDER holds a finished conversion of this version, whole; else why not."""
    if not folder.is_dir():
        return "not converted yet"
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
    if not root.is_dir():
        return []
    found = []
    repo = "models--" + "--".join(spec.hub_id.split("/")) if spec.hub_id else None
    for folder in sorted(root.iterdir()):
        marker = read_marker(folder)
        if marker is None or marker.get("spec") != spec.name:
            continue  # not a finished conversion, or another model's
        source = str(marker.get("source", ""))
        mine = repo in Path(source).parts if repo else source == str(spec.path)
        if mine:
            found.append((folder, {**marker, "status": check_conversion(folder) or "ready"}))
    return found


def _patch_converter_loaders() -> None:
    """Fix the two converter gaps that matter here (once per process).

    * mT5 checkpoints have an lm_head of their own, but transformers 5 forces
      ``tie_word_embeddings = True`` in MT5Config, so the converter scales the decoder output
      by d_model**-0.5 as for tied T5; transformers does not. Leave the scale out when untied.
    * transformers 5 BART configs lack ``normalize_before`` (AraBART's config.json has it,
      False); the converter reads it.
    """
    from ctranslate2.converters import transformers as ct2tf
    from ctranslate2.specs import model_spec

    if getattr(ct2tf, "_summarize_patched", False):
        return
    mt5_get_spec = ct2tf.MT5Loader.get_model_spec

    def mt5_get_model_spec(self: Any, model: Any) -> Any:
        spec = mt5_get_spec(self, model)
        if model.lm_head.weight.data_ptr() != model.shared.weight.data_ptr():
            spec.decoder.scale_outputs = model_spec.OPTIONAL
        return spec

    bart_get_spec = ct2tf.BartLoader.get_model_spec

    def bart_get_model_spec(self: Any, model: Any) -> Any:
        if not hasattr(model.config, "normalize_before"):
            model.config.normalize_before = False
        return bart_get_spec(self, model)

    ct2tf.MT5Loader.get_model_spec = mt5_get_model_spec
    ct2tf.BartLoader.get_model_spec = bart_get_model_spec
    ct2tf._summarize_patched = True


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
    """
    target = conversion_dir(spec, directory, quantization)
    if not again and check_conversion(target) is None:
        return target
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
            (scratch / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")

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


@contextmanager
def _stage(progress: ProgressFn | None, what: str, step: int, steps: int) -> Iterator[None]:
    """Report WHAT (step STEP of STEPS) now and every second with its elapsed time, until
    the block ends: a conversion's stages take up to minutes, with no callback of their own."""
    if progress is None:
        yield
        return
    started = time.perf_counter()
    done = threading.Event()

    def tick() -> None:
        while True:
            report(progress, f"{what} ({time.perf_counter() - started:.0f} s)", step, steps)
            if done.wait(1.0):
                return

    ticker = threading.Thread(target=tick, name="summarize-conversion-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


def _convert(
    directory: Path,
    out: Path,
    quantization: str,
    name: str = "model",
    progress: ProgressFn | None = None,
) -> None:
    """Convert DIRECTORY into OUT: what ``TransformersConverter.convert`` does, in stages that
    can be shown (it has no progress callback of its own)."""
    with TRANSFORMERS_LOCK:  # the converter loads the checkpoint with transformers
        _convert_locked(directory, out, quantization, name, progress)


def _convert_locked(
    directory: Path, out: Path, quantization: str, name: str, progress: ProgressFn | None
) -> None:
    from summarize.backends.tokenizers import tokenizer_class

    # The converter loads the checkpoint and the tokenizer with transformers: refuse first a
    # tokenizer_class that names a model class (it would load the weights its own way).
    tokenizer_class(directory)
    from ctranslate2.converters import TransformersConverter

    _patch_converter_loaders()
    what = f"converting {name} to CTranslate2 {quantization} (first use)"
    try:
        converter = TransformersConverter(str(directory), low_cpu_mem_usage=True)
        if not hasattr(converter, "_load"):  # a CTranslate2 without the step we call: one go
            with _stage(progress, f"{what}: converting", 1, 1):
                converter.convert(str(out), quantization=quantization, force=True)
            return
        with _stage(progress, f"{what}: loading the checkpoint", 1, 3):
            model_spec = converter._load()
        if model_spec is None:
            raise NotImplementedError("this model is not supported by CTranslate2")
        with _stage(progress, f"{what}: quantizing", 2, 3):
            model_spec.validate()
            model_spec.optimize(quantization=quantization)
        size = _spec_bytes(model_spec)
        writing = f"writing {human_size(size)}" if size else "writing"
        with _stage(progress, f"{what}: {writing}", 3, 3):
            model_spec.save(str(out))
    except Exception as e:
        from summarize.backends.transformers import check_loadable

        check_loadable(directory)  # a damaged folder: name the file, not the converter
        raise ModelError(
            f"cannot convert {directory} to CTranslate2: {first_line(e)[:240]}; "
            "use --backend transformers for this model"
        ) from None


def _spec_bytes(model_spec: Any) -> int:
    """The weights' size once written (0 when this CTranslate2 cannot say)."""
    try:
        variables = model_spec.variables(ordered=True)
        return sum(int(v.num_bytes()) for _, v in variables if hasattr(v, "num_bytes"))
    except Exception:
        return 0
