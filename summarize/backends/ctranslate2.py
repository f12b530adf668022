"""The CTranslate2 backend, the default (``--backend auto``) for MarianMT, mT5 and BART.

The model is converted once (see ``conversion``), int8 on the CPU. Its vocabulary map restricts
the output layer to the pieces an output can use, where that pays (see :data:`VMAP`). Threads
follow ``summarize.threads``: one-thread workers for a translator's many small batches, one
worker with every thread for a summarizer's one batch. Only ctranslate2 and the light
tokenizers (``tokenizers``, ``sentencepiece``) are imported to run a converted model: neither
torch nor, for the built-in models' layouts, transformers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.backends.base import TokenizedModel, check_device, output_cap
from summarize.backends.conversion import (
    QUANTIZATIONS,
    check_conversion,
    conversion_dir,
    ensure_converted,
    read_marker,
)
from summarize.backends.hub import check_directory, local_directory, read_json
from summarize.backends.model import BatchDone, LoadOptions, auto_precision
from summarize.backends.tokenizers import PieceTokenizer, load_pieces, quiet_hub
from summarize.cpus import cpu_settings
from summarize.errors import ModelError, SummarizeError, first_line
from summarize.registry import ModelSpec
from summarize.threads import plan_threads
from summarize.vmap import Script

__all__ = ["VMAP", "CTranslate2Model", "converted_already", "cpu_compute_type", "load"]

log = logging.getLogger("summarize")

#: The output script of each role: what its vocabulary map keeps.
SCRIPTS: dict[str, Script] = {"summarizer": "arabic", "translator": "latin"}
#: (role, model type) pairs whose decoding uses the vocabulary map (measured in
#: docs/performance.md): mT5's 250,112-row output layer is most of a decoding step, and
#: Marian's 62,834-row layer, of which the English side is about half, most of the rest.
#: AraBART's ~50k Arabic-centred vocabulary would lose little; not measured, so not used.
VMAP = frozenset({("summarizer", "mt5"), ("translator", "marian")})
#: A summarizer's batch holds at most six 512-token chunks. Every chunk is decoded with four
#: beams, each keeping its own attention state, so memory grows with the batch: a 5,000-word
#: article's map round in batches of eight chunks peaked at 1.44-1.54 GB, in batches of four at
#: 1.34 GB and no faster; a 1,000-word article (five chunks) was 10-20 % slower split in two.
SUMMARIZER_BATCH_TOKENS = 3072


def load(spec: ModelSpec, options: LoadOptions) -> CTranslate2Model:
    """Find, check, convert (first use only) and load SPEC with CTranslate2."""
    try:
        import ctranslate2
    except ImportError:
        raise ModelError(
            "--backend ctranslate2 needs the ctranslate2 package, which is not installed: "
            "pip install ctranslate2"
        ) from None
    quiet_hub()
    directory = local_directory(spec, offline=options.offline, allow_pickle=options.allow_pickle)
    config = check_directory(directory, spec, options.allow_pickle)
    started = time.perf_counter()
    device = check_device(options.device, lambda: ctranslate2.get_cuda_device_count() > 0)
    if device.startswith("cuda:"):
        raise ModelError(f"--backend ctranslate2 runs on cpu or cuda, not '{device}'")
    precision = auto_precision(options.precision, device)
    if precision == "fp16" and device == "cpu":
        raise ModelError("--precision fp16 runs on CUDA only; on the CPU use int8 (or fp32)")
    compute_type = cpu_compute_type(ctranslate2) if device == "cpu" else "int8_float16"
    compute_types = {"int8": compute_type, "fp16": "float16"}
    model_type = str(config.get("model_type"))
    script = SCRIPTS[spec.role]
    converted = ensure_converted(
        spec, directory, QUANTIZATIONS[precision], script=script, progress=options.progress
    )
    # A summarizer's map round is one batch: one worker with every thread. A translator's
    # sentences come in many small batches: one-thread workers that never wait on each other;
    # unless the caller knows its calls come one small batch at a time (a brief's lines).
    one_batch = spec.role == "summarizer" if options.one_batch is None else options.one_batch
    plan = plan_threads(options.threads, one_batch=one_batch, call_batches=options.call_batches)
    tokenizer = load_pieces(directory)

    def open_model() -> Any:
        return ctranslate2.Translator(
            str(converted),
            device=device,
            compute_type=compute_types.get(precision, "float32"),
            intra_threads=plan.intra,
            inter_threads=plan.inter,
        )

    try:
        model = open_model()
    except Exception as e:  # a damaged conversion whose files still have their sizes
        log.warning("cannot load %s (%s): converting again", converted, first_line(e)[:200])
        converted = ensure_converted(
            spec,
            directory,
            QUANTIZATIONS[precision],
            script=script,
            progress=options.progress,
            again=True,
        )
        try:
            model = open_model()
        except Exception as e:
            from summarize.backends.transformers import check_loadable

            check_loadable(directory)  # a folder that lies: name what is wrong with it
            raise ModelError(
                f"cannot load the CTranslate2 model in {converted}: {first_line(e)}; "
                "use --backend transformers for this model"
            ) from None
    marker = read_marker(converted) or {}
    use_vmap = (spec.role, model_type) in VMAP and marker.get("vmap") == script
    info = TokenizedModel.describe("ctranslate2", device, precision, started)
    info["threads"] = f"{plan.inter}x{plan.intra}"
    info["compute_type"] = compute_types.get(precision, "float32")
    info["vmap"] = "yes" if use_vmap else "no"
    loaded = CTranslate2Model(
        spec,
        tokenizer,
        model,
        info,
        forced_eos=_forced_eos(directory, config),
        cap=output_cap(config, spec.generation.max_new_tokens),
        workers=plan.inter,
        use_vmap=use_vmap,
    )
    loaded.batch_threads = plan.intra
    if spec.role == "summarizer":
        loaded.max_batch_tokens = SUMMARIZER_BATCH_TOKENS
    return loaded


def converted_already(spec: ModelSpec, options: LoadOptions) -> bool:
    """Whether SPEC is converted already for the device and precision OPTIONS give it: its
    load then reads the conversion and the light tokenizers only (neither torch nor
    transformers) and takes a fraction of a second."""
    try:
        import ctranslate2

        device = check_device(options.device, lambda: ctranslate2.get_cuda_device_count() > 0)
        directory = local_directory(spec, offline=True, allow_pickle=options.allow_pickle)
    except (ImportError, SummarizeError):
        return False
    quantization = QUANTIZATIONS.get(auto_precision(options.precision, device))
    if quantization is None:
        return False
    return check_conversion(conversion_dir(spec, directory, quantization)) is None


def cpu_compute_type(ctranslate2: Any) -> str:
    """The compute type an int8 model runs with on this CPU: its kind's measured row in
    summarize/cpus.toml (int8 where nothing was measured), if this CTranslate2 build has it."""
    wanted = cpu_settings().compute_type
    supported = ctranslate2.get_supported_compute_types("cpu")
    if wanted in supported:
        return wanted
    log.info("compute type %s is not available on this CPU; running int8", wanted)
    return "int8"


def _forced_eos(directory: Path, config: dict[str, Any]) -> bool:
    """Whether transformers ends every output with a forced </s> (Marian, BART).

    transformers spends the last of max_new_tokens on that </s>; CTranslate2 does not force
    it, so it is given one step fewer to produce the same text.
    """
    found = config.get("forced_eos_token_id")
    path = directory / "generation_config.json"
    if path.is_file():
        try:
            generation = read_json(path)  # bounded, and no crash on absurd nesting
        except ModelError:
            generation = {}
        if "forced_eos_token_id" in generation:
            found = generation["forced_eos_token_id"]
    return found is not None


class CTranslate2Model(TokenizedModel):
    """A CTranslate2 Translator behind the Model protocol; batches go to its workers at once."""

    # Tighter than transformers' 0.8: with several workers, small batches cost little.
    min_bound_ratio = 0.9

    def __init__(
        self,
        spec: ModelSpec,
        tokenizer: PieceTokenizer,
        model: Any,
        info: dict[str, str],
        *,
        forced_eos: bool = False,
        cap: int = 512,
        workers: int = 1,
        use_vmap: bool = False,
    ) -> None:
        super().__init__(spec, tokenizer, info, cap=cap)
        self.pieces = tokenizer
        self.model = model
        self.forced_eos = forced_eos
        self.concurrency = workers
        self.use_vmap = use_vmap

    def count_tokens(self, text: str) -> int:
        return len(self.pieces.tokens(text))

    def run_batches(
        self,
        texts: Sequence[str],
        plan: list[list[int]],
        bounds: Sequence[int],
        mins: Sequence[int],
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        """All batches are submitted at once: the model's workers take them in turn. A batch
        decodes to its longest bound; each output is then cut to its own bound."""
        settings = self.spec.generation
        reserved = 1 if self.forced_eos else 0  # the step transformers spends on </s>
        steps = [max(1, b - reserved) for b in bounds]
        pending = []
        for batch in plan:
            longest = max(steps[i] for i in batch)
            shortest = min(max(0, min(mins[i] for i in batch) - reserved), longest)
            futures = self.model.translate_batch(
                [self.pieces.tokens(texts[i]) for i in batch],
                beam_size=settings.num_beams,
                length_penalty=settings.length_penalty,
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                repetition_penalty=settings.repetition_penalty,
                max_decoding_length=longest,
                min_decoding_length=shortest,
                max_batch_size=0,
                use_vmap=self.use_vmap,
                asynchronous=True,
            )
            pending.append((batch, futures))
        results = [""] * len(texts)
        for batch, futures in pending:
            for i, future in zip(batch, futures, strict=True):
                tokens = future.result().hypotheses[0][: steps[i]]
                results[i] = self.pieces.detokenize(tokens)
            if on_batch is not None:
                on_batch(batch)
        return results
