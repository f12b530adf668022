"""The transformers backend: the reference path (``--backend transformers --precision fp32``),
and what ``--backend auto`` runs for architectures CTranslate2 is not used for.

Batched, length-sorted ``generate`` under ``torch.inference_mode``; fp32, torch dynamic int8
quantization on CPU (what ``auto`` picks there), or fp16 on CUDA. torch and transformers are
imported when a model loads.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.backends.base import TRANSFORMERS_LOCK, TokenizedModel, check_device, output_cap
from summarize.backends.hub import check_directory, local_directory
from summarize.backends.model import BatchDone, LoadOptions, auto_precision
from summarize.backends.tokenizers import load_tokenizer, quiet_libraries
from summarize.errors import ModelError, first_line
from summarize.registry import GenerationSettings, ModelSpec
from summarize.threads import plan_threads

__all__ = [
    "TransformersModel",
    "check_loadable",
    "check_weights_match",
    "dynamic_quantization",
    "generation_kwargs",
    "load",
]


def load(spec: ModelSpec, options: LoadOptions) -> TransformersModel:
    """Find, check and load SPEC with transformers (one load at a time: TRANSFORMERS_LOCK)."""
    with TRANSFORMERS_LOCK:
        return _load(spec, options)


def _load(spec: ModelSpec, options: LoadOptions) -> TransformersModel:
    import torch

    quiet_libraries()
    directory = local_directory(spec, offline=options.offline, allow_pickle=options.allow_pickle)
    check_directory(directory, spec, options.allow_pickle)
    device = check_device(options.device, torch.cuda.is_available)
    # All available cores by default; safe on shared cores because the CLI (and load_model)
    # set OMP_WAIT_POLICY=PASSIVE before torch loads (summarize.threads).
    torch.set_num_threads(plan_threads(options.threads, one_batch=True).torch)
    started = time.perf_counter()
    tokenizer = load_tokenizer(directory)
    try:
        # True: safetensors or nothing. None (pickle allowed): safetensors when there are
        # some, pickle only when there are none (False would force the pickle).
        model, loading = _from_pretrained(directory, True if not options.allow_pickle else None)
    except Exception as e:
        raise ModelError(
            f"cannot load the weights in {directory} as config.json describes them: {first_line(e)}"
        ) from None
    check_weights_match(directory, model, loading)
    model.eval()
    precision = auto_precision(options.precision, device)
    if precision == "int8":
        if options.precision == "auto" and dynamic_quantization() is None:
            precision = "fp32"  # this torch has no dynamic quantization: the reference path
        else:
            model = _quantize(model, device)
    elif precision == "fp16":
        if device == "cpu":
            raise ModelError("--precision fp16 runs on CUDA only; on the CPU use int8 (or fp32)")
        model = model.half()
    model.to(device)
    info = TokenizedModel.describe("transformers", device, precision, started)
    return TransformersModel(spec, tokenizer, model, info)


def dynamic_quantization() -> Any:
    """torch's dynamic quantization, or None: torch has deprecated torch.ao.quantization."""
    import torch

    return getattr(getattr(torch.ao, "quantization", None), "quantize_dynamic", None)


def check_loadable(directory: Path) -> None:
    """Raise the ModelError that says why DIRECTORY cannot be loaded as its config.json
    describes; return when this path finds nothing wrong. These are the tokenizer's and the
    weights' checks of :func:`load`, for where another loader (CTranslate2's converter) failed
    with a message that names neither the file nor the problem ("type must be string, but is
    null", "tiktoken is required"). Only ever called after such a failure: it imports torch.
    Safetensors only where there are some (check_directory has refused pickle weights unless
    they were allowed)."""
    quiet_libraries()
    try:
        with TRANSFORMERS_LOCK:
            load_tokenizer(directory)
            safetensors = True if any(directory.glob("*.safetensors")) else None
            model, loading = _from_pretrained(directory, safetensors)
            check_weights_match(directory, model, loading)
    except ModelError:
        raise
    except Exception:
        return  # nothing this path can name: the caller's own message stands


def _from_pretrained(directory: Path, use_safetensors: bool | None) -> tuple[Any, Any]:
    """The model in DIRECTORY and transformers' loading info: local files only, no remote
    code, weights as USE_SAFETENSORS says (True: safetensors or nothing)."""
    from transformers import AutoModelForSeq2SeqLM

    return AutoModelForSeq2SeqLM.from_pretrained(  # type: ignore[no-any-return]
        str(directory),
        local_files_only=True,
        trust_remote_code=False,
        use_safetensors=use_safetensors,
        output_loading_info=True,
    )


def check_weights_match(directory: Path, model: Any, loading: dict[str, Any]) -> None:
    """Refuse weights that do not belong to the model config.json describes.

    transformers builds the model from config.json and fills in what the weights file has; a
    tensor the file lacks is left random, with a warning we keep quiet. Weights of another
    architecture thus loaded "fine" and then crashed (IndexError: Marian weights under an mT5
    config) or wrote noise (Marian weights under a BART config: 6 tensors left random).
    transformers itself leaves out of ``missing_keys`` what it ties or rebuilds (shared
    embeddings, sinusoidal positions), so a sound checkpoint reports none: any missing tensor,
    or any of the wrong shape, is a ModelError that names the files.
    """
    missing = list(loading.get("missing_keys") or [])
    mismatched = list(loading.get("mismatched_keys") or [])
    if missing or mismatched:
        total = len(model.state_dict())
        wrong = mismatched or missing
        raise ModelError(
            f"{directory}: the weights do not fit the model config.json describes "
            f"({len(missing)} of {total} tensors missing, {len(mismatched)} of the wrong "
            f"shape, e.g. {str(wrong[0])[:80]!r}); config.json and the weights belong to "
            "different models: download the model again, or fix config.json"
        )


def _quantize(model: Any, device: str) -> Any:
    """torch dynamic int8 quantization of the Linear layers (CPU only)."""
    import torch

    if device != "cpu":
        raise ModelError("--precision int8 runs on the CPU only; use --device cpu")
    quantize = dynamic_quantization()
    if quantize is None:
        raise ModelError(
            f"this torch ({torch.__version__}) has no dynamic int8 quantization; "
            "use --backend ctranslate2 --precision int8"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return quantize(model, {torch.nn.Linear}, dtype=torch.qint8)


class TransformersModel(TokenizedModel):
    """A transformers seq2seq model behind the Model protocol."""

    def __init__(self, spec: ModelSpec, tokenizer: Any, model: Any, info: dict[str, str]) -> None:
        super().__init__(
            spec,
            tokenizer,
            info,
            cap=output_cap(model.config.to_dict(), spec.generation.max_new_tokens),
        )
        self.model = model

    def run_batches(
        self,
        texts: Sequence[str],
        plan: list[list[int]],
        bounds: Sequence[int],
        mins: Sequence[int],
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        import torch

        results = [""] * len(texts)
        for batch in plan:
            encoded = self.tokenizer(
                [texts[i] for i in batch], return_tensors="pt", padding=True, truncation=False
            ).to(self.model.device)
            settings = generation_kwargs(
                self.spec.generation,
                max(bounds[i] for i in batch),
                min(mins[i] for i in batch),
            )
            try:
                with torch.inference_mode():
                    output = self.model.generate(**encoded, **settings)
            except (IndexError, ValueError) as e:
                # A token id past the embedding, a config value generate refuses: the
                # model's files do not belong together. Not a bug of ours; say which model.
                raise ModelError(
                    f"the {self.spec.role} {self.spec.label} failed while generating "
                    f"({first_line(e)}); its config.json, weights and tokenizer may not "
                    "belong together: download it again, or use another model"
                ) from None
            for row, i in enumerate(batch):
                # the decoder start token, then at most this text's own bound
                results[i] = self.decode(output[row][: 1 + bounds[i]])
            if on_batch is not None:
                on_batch(batch)
        return results


def generation_kwargs(settings: GenerationSettings, max_new: int, min_new: int) -> dict[str, Any]:
    """generate() keyword arguments for one batch."""
    kwargs: dict[str, Any] = {
        "num_beams": settings.num_beams,
        "max_new_tokens": max_new,
        "min_new_tokens": min(min_new, max_new),
        "do_sample": False,
        "max_length": None,
    }
    if settings.num_beams > 1:
        kwargs["length_penalty"] = settings.length_penalty
        kwargs["early_stopping"] = True
    if settings.no_repeat_ngram_size > 0:
        kwargs["no_repeat_ngram_size"] = settings.no_repeat_ngram_size
    if settings.repetition_penalty != 1.0:
        kwargs["repetition_penalty"] = settings.repetition_penalty
    return kwargs
