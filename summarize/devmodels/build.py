"""What every builder shares: lazy torch and transformers, a build made aside and published
whole (a marker says what was built, so a build is reused), and saving a model."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarize.fileio import publish_directory

#: Bumped when builders change, so cached builds (bench) are rebuilt.
BUILDER_VERSION = 1
MARKER = "devmodel.json"

#: A logit shift that no real logit overcomes (kept finite: fp16/CTranslate2 friendly).
BANNED_LOGIT = -1e4


def _transformers() -> Any:
    """transformers, imported on first use (typed ``Any``: its signatures are not annotated)."""
    return importlib.import_module("transformers")


def _torch() -> Any:
    return importlib.import_module("torch")


# --------------------------------------------------------------------------- build plumbing


def _is_built(out_dir: Path, stamp: dict[str, Any]) -> bool:
    marker = out_dir / MARKER
    if not marker.is_file():
        return False
    try:
        return bool(json.loads(marker.read_text(encoding="utf-8")) == stamp)
    except ValueError:
        return False


def _build(
    kind: str, out_dir: Path, full_size: bool, seed: int, body: Callable[[Path], None]
) -> Path:
    """Run ``body`` in a scratch folder beside ``out_dir`` and move the result into place;
    reuse what is there when it was built with the same parameters."""
    out_dir = Path(out_dir)
    stamp = {"kind": kind, "full_size": full_size, "seed": seed, "version": BUILDER_VERSION}
    if _is_built(out_dir, stamp):
        return out_dir

    def build(scratch: Path) -> None:
        body(scratch)
        (scratch / MARKER).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")

    def ours(target: Path) -> bool:  # a stale build of ours, or an empty folder
        return (target / MARKER).is_file() or (target.is_dir() and not any(target.iterdir()))

    try:
        return publish_directory(out_dir, build, replace=ours)
    except FileExistsError:
        raise FileExistsError(
            f"{out_dir} exists and is not a demo model build; pick another folder"
        ) from None


def _save(model: Any, generation: dict[str, Any], out_dir: Path) -> None:
    tf = _transformers()
    model.generation_config = tf.GenerationConfig(
        decoder_start_token_id=model.config.decoder_start_token_id,
        eos_token_id=model.config.eos_token_id,
        pad_token_id=model.config.pad_token_id,
        **{
            k: v
            for k, v in model.config.to_dict().items()
            if k in ("bos_token_id", "forced_eos_token_id") and v is not None
        },
        **generation,
    )
    hf_logging = importlib.import_module("transformers.utils.logging")
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" would clutter test output
    try:
        model.save_pretrained(out_dir)  # safetensors: the 5.x default and only format
    finally:
        if bars:
            hf_logging.enable_progress_bar()
