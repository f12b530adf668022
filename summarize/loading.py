"""Finding, checking and loading models; the transformers backend.

Every model is first made a local directory (a given one, or a snapshot in the Hugging Face
cache), then checked (config, tokenizer files, safetensors weights, a seq2seq architecture),
then loaded. Each failure becomes a ModelError that names the model, the file, and the way out.
torch and transformers are imported inside functions, so `--help` stays instant.
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

from summarize.errors import ModelError
from summarize.registry import GenerationSettings, ModelSpec

log = logging.getLogger("summarize")

Precision = Literal["fp32", "int8"]
Backend = Literal["transformers", "ctranslate2"]

# What a pull downloads: configs, tokenizers and safetensors; never TF, Flax, ONNX or pickle.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "tokenizer*"]
PICKLE_PATTERNS = ["*.bin"]
TOKENIZER_FILES = (
    "tokenizer.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "source.spm",
    "vocab.json",
)
SEQ2SEQ_HINT = "a sequence-to-sequence model such as MarianMT, mT5 or BART"
# The text-to-text model types of transformers' AutoModelForSeq2SeqLM. Listed here because
# importing that mapping imports torch, which the CTranslate2 path otherwise never needs.
SEQ2SEQ_TYPES = frozenset(
    {
        "bart", "bigbird_pegasus", "blenderbot", "blenderbot-small", "encoder-decoder", "fsmt",
        "led", "longt5", "m2m_100", "marian", "mbart", "mt5", "mvp", "nllb-moe", "pegasus",
        "pegasus_x", "plbart", "prophetnet", "switch_transformers", "t5", "t5gemma", "umt5",
    }
)  # fmt: skip
MARIAN_FILES = ("source.spm", "target.spm", "vocab.json")


@dataclass(frozen=True)
class LoadOptions:
    """How models are loaded; the same for every model in one run."""

    device: str = "auto"
    precision: Precision = "fp32"
    backend: Backend = "transformers"
    allow_pickle: bool = False
    offline: bool = False
    threads: int | None = None


class Seq2Seq(Protocol):
    """What the pipeline needs of a model: count tokens, and generate for a batch of texts."""

    spec: ModelSpec
    info: dict[str, str]

    def count_tokens(self, text: str) -> int: ...

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
    ) -> list[str]: ...


def quiet_libraries() -> None:
    """Keep transformers' and the hub's progress bars and advice out of our output."""
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import huggingface_hub.utils
    import transformers.utils.logging as tlog

    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # retries and advice
    tlog.set_verbosity_error()  # type: ignore[no-untyped-call]
    tlog.disable_progress_bar()  # type: ignore[no-untyped-call]
    huggingface_hub.utils.disable_progress_bars()  # type: ignore[attr-defined]
    warnings.filterwarnings("ignore", module="transformers")
    # torch 2.13 deprecates the quantized tensors that dynamic int8 quantization creates.
    warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)


def _not_available(spec: ModelSpec, why: str) -> ModelError:
    return ModelError(
        f"model '{spec.name}' ({spec.hub_id}@{(spec.revision or 'main')[:12]}) is not in the local "
        f"cache and {why}; run `summarize models pull {spec.name}` on a connected machine "
        f"(then copy the cache, HF_HOME), or pass a local directory with --{spec.role} DIR"
    )


OFFLINE = "offline mode is on (HF_HUB_OFFLINE or --offline)"


def hub_offline() -> bool:
    """Whether HF_HUB_OFFLINE is set (the CLI's --offline sets it too)."""
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def download_patterns(allow_pickle: bool) -> list[str]:
    return ALLOW_PATTERNS + (PICKLE_PATTERNS if allow_pickle else [])


def local_directory(spec: ModelSpec, options: LoadOptions) -> Path:
    """The local directory holding SPEC: the given one, or its snapshot in the HF cache."""
    if spec.path is not None:
        if not spec.path.is_dir():
            raise ModelError(f"model directory {spec.path} does not exist")
        return spec.path
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(
            str(
                snapshot_download(
                    str(spec.hub_id),
                    revision=spec.revision,
                    allow_patterns=download_patterns(options.allow_pickle),
                    local_files_only=True,
                )
            )
        )
    except (LocalEntryNotFoundError, OSError, ValueError):
        if options.offline:
            raise _not_available(spec, OFFLINE) from None
    return download(spec, allow_pickle=options.allow_pickle)


def hub_unreachable(timeout: float = 3.0) -> str | None:
    """Why the hub cannot be reached, or None. A quick TCP probe, so that a machine with no
    network fails in seconds instead of after the hub client's minute of retries.
    Behind a proxy the probe proves nothing, so it is skipped."""
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return None
    import socket
    from urllib.parse import urlparse

    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    try:
        socket.create_connection((host, url.port or 443), timeout=timeout).close()
    except OSError as e:
        return f"{host}: {e.strerror or e}"
    return None


def download(spec: ModelSpec, *, allow_pickle: bool = False) -> Path:
    """Download SPEC's files into the Hugging Face cache (what `models pull` does)."""
    if spec.path is not None:
        return spec.path
    if hub_offline():
        raise _not_available(spec, OFFLINE)
    why = hub_unreachable()
    if why is not None:
        raise _not_available(spec, f"the hub cannot be reached ({why})")
    from huggingface_hub import snapshot_download

    patterns = download_patterns(allow_pickle)
    log.info("downloading %s@%s", spec.hub_id, spec.revision or "main")
    try:
        return Path(
            str(
                snapshot_download(str(spec.hub_id), revision=spec.revision, allow_patterns=patterns)
            )
        )
    except Exception as e:  # network errors come in many classes; all mean the same here
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise _not_available(spec, f"the hub cannot be reached ({first[:160]})") from None


def cache_status(spec: ModelSpec) -> str:
    """'yes', 'partial' or 'no': whether SPEC's config and weights are in the local HF cache."""
    if spec.path is not None:
        return "local" if spec.path.is_dir() else "missing"
    from huggingface_hub import try_to_load_from_cache

    def cached(name: str) -> bool:
        return isinstance(
            try_to_load_from_cache(str(spec.hub_id), name, revision=spec.revision), str
        )

    if not cached("config.json"):
        return "no"
    has_weights = cached("model.safetensors") or cached("model.safetensors.index.json")
    return "yes" if has_weights else "partial"


def check_directory(directory: Path, spec: ModelSpec, allow_pickle: bool) -> dict[str, Any]:
    """Check a model directory before loading it; return its config. Errors name the file."""
    config_path = directory / "config.json"
    if not config_path.is_file():
        raise ModelError(
            f"{directory} has no config.json, so it is not a transformers model directory"
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelError(f"{config_path} is not valid JSON: {e}") from None
    if not isinstance(config, dict):
        raise ModelError(f"{config_path} is not a JSON object")
    model_type = config.get("model_type")
    if model_type not in SEQ2SEQ_TYPES:
        arch = ", ".join(config.get("architectures") or []) or f"model_type {model_type!r}"
        raise ModelError(
            f"{directory} holds a {arch} ({config_path.name}: architectures, model_type), "
            f"which cannot generate text; the {spec.role} must be {SEQ2SEQ_HINT}"
        )
    if not any((directory / f).is_file() for f in TOKENIZER_FILES):
        raise ModelError(
            f"{directory} has no tokenizer files (expected tokenizer.json, "
            "source.spm/target.spm/vocab.json for MarianMT, or spiece.model for mT5)"
        )
    if model_type == "marian" and not (directory / "tokenizer.json").is_file():
        missing = [f for f in MARIAN_FILES if not (directory / f).is_file()]
        if missing:
            raise ModelError(
                f"{directory} is a MarianMT model without {', '.join(missing)} "
                f"(its tokenizer needs {', '.join(MARIAN_FILES)})"
            )
    safetensors = list(directory.glob("*.safetensors"))
    for weights in safetensors:
        check_safetensors(weights)
    pickles = list(directory.glob("pytorch_model*.bin"))
    if not safetensors:
        if not pickles:
            raise ModelError(f"{directory} has no weights (expected model.safetensors)")
        if not allow_pickle:
            raise ModelError(
                f"{directory} has only pickle weights ({pickles[0].name}); loading pickle can run "
                "arbitrary code. Pin a revision with model.safetensors, convert the weights, or pass "
                "--allow-pickle if you trust the source"
            )
        log.warning(
            "loading pickle weights from %s because --allow-pickle was given; "
            "pickle can run code, so only do this for sources you trust",
            pickles[0],
        )
    return config


def check_safetensors(path: Path) -> None:
    """Refuse a safetensors file whose header is garbage or whose data is cut short.

    Reads only the header: an 8-byte length, then JSON naming each tensor's byte range.
    A download cut short or an overwritten file is caught here with the file's name.
    """

    def corrupt(why: str) -> ModelError:
        return ModelError(
            f"{path} is corrupt ({why}); download the model again, or replace the file"
        )

    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
            if len(head) < 8:
                raise corrupt("shorter than a safetensors header")
            length = int.from_bytes(head, "little")
            if length > min(size - 8, 100_000_000):
                raise corrupt("its header length is not plausible; not a safetensors file?")
            header = json.loads(f.read(length))
    except OSError as e:
        raise ModelError(f"cannot read {path}: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise corrupt("its header is not valid JSON") from None
    if not isinstance(header, dict):
        raise corrupt("its header is not a JSON object")
    data_size = size - 8 - length
    for name, info in header.items():
        if name == "__metadata__":
            continue
        offsets = info.get("data_offsets") if isinstance(info, dict) else None
        if (
            not isinstance(offsets, list)
            or len(offsets) != 2
            or not all(isinstance(o, int) for o in offsets)
        ):
            raise corrupt(f"tensor {name!r} has no valid data_offsets")
        if offsets[1] > data_size:
            raise corrupt(f"truncated: tensor {name!r} ends past the end of the file")


def load_tokenizer(directory: Path) -> Any:
    """The directory's tokenizer, by the class its tokenizer_config.json names.

    Loading the named class directly keeps torch out of the process (AutoTokenizer imports
    it), which saves seconds of start-up on the CTranslate2 path.
    """
    import transformers

    cls: Any = None
    try:
        named = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
        cls = getattr(transformers, str(named.get("tokenizer_class")), None)
    except (OSError, ValueError, AttributeError):
        pass
    if cls is None:
        cls = transformers.AutoTokenizer
    try:
        return cls.from_pretrained(str(directory), local_files_only=True, trust_remote_code=False)
    except Exception as e:
        raise ModelError(f"cannot load the tokenizer in {directory}: {first_line(e)}") from None


def output_cap(config: dict[str, Any], requested: int) -> int:
    """The most new tokens a model can produce: models with absolute positions (Marian, BART)
    have max_position_embeddings decoder positions, and the start token takes one."""
    positions = config.get("max_position_embeddings")
    if isinstance(positions, int) and positions > 1:
        return min(requested, positions - 1)
    return requested


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelError(
            "--device cuda was given, but no CUDA device is available; use cpu or auto"
        )
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise ModelError(f"unknown device '{device}'; use auto, cpu or cuda")
    return device


@cache
def load_model(spec: ModelSpec, options: LoadOptions) -> Seq2Seq:
    """Load SPEC once per process with the chosen backend."""
    quiet_libraries()
    directory = local_directory(spec, options)
    config = check_directory(directory, spec, options.allow_pickle)
    if options.backend == "ctranslate2":
        from summarize.fast import load_ctranslate2

        return load_ctranslate2(spec, directory, config, options)
    return TransformersModel.load(spec, directory, options)


class TransformersModel:
    """A transformers seq2seq model: batched, length-sorted generation under inference_mode."""

    # A batch holds at most this many sentences, and this many padded input tokens.
    max_batch = 32
    max_batch_tokens = 4096

    def __init__(self, spec: ModelSpec, tokenizer: Any, model: Any, info: dict[str, str]) -> None:
        self.spec = spec
        self.tokenizer = tokenizer
        self.model = model
        self.info = info
        self.cap = output_cap(model.config.to_dict(), spec.generation.max_new_tokens)

    @classmethod
    def load(cls, spec: ModelSpec, directory: Path, options: LoadOptions) -> TransformersModel:
        import torch
        from transformers import AutoModelForSeq2SeqLM

        device = resolve_device(options.device)
        torch.set_num_threads(options.threads or os.cpu_count() or 1)
        started = time.perf_counter()
        tokenizer = load_tokenizer(directory)
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(
                str(directory),
                local_files_only=True,
                trust_remote_code=False,
                use_safetensors=not options.allow_pickle,
            )
        except Exception as e:
            raise ModelError(f"cannot load the weights in {directory}: {first_line(e)}") from None
        model.eval()
        if options.precision == "int8":
            if device != "cpu":
                raise ModelError("--precision int8 runs on the CPU only; use --device cpu")
            # torch has deprecated torch.ao.quantization; where it is gone, say what works.
            quantize = getattr(getattr(torch.ao, "quantization", None), "quantize_dynamic", None)
            if quantize is None:
                raise ModelError(
                    f"this torch ({torch.__version__}) has no dynamic int8 quantization; "
                    "use --backend ctranslate2 --precision int8 (pip install 'summarize[fast]')"
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                model = quantize(model, {torch.nn.Linear}, dtype=torch.qint8)
        model.to(device)
        info = {
            "backend": "transformers",
            "device": device,
            "precision": options.precision,
            "load_seconds": f"{time.perf_counter() - started:.2f}",
        }
        return cls(spec, tokenizer, model, info)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for TEXT, special tokens included."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
    ) -> list[str]:
        """Generate for every text, in batches of similar length; results in input order."""
        import torch

        results = [""] * len(texts)
        lengths = [self.count_tokens(t) for t in texts]
        max_new_tokens = [min(m, self.cap) for m in max_new_tokens]
        mins = list(min_new_tokens) if min_new_tokens is not None else [0] * len(texts)
        plan = plan_batches(lengths, self.max_batch, self.max_batch_tokens, max_new_tokens)
        for batch in plan:
            encoded = self.tokenizer(
                [texts[i] for i in batch], return_tensors="pt", padding=True, truncation=False
            ).to(self.model.device)
            settings = generation_kwargs(
                self.spec.generation,
                max(max_new_tokens[i] for i in batch),
                min(mins[i] for i in batch),
            )
            with torch.inference_mode():
                output = self.model.generate(**encoded, **settings)
            for row, i in enumerate(batch):
                # the decoder start token, then at most this text's own bound
                ids = output[row][: 1 + max_new_tokens[i]]
                results[i] = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
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


def plan_batches(
    lengths: Sequence[int],
    max_batch: int,
    max_tokens: int,
    bounds: Sequence[int] | None = None,
    min_bound_ratio: float = 0.8,
) -> list[list[int]]:
    """Group indices into batches of similar length (longest first) within the budgets.

    Sorting by length keeps padding small; the token budget bounds memory per batch. A batch
    decodes until its longest output bound, so with BOUNDS a new batch starts when a text's
    bound falls below MIN_BOUND_RATIO of the batch's first: short sentences are never carried
    to a long sentence's length (a sentence that does not stop early would cost that much).
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], -(bounds[i] if bounds else 0)))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current:
            first = current[0]
            full = len(current) >= max_batch or lengths[first] * (len(current) + 1) > max_tokens
            drop = bounds is not None and bounds[i] < min_bound_ratio * bounds[first]
            if full or drop:
                batches.append(current)
                current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def first_line(e: BaseException) -> str:
    text = str(e).strip()
    return (text.splitlines()[0] if text else type(e).__name__)[:300]
