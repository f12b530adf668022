"""The two things every backend shares with the pipeline: how models are loaded
(:class:`LoadOptions`) and what a loaded model can do (the :class:`Model` protocol)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from summarize.errors import UsageError
from summarize.progress import ProgressFn
from summarize.registry import ModelSpec
from summarize.threads import MAX_THREADS

__all__ = ["PRECISIONS", "BatchDone", "LoadOptions", "Model", "Precision", "auto_precision"]

Precision = Literal["auto", "fp32", "fp16", "int8"]
#: Called with the indices of the texts a model batch has just finished.
BatchDone = Callable[[Sequence[int]], None]
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "fp16", "int8")


def auto_precision(precision: str, device: str) -> str:
    """PRECISION made concrete for DEVICE: ``auto`` is int8 on the CPU (3-4x fp32's speed,
    a quarter of its memory) and fp16 on CUDA (no rounding of the weights to 8 bits, and a
    GPU is fast enough without it)."""
    if precision != "auto":
        return precision
    return "int8" if device == "cpu" else "fp16"


@dataclass(frozen=True)
class LoadOptions:
    """How models are loaded; the same for every model of one run.

    The defaults are the fast path: ``backend="auto"`` runs every model CTranslate2 can run
    with it (transformers otherwise), ``precision="auto"`` is int8 on the CPU and fp16 on
    CUDA. ``backend="transformers", precision="fp32"`` is the reference path.

    ``offline`` is the one switch for the network: the CLI's ``--offline`` and the
    ``HF_HUB_OFFLINE`` environment variable both end up here (see :meth:`resolved`).
    ``progress`` hears about slow first-use work (a CTranslate2 conversion, stage by stage).
    ``one_batch`` says how the model's work will come: True, one batch at a time (one worker
    with every thread); False, many batches at once (one-thread workers); None, by its role (a
    summarizer's map round is one batch, a translator's sentences are many; see
    ``summarize.threads``). ``call_batches``: how many batches one call usually makes, when
    the caller knows (a brief's lines: about 2); no more workers than that are started, and
    the threads they leave go inside the workers. Both change threads only, never an output.
    """

    device: str = "auto"
    precision: Precision = "auto"
    backend: str = "auto"
    allow_pickle: bool = False
    offline: bool = False
    threads: int | None = None
    one_batch: bool | None = None
    call_batches: int | None = None
    progress: ProgressFn | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        threads = self.threads
        if threads is not None and (
            not isinstance(threads, int)
            or isinstance(threads, bool)
            or not 1 <= threads <= MAX_THREADS
        ):
            raise UsageError(
                f"threads must be a whole number of threads, 1 or more (at most {MAX_THREADS}), "
                f"got {threads!r}"
            )

    def resolved(self) -> LoadOptions:
        """These options with ``offline`` also true when HF_HUB_OFFLINE says so."""
        from summarize.backends.reach import hub_offline

        if self.offline or not hub_offline():
            return self
        return replace(self, offline=True)


class Model(Protocol):
    """A loaded model, as the pipeline sees it."""

    spec: ModelSpec
    #: backend, device and precision that actually ran (shown in JSON ``models``)
    info: dict[str, str]
    #: how many generate() calls may usefully run at once (threads of the caller)
    concurrency: int

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for TEXT, special tokens included."""
        ...

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        """One output per text, in order; each at most its own max_new_tokens. ON_BATCH, when
        given, hears the indices (into TEXTS) of each batch as it finishes: progress."""
        ...
