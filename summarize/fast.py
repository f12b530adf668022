"""The CTranslate2 backend (`--backend ctranslate2`, `pip install 'summarize[fast]'`).

A transformers model directory is converted once, on first use, into a CTranslate2 model kept
next to the Hugging Face cache (``$HF_HOME/summarize/ctranslate2/<name>-<revision or content
hash>-<quantization>``), and reused afterwards. The conversion is written to a scratch folder
and renamed into place, so an interrupted conversion never leaves a half model behind.

It works for MarianMT, mT5 and BART-family models. When ctranslate2 is not installed, the
transformers backend is used instead, with a warning that says how to install it.
ctranslate2 and transformers are imported inside functions, so `--help` stays instant.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.errors import ModelError
from summarize.loading import (
    LoadOptions,
    Seq2Seq,
    TransformersModel,
    first_line,
    load_tokenizer,
    output_cap,
    plan_batches,
)
from summarize.registry import ModelSpec

log = logging.getLogger("summarize")

#: Bumped when the conversion changes (a loader patch, say), so old conversions are redone.
CONVERSION_VERSION = 1
MARKER = "summarize-conversion.json"
FALLBACK_WARNING = (
    "--backend ctranslate2 needs the ctranslate2 package, which is not installed; "
    "using the transformers backend instead. Install it with: pip install 'summarize[fast]'"
)
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


def ensure_converted(spec: ModelSpec, directory: Path, quantization: str) -> Path:
    """The converted model for SPEC, converting it now if this is the first use."""
    target = conversion_dir(spec, directory, quantization)
    if (target / MARKER).is_file() and (target / "model.bin").is_file():
        return target
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        if (target / MARKER).is_file() and (target / "model.bin").is_file():
            return target  # another process converted it while we waited
        log.warning(
            "converting %s to CTranslate2 (%s) once; later runs reuse %s",
            spec.name,
            quantization,
            target,
        )
        started = time.perf_counter()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            _convert(directory, tmp / "model", quantization)
            (tmp / "model" / MARKER).write_text(
                json.dumps(
                    {"source": str(directory), "quantization": quantization, "spec": spec.name},
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            if target.exists():
                shutil.rmtree(target)  # an unfinished or stale conversion
            os.replace(tmp / "model", target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        log.info("converted %s in %.1f s", spec.name, time.perf_counter() - started)
    return target


def _convert(directory: Path, out: Path, quantization: str) -> None:
    from ctranslate2.converters import TransformersConverter

    _patch_converter_loaders()
    try:
        converter = TransformersConverter(str(directory), low_cpu_mem_usage=True)
        converter.convert(str(out), quantization=quantization, force=True)
    except Exception as e:
        text = str(e).strip()
        first = (text.splitlines()[0] if text else type(e).__name__)[:240]
        raise ModelError(
            f"cannot convert {directory} to CTranslate2: {first}; "
            "use --backend transformers for this model"
        ) from None


def _ct2_device(device: str, ctranslate2: Any) -> str:
    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device.startswith("cuda") and ctranslate2.get_cuda_device_count() == 0:
        raise ModelError(
            "--device cuda was given, but no CUDA device is available; use cpu or auto"
        )
    if device not in ("cpu", "cuda"):
        raise ModelError(f"--backend ctranslate2 runs on cpu or cuda, not '{device}'")
    return device


def load_ctranslate2(
    spec: ModelSpec, directory: Path, config: dict[str, Any], options: LoadOptions
) -> Seq2Seq:
    """Load SPEC with CTranslate2, converting it on first use; transformers if not installed."""
    try:
        import ctranslate2
    except ImportError:
        log.warning(FALLBACK_WARNING)
        return TransformersModel.load(spec, directory, options)
    started = time.perf_counter()
    device = _ct2_device(options.device, ctranslate2)
    int8 = options.precision == "int8"
    quantization = "int8" if int8 else "float32"
    converted = ensure_converted(spec, directory, quantization)
    threads = options.threads or os.cpu_count() or 1
    # Batches of a few sentences keep two cores busier as two workers of one thread each
    # than as one worker of two threads (measured: 2x on the benchmark's translate).
    workers = max(1, min(4, threads))
    per_worker = max(1, threads // workers)
    compute_type = ("int8" if device == "cpu" else "int8_float16") if int8 else "float32"
    tokenizer = load_tokenizer(directory)
    try:
        model = ctranslate2.Translator(
            str(converted),
            device=device,
            compute_type=compute_type,
            intra_threads=per_worker,
            inter_threads=workers,
        )
    except Exception as e:
        raise ModelError(
            f"cannot load the CTranslate2 model in {converted}: {first_line(e)}; "
            "delete that folder to convert again"
        ) from None
    info = {
        "backend": "ctranslate2",
        "device": device,
        "precision": options.precision,
        "load_seconds": f"{time.perf_counter() - started:.2f}",
    }
    return CTranslate2Model(
        spec,
        tokenizer,
        model,
        info,
        forced_eos=_forced_eos(directory, config),
        cap=output_cap(config, spec.generation.max_new_tokens),
    )


def _forced_eos(directory: Path, config: dict[str, Any]) -> bool:
    """Whether transformers ends every output with a forced </s> (Marian, BART).

    transformers spends the last of max_new_tokens on that </s>; CTranslate2 does not force
    it, so it is given one step fewer to produce the same text.
    """
    found = config.get("forced_eos_token_id")
    path = directory / "generation_config.json"
    if path.is_file():
        try:
            generation = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            generation = {}
        if isinstance(generation, dict) and "forced_eos_token_id" in generation:
            found = generation["forced_eos_token_id"]
    return found is not None


class CTranslate2Model:
    """A CTranslate2 Translator behind the Seq2Seq protocol: batched, sorted by length."""

    max_batch = 32
    max_batch_tokens = 4096
    # Tighter than transformers' 0.8: with several workers, small batches cost little.
    min_bound_ratio = 0.9

    def __init__(
        self,
        spec: ModelSpec,
        tokenizer: Any,
        model: Any,
        info: dict[str, str],
        *,
        forced_eos: bool = False,
        cap: int = 512,
    ) -> None:
        self.spec = spec
        self.tokenizer = tokenizer
        self.model = model
        self.info = info
        self.forced_eos = forced_eos
        self.cap = cap  # the most new tokens the model's positions allow

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for TEXT, special tokens included."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def _tokens(self, text: str) -> list[str]:
        ids = self.tokenizer(text, add_special_tokens=True)["input_ids"]
        return list(self.tokenizer.convert_ids_to_tokens(ids))

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
    ) -> list[str]:
        """Generate for every text, in batches of similar length; results in input order.

        A batch decodes to its longest bound; each output is then cut to its own bound.
        """
        results = [""] * len(texts)
        sources = [self._tokens(t) for t in texts]
        mins = list(min_new_tokens) if min_new_tokens is not None else [0] * len(texts)
        settings = self.spec.generation
        reserved = 1 if self.forced_eos else 0  # the step transformers spends on </s>
        bounds = [max(1, min(m, self.cap) - reserved) for m in max_new_tokens]
        lengths = [len(s) for s in sources]
        plan = plan_batches(
            lengths, self.max_batch, self.max_batch_tokens, bounds, self.min_bound_ratio
        )
        pending = []
        for batch in plan:  # all submitted at once: the model's workers take them in turn
            longest = max(bounds[i] for i in batch)
            shortest = min(max(0, min(mins[i] for i in batch) - reserved), longest)
            futures = self.model.translate_batch(
                [sources[i] for i in batch],
                beam_size=settings.num_beams,
                length_penalty=settings.length_penalty,
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                repetition_penalty=settings.repetition_penalty,
                max_decoding_length=longest,
                min_decoding_length=shortest,
                max_batch_size=0,
                asynchronous=True,
            )
            pending.append((batch, futures))
        for batch, futures in pending:
            for i, future in zip(batch, futures, strict=True):
                tokens = future.result().hypotheses[0][: bounds[i]]
                ids = self.tokenizer.convert_tokens_to_ids(tokens)
                results[i] = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
        return results
