"""Finding and checking model files: the Hugging Face cache, downloads, and what a model
directory must hold before anything loads it (config, tokenizer, safetensors weights).

Every failure becomes a ModelError that names the model, the file, and the way out.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.backends.reach import (
    OFFLINE,
    bound_hub_requests,
    hub_offline,
    hub_unreachable,
    not_available,
    unreachable,
)
from summarize.errors import ModelError, first_line
from summarize.fileio import NotRegularFile, TooLarge, read_regular
from summarize.guarded import file_kind
from summarize.registry import ModelSpec

log = logging.getLogger("summarize")

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
# Architectures made only for translation: never a summarizer.
TRANSLATION_TYPES = frozenset({"marian", "fsmt", "m2m_100", "nllb-moe"})
# Architectures whose public checkpoints summarize or generate in one language (mT5 and BART
# fine-tunes such as mT5-XLSum and AraBART, PEGASUS, LED…): never a translator, unless the
# config says it translates (a "translation…" entry in task_specific_params). mBART and T5,
# whose checkpoints do translate, are not in the list.
NOT_TRANSLATION_TYPES = frozenset(
    {
        "bart", "bigbird_pegasus", "blenderbot", "blenderbot-small", "led", "longt5", "mt5",
        "pegasus", "pegasus_x", "prophetnet", "umt5",
    }
)  # fmt: skip


def _not_available(spec: ModelSpec, why: str, *, pulling: bool = False) -> ModelError:
    return not_available([spec], why, pulling=pulling)


def missing_models(specs: Sequence[ModelSpec], *, offline: bool, pulling: bool = False) -> None:
    """Raise not_available for the hub models of SPECS that are not cached, when they cannot
    be downloaded now (offline, or the hub unreachable or silent): all of them in one error,
    before any download. Local directories are checked later. PULLING: for `models pull`."""
    missing = [s for s in specs if s.path is None and cache_status(s) != "yes"]
    if not missing:
        return
    why = OFFLINE if offline else hub_unreachable(missing[0])
    if why is not None:
        raise not_available(missing, why if offline else unreachable(why), pulling=pulling)


def download_patterns(allow_pickle: bool) -> list[str]:
    return ALLOW_PATTERNS + (PICKLE_PATTERNS if allow_pickle else [])


def local_directory(spec: ModelSpec, *, offline: bool, allow_pickle: bool) -> Path:
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
                    allow_patterns=download_patterns(allow_pickle),
                    local_files_only=True,
                )
            )
        )
    except (LocalEntryNotFoundError, OSError, ValueError):
        if offline:
            raise _not_available(spec, OFFLINE) from None
    return download(spec, allow_pickle=allow_pickle)


def download(spec: ModelSpec, *, allow_pickle: bool = False, pulling: bool = False) -> Path:
    """Download SPEC's files into the Hugging Face cache (what `models pull` does, PULLING)."""
    if spec.path is not None:
        return spec.path
    if hub_offline():
        raise _not_available(spec, OFFLINE, pulling=pulling)
    why = hub_unreachable(spec)
    if why is not None:
        raise _not_available(spec, unreachable(why), pulling=pulling)
    from huggingface_hub import snapshot_download

    bound_hub_requests()

    patterns = download_patterns(allow_pickle)
    log.info("downloading %s@%s", spec.hub_id, spec.revision or "main")
    try:
        return Path(
            str(
                snapshot_download(str(spec.hub_id), revision=spec.revision, allow_patterns=patterns)
            )
        )
    except Exception as e:  # network errors come in many classes; all mean the same here
        why = first_line(e)[:160] or type(e).__name__
        raise _not_available(spec, f"the download failed ({why})", pulling=pulling) from None


def cache_status(spec: ModelSpec) -> str:
    """'yes', 'partial' or 'no': whether SPEC's config and weights are in the local HF cache
    ('built in' for the extractive summarizer, which has none)."""
    if spec.builtin:
        return "built in"
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


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, as the hub client finds it (HF_HUB_CACHE, HF_HOME, XDG),
    read now rather than when the client was imported."""
    chosen = os.environ.get("HF_HUB_CACHE")
    if chosen:
        return Path(chosen).expanduser()
    hf_home = os.environ.get("HF_HOME")
    if hf_home:
        return Path(hf_home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface" / "hub"


def cache_folder(spec: ModelSpec) -> Path | None:
    """SPEC's folder in the hub cache (every revision of its repository), or None for a local
    directory. It may not exist."""
    if spec.path is not None or spec.hub_id is None:
        return None
    return hub_cache_dir() / ("models--" + "--".join(spec.hub_id.split("/")))


def size_on_disk(path: Path) -> int:
    """Bytes used by the files under PATH (links not followed, so each blob counts once)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if not os.path.islink(os.path.join(root, name)):
                total += info.st_size
    return total


def check_directory(directory: Path, spec: ModelSpec, allow_pickle: bool) -> dict[str, Any]:
    """Check a model directory before loading it; return its config. Errors name the file."""
    config_path = directory / "config.json"
    if not config_path.exists():  # anything else there (a FIFO, a folder) read_json refuses
        raise ModelError(
            f"{directory} has no config.json, so it is not a transformers model directory"
        )
    config = read_json(config_path)
    model_type = config.get("model_type")
    if model_type not in SEQ2SEQ_TYPES:
        arch = ", ".join(config.get("architectures") or []) or f"model_type {model_type!r}"
        raise ModelError(
            f"{directory} holds a {arch} ({config_path.name}: architectures, model_type), "
            f"which cannot generate text; the {spec.role} must be {SEQ2SEQ_HINT}"
        )
    if spec.role == "summarizer" and model_type in TRANSLATION_TYPES:
        raise ModelError(
            f"{directory} holds a {model_type} model, which translates; --summarizer needs a "
            "summarization model such as mT5 or BART (a translator goes to --translator)"
        )
    if spec.role == "translator" and not _translates(config):
        raise ModelError(
            f"{directory} holds a model of type {model_type}, which summarizes rather than "
            "translates; "
            "--translator needs a translation model such as MarianMT (opus-mt-ar-en) "
            "(a summarizer goes to --summarizer)"
        )
    if not any(model_file(directory / f) for f in TOKENIZER_FILES):
        raise ModelError(
            f"{directory} has no tokenizer files (expected tokenizer.json, "
            "source.spm/target.spm/vocab.json for MarianMT, or spiece.model for mT5)"
        )
    if model_type == "marian" and not model_file(directory / "tokenizer.json"):
        missing = [f for f in MARIAN_FILES if not model_file(directory / f)]
        if missing:
            raise ModelError(
                f"{directory} is a MarianMT model without {', '.join(missing)} "
                f"(its tokenizer needs {', '.join(MARIAN_FILES)})"
            )
    weights_to_load(directory, allow_pickle)
    return config


def model_file(path: Path) -> bool:
    """Whether the model file PATH is there: True for a regular file (a link to one
    included), False when nothing has that name. Anything else by that name (a FIFO, a
    socket, a device, a folder, a link to nothing) is a ModelError that says what it is: a
    FIFO named vocab.json was reported as a MarianMT model without vocab.json."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise ModelError(
                f"{path} is a link to a file that does not exist; download the model "
                "again, or replace the link with the file"
            ) from None
        return False
    except OSError as e:
        raise ModelError(f"cannot read {path}: {e.strerror or e}") from None
    if stat.S_ISREG(mode):
        return True
    raise ModelError(
        f"{path} is {file_kind(mode)}, not a regular file; replace it with the model's file"
    )


def _translates(config: dict[str, Any]) -> bool:
    """Whether a model of CONFIG may be a translator: not of an architecture whose checkpoints
    summarize, unless its task_specific_params name a translation task."""
    if config.get("model_type") not in NOT_TRANSLATION_TYPES:
        return True
    tasks = config.get("task_specific_params")
    return isinstance(tasks, dict) and any(str(k).startswith("translation") for k in tasks)


# The weights files transformers loads, in its order of preference: safetensors (one file, or
# shards listed in an index), then pickle. Any other name (x.safetensors) is never loaded.
SAFETENSORS_FILE = "model.safetensors"
SAFETENSORS_INDEX = "model.safetensors.index.json"
PICKLE_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")


def weights_to_load(directory: Path, allow_pickle: bool) -> list[Path]:
    """The weights files that loading DIRECTORY will read, checked; pickle refused unless
    ALLOW_PICKLE.

    The check is on what transformers picks, not on whether some *.safetensors file lies in
    the folder: a folder holding x.safetensors beside pytorch_model.bin passed the old check,
    and the loader then read the pickle. Loaders pass use_safetensors=True unless pickle is
    allowed, and the CTranslate2 converter, which passes nothing, prefers model.safetensors.
    """
    single, index = directory / SAFETENSORS_FILE, directory / SAFETENSORS_INDEX
    if model_file(single):
        check_safetensors(single)
        return [single]
    if model_file(index):
        shards = _index_shards(index)
        for shard in shards:
            check_safetensors(shard)
        return shards
    pickles = [directory / name for name in PICKLE_FILES if model_file(directory / name)]
    if not pickles:
        others = sorted(p.name for p in directory.glob("*.safetensors"))
        also = (
            f"; {', '.join(others)} is not a name transformers loads (rename to {SAFETENSORS_FILE})"
            if others
            else ""
        )
        raise ModelError(f"{directory} has no weights (expected {SAFETENSORS_FILE}){also}")
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
    return pickles


def _index_shards(index: Path) -> list[Path]:
    """The shard files a safetensors index names, each a plain file name in its folder."""
    data = read_json(index)
    weight_map = data.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise ModelError(f"{index} has no weight_map; download the model again")
    shards = []
    for name in sorted({str(v) for v in weight_map.values()}):
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise ModelError(f"{index} names a shard outside its folder: {name!r}")
        shard = index.parent / name
        if not model_file(shard):
            raise ModelError(f"{index} names {name}, which is missing; download the model again")
        shards.append(shard)
    return shards


# config.json, tokenizer_config.json and safetensors indexes are small; tokenizer.json of a
# large vocabulary runs to tens of megabytes.
MAX_JSON_BYTES = 256 << 20


def read_json(path: Path) -> dict[str, Any]:
    """A model folder's JSON file as an object, or a ModelError that names the file. A FIFO,
    a device or a huge file is never read; nesting deeper than Python's stack is an error of
    the file, not a crash."""
    try:
        data = json.loads(read_regular(path, MAX_JSON_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path} is missing") from None
    except (NotRegularFile, TooLarge) as e:
        raise ModelError(f"{path} {e.strerror}; not a model file") from None
    except OSError as e:
        raise ModelError(f"cannot read {path}: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelError(f"{path} is not valid JSON: {e}") from None
    except (ValueError, RecursionError):
        raise ModelError(
            f"{path} is not usable JSON (nested too deeply, or a huge number)"
        ) from None
    if not isinstance(data, dict):
        raise ModelError(f"{path} is not a JSON object")
    return data


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
    except (ValueError, RecursionError):  # 200,000 nested arrays, a 5,000-digit number
        raise corrupt("its header is nested too deeply or holds a huge number") from None
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
