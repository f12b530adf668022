"""This project's models as evaluation systems: an :class:`~summarize.Engine` over segments.

A segment is scored as one unit, so it is run as one, not as an article:

- **translate**: the segment is normalized and split into sentences as ``summarize translate``
  splits an article, but no line is dropped as page furniture and none is taken for a headline;
  its sentences are translated by the engine's translator (sentence by sentence, as the product
  does, via :func:`~summarize.pipeline.translate.translate_sentences`) and their English joined
  with a space. All the sentences of a batch of segments go to the model together.
- **summarize**: the segment is an article and gets the engine's brief (``Engine.brief_many``),
  exactly as ``summarize brief`` makes it; the hypothesis is the brief's Arabic summary lines,
  one a line (joined with ``\\n``). The brief's English is not scored.

The settings of a system (:func:`engine_settings`) are what changes its outputs: the model's
name, hub id, revision or local path, input window and generation settings, the backend,
precision and device that will run it (``auto`` made concrete), and the version of this package (whose text rules and
pipeline shape the outputs). They make the fingerprint under which a resumed run reuses
hypotheses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from summarize.errors import SummarizeError
from summarize.evaluation.references import scored_task
from summarize.evaluation.runner import SegmentFailed, System
from summarize.tasks import Task
from summarize.version import __version__

if TYPE_CHECKING:
    from summarize.pipeline.engine import Engine
    from summarize.registry import ModelSpec

__all__ = [
    "check_models",
    "engine_settings",
    "engine_system",
    "model_spec",
    "summarize_segments",
    "system_label",
    "translate_segments",
]

# How a segment becomes a hypothesis; bump when that changes, so no resumed run mixes the two.
_UNIT = {Task.translate: "segment-sentences-joined.1", Task.brief: "brief-summary-lines.1"}


def translate_segments(engine: Engine, texts: Sequence[str]) -> list[str]:
    """The English of each segment: its sentences translated, joined with a space."""
    from summarize.pipeline.translate import translate_sentences
    from summarize.text import normalize, split_sentences

    split = [[s.text for s in split_sentences(normalize(text))] for text in texts]
    flat = [sentence for sentences in split for sentence in sentences]
    english = translate_sentences(engine.translator, flat, engine.progress)
    outputs, start = [], 0
    for sentences in split:
        parts = english[start : start + len(sentences)]
        outputs.append(" ".join(part for part in parts if part))
        start += len(sentences)
    return outputs


def summarize_segments(engine: Engine, texts: Sequence[str]) -> list[str]:
    """The Arabic summary of each segment's brief, one summary line a line.

    Raises :class:`SegmentFailed` for the first segment the brief refuses (not Arabic, nothing
    left after cleaning), with its position in TEXTS.
    """
    from summarize.articles import DEFAULT_MAX_CHARS, article_from_text

    articles = []
    for i, text in enumerate(texts):
        try:
            articles.append(
                article_from_text(text, "the article", max_chars=max(DEFAULT_MAX_CHARS, len(text)))
            )
        except SummarizeError as e:
            raise SegmentFailed(i, e) from e
    outputs = []
    for i, result in enumerate(engine.brief_many(articles)):
        if isinstance(result, SummarizeError):
            raise SegmentFailed(i, result) from result
        outputs.append("\n".join(line.ar for line in result.summary))
    return outputs


def check_models(engine: Engine, task: Task) -> None:
    """Raise one ModelError naming every model ENGINE needs for TASK that cannot be had now (a
    brief needs the translator too), before any loads: a long evaluation of several systems
    should not fail at its last one."""
    from summarize.backends import check_available

    needed = [engine.translator_spec]
    if task is Task.brief:
        needed.insert(0, engine.summarizer_spec)
    check_available(needed, engine.options)


def model_spec(engine: Engine, task: Task) -> ModelSpec:
    """The model TASK evaluates: the translator, or the summarizer."""
    return engine.translator_spec if task is Task.translate else engine.summarizer_spec


def engine_settings(engine: Engine, task: Task) -> dict[str, Any]:
    """Everything that changes the outputs of ENGINE on TASK (see the module's docstring)."""
    from summarize.backends import run_settings

    spec = model_spec(engine, task)
    run = run_settings(spec, engine.options.resolved())
    return {
        "model": spec.name,
        "hub_id": spec.hub_id,
        "revision": spec.revision,
        "path": str(spec.path) if spec.path is not None else None,
        "max_input_tokens": spec.max_input_tokens,
        "generation": asdict(spec.generation),
        "backend": run.backend,
        "precision": run.precision,
        "device": run.device,
        "unit": _UNIT[task],
        "summarize": __version__,
    }


def system_label(engine: Engine, task: Task, model: str | None = None) -> str:
    """A readable label: ``opus-mt-ar-en/transformers/int8`` (MODEL in place of the name)."""
    settings = engine_settings(engine, task)
    return f"{model or settings['model']}/{settings['backend']}/{settings['precision']}"


def engine_system(engine: Engine, task: Task | str, label: str | None = None) -> System:
    """ENGINE's model for TASK as a :class:`System` for :func:`~summarize.evaluation.evaluate`."""
    task = scored_task(task)
    run = translate_segments if task is Task.translate else summarize_segments

    def load() -> None:  # before the clock starts: `seconds` is generation time only
        if task is Task.brief:
            _ = engine.summarizer
        _ = engine.translator

    return System(
        label or system_label(engine, task),
        lambda texts: run(engine, texts),
        engine_settings(engine, task),
        load,
    )
