"""Abstractive summaries by map-reduce: summarize each chunk, then summarize the partial
summaries again while together they are longer than one chunk.

XL-Sum's maintainers tell users to split long articles, summarize the parts and combine
(csebuetnlp/xl-sum#10); this does it for them, with the model's own token counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarize import text as textproc
from summarize.backends import Model
from summarize.chunking import pack_chunks
from summarize.pipeline.prepare import Prepared
from summarize.pipeline.summary import Summary, dedupe_sentences
from summarize.progress import ProgressFn, per_batch
from summarize.results import ModelInfo

__all__ = ["MAX_REDUCE_ROUNDS", "MapReduce", "model_info", "normalize_join"]

MAX_REDUCE_ROUNDS = 4


def model_info(model: Model) -> ModelInfo:
    """What ran, for the JSON ``models`` list."""
    spec = model.spec
    return ModelInfo(
        role=spec.role,
        name=spec.name,
        hub_id=spec.hub_id,
        revision=spec.revision,
        license=spec.license,
        backend=model.info.get("backend", "?"),
        device=model.info.get("device", "?"),
        precision=model.info.get("precision", "?"),
    )


def normalize_join(parts: Sequence[str]) -> str:
    """Partial summaries as one normalized text, one partial per line."""
    return textproc.normalize("\n".join(parts))


class MapReduce:
    """The abstractive strategy over a seq2seq model (mT5, AraBART)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.info = model_info(model)

    def _generate(self, inputs: list[str], progress: ProgressFn | None, stage: str) -> list[str]:
        settings = self.model.spec.generation
        n = len(inputs)
        bounds, mins = [settings.max_new_tokens] * n, [settings.min_new_tokens] * n
        on_batch = per_batch(progress, stage, range(n), n, "chunks")
        if on_batch is None:
            return self.model.generate(inputs, bounds, mins)
        return self.model.generate(inputs, bounds, mins, on_batch=on_batch)

    def summarize(self, job: Prepared, progress: ProgressFn | None = None) -> Summary:
        """Map-reduce over one article; at most MAX_REDUCE_ROUNDS reduce rounds."""
        summary = Summary(sentences=[])
        if not job.sentences:
            return summary
        budget = self.model.spec.max_input_tokens
        text, sentences = job.text, job.sentences
        partials: list[str] = []
        round_no = 0
        while True:
            chunks = pack_chunks(text, sentences, self.model.count_tokens, budget)
            if round_no == 0:
                summary.chunks = len(chunks)
            stage = "summarizing" if round_no == 0 else f"reduce round {round_no}"
            generated = self._generate([c.model_text for c in chunks], progress, stage)
            outputs = [out for out in generated if out.strip()]
            if not outputs:
                summary.warnings.append("the summarizer produced no text for this article")
                break
            partials = outputs
            combined = normalize_join(outputs)
            fits = self.model.count_tokens(" ".join(combined.split())) <= budget
            if len(chunks) == 1 or fits:
                break
            if round_no >= MAX_REDUCE_ROUNDS:
                summary.warnings.append(
                    f"the partial summaries still exceed one chunk after {round_no} reduce "
                    "rounds; the brief joins them as they are"
                )
                break
            round_no += 1
            summary.reduce_rounds = round_no
            text, sentences = combined, textproc.split_sentences(combined)
        lines = [s.text for s in textproc.split_sentences(normalize_join(partials))]
        summary.sentences = dedupe_sentences(lines)
        if len(summary.sentences) < len(lines):
            summary.warnings.append(
                f"dropped {len(lines) - len(summary.sentences)} repeated summary sentence(s)"
            )
        return summary
