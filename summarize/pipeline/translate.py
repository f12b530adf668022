"""Sentence-aligned translation: each sentence translated on its own, in one batched call.

Sentence by sentence is what the Marian maintainers recommend (transformers#3638): long inputs
drop sentences or overflow the 512 positions. A run-on sentence (over 80 words: bullet runs,
«،» chains) is cut at its strongest internal boundaries, and a piece longer than the translator's
window at «، ؛ :» (then words); the pieces' translations are joined: never silently truncated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from summarize.backends import Model
from summarize.chunking import RUN_ON_WORDS, split_for_models
from summarize.progress import ProgressFn, per_batch

__all__ = ["translate_sentences"]


def translate_sentences(
    model: Model, sentences: Sequence[str], progress: ProgressFn | None = None
) -> list[str]:
    """The English of each sentence, in order (empty where the model produced nothing)."""
    if not sentences:
        return []
    budget = model.spec.max_input_tokens
    pieces: list[str] = []
    owners: list[int] = []
    bounds: list[int] = []
    for i, sentence in enumerate(sentences):
        flat = " ".join(sentence.split())
        n = model.count_tokens(flat)
        short = n <= budget and len(flat.split()) <= RUN_ON_WORDS
        parts = [flat] if short else split_for_models(flat, model.count_tokens, budget)
        for part in parts:
            part = part.strip()
            if part:
                pieces.append(part)
                owners.append(i)
                tokens = n if part == flat else model.count_tokens(part)
                bounds.append(model.spec.generation.bound_for(tokens))
    on_batch = per_batch(progress, "translating", owners, len(sentences), "sentences")
    if on_batch is None:
        outputs = model.generate(pieces, bounds)
    else:
        outputs = model.generate(pieces, bounds, on_batch=on_batch)
    joined: list[list[str]] = [[] for _ in sentences]
    for owner, out in zip(owners, outputs, strict=True):
        out = without_controls(out)
        if out:
            joined[owner].append(out)
    return [" ".join(parts) for parts in joined]


def without_controls(text: str) -> str:
    """Model output without control or format characters (a model's vocabulary can hold
    ESC or a bidi override: they must not reach a terminal or a page). Summaries get the
    same from normalization; the English is not normalized, so it gets only this."""
    if text.isprintable():
        return text
    kept = (ch if unicodedata.category(ch) not in ("Cc", "Cf") else " " for ch in text)
    return " ".join("".join(kept).split())
