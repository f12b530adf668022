"""Running CTranslate2's converter on a transformers model folder, in stages that can be shown
(it has no progress callback of its own), with the converter gaps that matter here fixed.
Where conversions are kept, and when one is made, is :mod:`summarize.backends.conversion`'s."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from summarize.backends.base import TRANSFORMERS_LOCK
from summarize.errors import ModelError, first_line
from summarize.fileio import human_size, is_storage_full
from summarize.progress import ProgressFn, report

__all__ = ["convert"]


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


def convert(
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
        if isinstance(e, OSError) and is_storage_full(e):
            raise  # the cache's disk, not the model: the caller tries elsewhere or says so
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
