"""Backends: what runs a model. One small protocol, a registry keyed by name, one module each.

A backend loads a model (a ``ModelSpec``) and gives back a :class:`Model`: something that counts
tokens and generates for a batch of texts. The pipeline knows nothing else about it. Built-in
backends are ``transformers`` (the reference path) and ``ctranslate2`` (the fast one); tests and
plugins add their own with :func:`register_backend`, exactly as the built-ins are registered.

``auto`` (the default) runs a model with CTranslate2 when its architecture is one CTranslate2
runs here (MarianMT, mT5, BART) and with transformers otherwise; :func:`run_settings` says,
before anything loads, which backend, device and precision a model will run with.

Nothing here imports torch, transformers or ctranslate2: each backend module imports its
library when a model is loaded, so ``--help`` stays instant.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from summarize.backends.model import PRECISIONS, LoadOptions, Model, Precision, auto_precision
from summarize.errors import ModelError, UsageError
from summarize.registry import ModelSpec

__all__ = [
    "BACKEND_CHOICES",
    "PRECISIONS",
    "LoadOptions",
    "Loader",
    "Model",
    "Precision",
    "RunSettings",
    "backend_names",
    "check_available",
    "choose_backend",
    "load_model",
    "loads_quickly",
    "register_backend",
    "run_settings",
]

Loader = Callable[[ModelSpec, LoadOptions], Model]

# name -> "module:function" (imported on first use) or the loader itself
_BACKENDS: dict[str, str | Loader] = {
    "transformers": "summarize.backends.transformers:load",
    "ctranslate2": "summarize.backends.ctranslate2:load",
}
# backends that read model files from a directory or the Hugging Face cache
_READS_FILES = {"transformers", "ctranslate2"}
#: What ``--backend`` accepts besides registered names: ``auto`` picks per model.
BACKEND_CHOICES = ("auto", "transformers", "ctranslate2")
#: The architectures ``auto`` gives to CTranslate2: those its converter takes *and* this
#: backend runs exactly as transformers does (tests/test_backends.py checks each). Others the
#: converter takes (mBART-50, M2M100, NLLB) need a target-language prefix this backend does
#: not pass; they run with transformers unless ``--backend ctranslate2`` is asked for.
CTRANSLATE2_TYPES = frozenset({"marian", "mt5", "bart"})


def register_backend(name: str, loader: Loader, *, reads_files: bool = False) -> None:
    """Make LOADER the backend NAME (a plugin, or a test's fake). Replaces one of that name.

    READS_FILES: the backend loads models from their directory or the Hugging Face cache, so
    missing models are reported (all of them at once) before any loading starts.
    """
    _BACKENDS[name] = loader
    (_READS_FILES.add if reads_files else _READS_FILES.discard)(name)


def unregister_backend(name: str) -> None:
    """Remove a backend registered with :func:`register_backend` (tests clean up with it)."""
    _BACKENDS.pop(name, None)


def backend_names() -> list[str]:
    return list(_BACKENDS)


def _loader(name: str) -> Loader:
    entry = _BACKENDS.get(name)
    if entry is None:
        raise UsageError(f"unknown backend '{name}'; known: {', '.join(['auto', *_BACKENDS])}")
    if isinstance(entry, str):
        module, _, function = entry.partition(":")
        loader: Loader = getattr(importlib.import_module(module), function)
        return loader
    return entry


def model_type(spec: ModelSpec) -> str | None:
    """SPEC's ``model_type`` from its config.json on disk (its directory, or the Hugging Face
    cache at its revision); None when its files are not here yet. Never touches the network."""
    path: Path | None = None
    if spec.path is not None:
        path = spec.path / "config.json"
    elif spec.hub_id is not None:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(spec.hub_id, "config.json", revision=spec.revision)
        path = Path(found) if isinstance(found, str) else None
    if path is None:
        return None
    from summarize.backends.hub import read_json  # never reads a FIFO, a device, a huge file

    try:
        config = read_json(path)
    except ModelError:
        return None  # the backend's own checks then name the file and what is wrong
    kind = config.get("model_type")
    return kind if isinstance(kind, str) else None


def choose_backend(spec: ModelSpec, options: LoadOptions) -> str:
    """The backend that runs SPEC: the one asked for, or for ``auto`` the fastest that can.

    ``auto`` is ctranslate2 for the architectures in CTRANSLATE2_TYPES (and for a model whose
    files are not here yet: :func:`load_model` decides again once they are), transformers for
    every other one, and wherever the ctranslate2 package cannot be imported.
    """
    if options.backend != "auto":
        return options.backend
    if spec.builtin or importlib.util.find_spec("ctranslate2") is None:
        return "transformers"
    kind = model_type(spec)
    return "ctranslate2" if kind is None or kind in CTRANSLATE2_TYPES else "transformers"


@dataclass(frozen=True)
class RunSettings:
    """What runs a model, made concrete: never ``auto``."""

    backend: str
    device: str
    precision: str


def _cuda_available(backend: str) -> bool:
    if backend == "ctranslate2":
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count()) > 0
    import torch

    return bool(torch.cuda.is_available())


def run_settings(spec: ModelSpec, options: LoadOptions) -> RunSettings:
    """The backend, device and precision SPEC will run with under OPTIONS, decided as the
    backends decide them, without loading anything: what a batch's or an evaluation's
    fingerprint records, so that a rerun never reuses an output made another way. A
    registered backend of another name decides its own device and precision; they are
    recorded as given; a built-in summarizer runs no model."""
    if spec.builtin:
        return RunSettings("built-in", "cpu", "none")
    backend = choose_backend(spec, options)
    if backend not in ("transformers", "ctranslate2"):
        return RunSettings(backend, options.device, options.precision)
    device = options.device
    if device == "auto":
        device = "cuda" if _cuda_available(backend) else "cpu"
    precision = auto_precision(options.precision, device)
    if backend == "transformers" and options.precision == "auto" and precision == "int8":
        from summarize.backends.transformers import dynamic_quantization

        if dynamic_quantization() is None:
            precision = "fp32"  # as the backend decides: this torch cannot quantize
    return RunSettings(backend, device, precision)


def loads_quickly(spec: ModelSpec, options: LoadOptions) -> bool:
    """Whether loading SPEC now is quick and light enough to run beside another load: a
    CTranslate2 model converted already (a fraction of a second, no torch or transformers).
    Any other load is serialized with the rest anyway (transformers' loading is not
    thread-safe), and a first-use conversion takes minutes: both are loaded in the foreground."""
    options = options.resolved()
    if spec.builtin or choose_backend(spec, options) != "ctranslate2":
        return False
    from summarize.backends.ctranslate2 import converted_already

    return converted_already(spec, options)


def check_available(specs: Sequence[ModelSpec], options: LoadOptions) -> None:
    """Raise one ModelError naming every model of SPECS that cannot be had now (not cached,
    and offline or the hub unreachable), before any of them loads. Built-in summarizers
    (the extractive one) have no files and are always available."""
    from summarize.backends.hub import missing_models

    options = options.resolved()
    wanted = [s for s in specs if not s.builtin and choose_backend(s, options) in _READS_FILES]
    missing_models(wanted, offline=options.offline)


def load_model(spec: ModelSpec, options: LoadOptions) -> Model:
    """Load SPEC with the backend OPTIONS name (``auto``: chosen per model)."""
    if spec.builtin:
        raise ModelError(f"'{spec.name}' is a built-in {spec.kind} summarizer: no model to load")
    from summarize.threads import quiet_openmp

    quiet_openmp()  # before torch or ctranslate2 is first imported (a library caller's first load)
    options = options.resolved()
    if options.backend == "auto" and spec.path is None and model_type(spec) is None:
        # Not downloaded yet: fetch it now, so that auto sees its architecture.
        from summarize.backends.hub import local_directory

        local_directory(spec, offline=options.offline, allow_pickle=options.allow_pickle)
    name = choose_backend(spec, options)
    model = _loader(name)(spec, options)
    if not model.info.get("backend"):
        raise ModelError(f"backend '{name}' returned a model without info['backend']")
    return model
