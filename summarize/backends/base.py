"""What the built-in backends share: a Hugging Face tokenizer, output bounds, batch planning,
device checks. A backend subclasses :class:`TokenizedModel` and runs planned batches."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from summarize.backends.model import BatchDone
from summarize.errors import ModelError
from summarize.registry import ModelSpec

__all__ = [
    "TRANSFORMERS_LOCK",
    "BatchMemo",
    "TokenizedModel",
    "check_device",
    "output_cap",
    "plan_batches",
    "remember_batches",
]


def output_cap(config: dict[str, Any], requested: int) -> int:
    """The most new tokens a model can produce: models with absolute positions (Marian, BART)
    have max_position_embeddings decoder positions, and the start token takes one."""
    positions = config.get("max_position_embeddings")
    if isinstance(positions, int) and positions > 1:
        return min(requested, positions - 1)
    return requested


def check_device(device: str, cuda_available: Callable[[], bool]) -> str:
    """DEVICE made concrete (``auto``: CUDA when there is one), or a ModelError saying why not."""
    if device == "auto":
        return "cuda" if cuda_available() else "cpu"
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise ModelError(f"unknown device '{device}'; use auto, cpu or cuda")
    if device.startswith("cuda") and not cuda_available():
        raise ModelError(
            f"--device {device} was given, but no CUDA device is available; use cpu or auto"
        )
    return device


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


#: Held by everything that loads a model through transformers (a load, a CTranslate2
#: conversion): ``from_pretrained`` is not thread-safe. Its meta-device context is process-wide,
#: so two loads at once (a brief's translator loading beside its summarizer) left one model's
#: tensors on the meta device. Reentrant: a failed conversion checks the folder with a load.
TRANSFORMERS_LOCK = threading.RLock()

#: What decides a batch's outputs: each text, in batch order, with its output bounds.
BatchKey = tuple[tuple[str, int, int], ...]


class BatchMemo:
    """The outputs of the batches a model ran last, by what decides them.

    A batch's outputs depend on the batch: its texts (their padding, CTranslate2's vocabulary
    map of their pieces) and its bounds, never on when or on which thread it ran. So a batch
    met again with the same texts and bounds has the same outputs, and the engine can
    translate a headline while the summarizer loads and find it done when the summary's lines
    are translated with it (a headline is a batch of its own unless its length is close to a
    summary line's; then it is translated again, with them). At most SIZE batches are kept.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._outputs: OrderedDict[BatchKey, list[str]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key: BatchKey) -> list[str] | None:
        with self._lock:
            found = self._outputs.get(key)
            if found is not None:
                self._outputs.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key: BatchKey, outputs: list[str]) -> None:
        with self._lock:
            self._outputs[key] = outputs
            self._outputs.move_to_end(key)
            while len(self._outputs) > self.size:
                self._outputs.popitem(last=False)


def remember_batches(model: object, size: int = 64) -> bool:
    """Make MODEL keep the outputs of its last SIZE batches (see :class:`BatchMemo`); whether
    it can (models of the built-in backends can; a plugin's model is left as it is)."""
    if not isinstance(model, TokenizedModel):
        return False
    if model.memo is None:
        model.memo = BatchMemo(size)
    return True


class TokenizedModel:
    """A seq2seq model behind a Hugging Face tokenizer: the shared half of every backend.

    :meth:`generate` bounds each output, plans length-sorted batches and hands them to
    :meth:`run_batches`, the one method a backend writes. Results come back in input order.
    """

    #: a batch holds at most this many texts, and this many padded input tokens
    max_batch = 32
    max_batch_tokens = 4096
    #: see plan_batches
    min_bound_ratio = 0.8
    concurrency = 1
    #: the threads one batch runs on (None: every core)
    batch_threads: int | None = None

    def __init__(self, spec: ModelSpec, tokenizer: Any, info: dict[str, str], *, cap: int) -> None:
        self.spec = spec
        self.tokenizer = tokenizer
        self.info = info
        self.cap = cap  # the most new tokens the model's positions allow
        self.memo: BatchMemo | None = None  # see remember_batches

    @staticmethod
    def describe(backend: str, device: str, precision: str, started: float) -> dict[str, str]:
        """The ``info`` dict: what ran, and how long loading took (from STARTED)."""
        return {
            "backend": backend,
            "device": device,
            "precision": precision,
            "load_seconds": f"{time.perf_counter() - started:.2f}",
        }

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for TEXT, special tokens included."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(ids, skip_special_tokens=True)).strip()

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        """Generate for every text, in batches of similar length; results in input order.
        ON_BATCH hears each batch's indices as it finishes."""
        if not texts:
            return []
        bounds = [max(1, min(m, self.cap)) for m in max_new_tokens]
        mins = list(min_new_tokens) if min_new_tokens is not None else [0] * len(texts)
        lengths = [self.count_tokens(t) for t in texts]
        plan = plan_batches(
            lengths, self.max_batch, self.max_batch_tokens, bounds, self.min_bound_ratio
        )
        memo = self.memo
        if memo is None:
            return self.run_batches(texts, plan, bounds, mins, on_batch=on_batch)
        results = [""] * len(texts)
        keys = [tuple((texts[i], bounds[i], mins[i]) for i in batch) for batch in plan]
        todo: list[tuple[list[int], BatchKey]] = []
        for batch, key in zip(plan, keys, strict=True):
            found = memo.get(key)
            if found is None:
                todo.append((batch, key))
                continue
            for i, out in zip(batch, found, strict=True):
                results[i] = out
            if on_batch is not None:
                on_batch(batch)  # done already: progress hears it as any finished batch
        if todo:
            outputs = self.run_batches(
                texts, [batch for batch, _ in todo], bounds, mins, on_batch=on_batch
            )
            for batch, key in todo:
                for i in batch:
                    results[i] = outputs[i]
                memo.put(key, [outputs[i] for i in batch])
        return results

    def run_batches(
        self,
        texts: Sequence[str],
        plan: list[list[int]],
        bounds: Sequence[int],
        mins: Sequence[int],
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        """Run every planned batch (indices into TEXTS); each output cut to its own bound.
        Call ON_BATCH with each batch once its outputs are in."""
        raise NotImplementedError
