"""The evaluation loop: run each system over the segments, score, keep per-segment results.

A *system* is a labelled model configuration ("opus-mt-ar-en/int8") reduced to a plain callable
from a batch of source texts to as many outputs, so this loop knows nothing of engines, backends
or devices: the CLI builds the callables from its options (``--translator``, ``--precision``,
``--backend``, beams …) and passes them in, with those settings for the fingerprint.

Long sets are resumable. With a segments file, every scored segment is appended to it as one JSON
line, flushed at once. On a rerun, a segment already there for the same system, the same settings
fingerprint and the same source text is not generated again: its hypothesis is reused (and
rescored, so a corrected reference takes effect). A last line cut short by a killed run is
dropped; the file is a log, and a later line for the same system, fingerprint and id supersedes
an earlier one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarize.errors import EXIT_USAGE, ModelError, SummarizeError
from summarize.evaluation.references import EVAL_NAMES, Segment, scored_task
from summarize.evaluation.scores import (
    MetricScore,
    corpus_rouge,
    corpus_translation_scores,
    corpus_trust,
    segment_rouge,
    segment_translation_scores,
    segment_trust,
)
from summarize.evaluation.segments import SegmentsLog
from summarize.tasks import Task

__all__ = [
    "SCHEMA",
    "DuplicateSystem",
    "Evaluation",
    "Generate",
    "Progress",
    "SegmentFailed",
    "SegmentResult",
    "SegmentsLog",
    "System",
    "SystemResult",
    "evaluate",
]

SCHEMA = "summarize/1"
DEFAULT_BATCH_SIZE = 16

Generate = Callable[[Sequence[str]], list[str]]


class DuplicateSystem(SummarizeError):
    """Two systems share a label, so their results could not be told apart."""

    exit_code = EXIT_USAGE


class SegmentFailed(SummarizeError):
    """Raised by a system's callable when it cannot give an output for one input of its batch
    (INDEX, from 0): the evaluation stops with ERROR's message and exit code, naming the segment."""

    def __init__(self, index: int, error: SummarizeError) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error
        self.exit_code = error.exit_code


@dataclass(frozen=True)
class System:
    """A labelled model configuration, reduced to a batch callable.

    ``settings`` is everything that changes the output (model, revision, backend, precision,
    beams …); it is shown in results and makes the fingerprint under which segments are reused.
    ``load``, when given, is called once before the first batch the system generates (never
    when every segment is reused), so that loading a model is not counted in ``seconds``.
    """

    label: str
    generate: Generate
    settings: Mapping[str, Any] = field(default_factory=dict)
    load: Callable[[], object] | None = None

    def fingerprint(self, task: Task, batch_size: int = DEFAULT_BATCH_SIZE) -> str:
        """The hash under which this system's segments are reused: the task, the settings and,
        when it is not the default, the batch size (batches are fixed groups of segments, and
        a model's output can depend on its batch)."""
        name = EVAL_NAMES[task]
        data: dict[str, Any] = {"task": name, "settings": self.settings}
        if batch_size != DEFAULT_BATCH_SIZE:
            data["batch_size"] = batch_size
        blob = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Progress:
    """Where one system stands: DONE of TOTAL segments, REUSED of them from the segments file."""

    system: str
    done: int
    total: int
    reused: int


@dataclass(frozen=True)
class SegmentResult:
    """One segment scored for one system: a line of the segments file."""

    id: str | int
    system: str
    fingerprint: str
    source: str
    reference: str
    hypothesis: str
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "system": self.system,
            "fingerprint": self.fingerprint,
            "source": self.source,
            "reference": self.reference,
            "hypothesis": self.hypothesis,
            "scores": self.scores,
        }


@dataclass(frozen=True)
class SystemResult:
    """Corpus scores of one system, and how they were obtained."""

    system: str
    fingerprint: str
    settings: dict[str, Any]
    scores: dict[str, MetricScore]
    segments: int
    generated: int  # segments the system ran on in this run
    reused: int  # segments whose hypothesis came from the segments file
    seconds: float  # time spent in the system's callable (its ``load`` aside)
    segment_results: tuple[SegmentResult, ...] = ()

    def to_dict(self, *, segments: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "system": self.system,
            "fingerprint": self.fingerprint,
            "settings": self.settings,
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "segments": self.segments,
            "generated": self.generated,
            "reused": self.reused,
            "seconds": round(self.seconds, 3),
        }
        if segments:
            out["segment_results"] = [s.to_dict() for s in self.segment_results]
        return out


@dataclass(frozen=True)
class Evaluation:
    """Every system's results on one reference set: what ``-f json`` prints."""

    task: Task
    references: str  # where the segments came from, for people
    segments: int
    systems: tuple[SystemResult, ...]

    def to_dict(self, *, segments: bool = False) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "kind": "evaluation",
            "task": EVAL_NAMES[self.task],
            "references": self.references,
            "segments": self.segments,
            "systems": [s.to_dict(segments=segments) for s in self.systems],
        }


def evaluate(
    task: Task | str,
    segments: Sequence[Segment],
    systems: Sequence[System],
    *,
    references: str = "",
    segments_path: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[Progress], None] | None = None,
) -> Evaluation:
    """Run every system over SEGMENTS and score it; systems one after the other, in order.

    With SEGMENTS_PATH, per-segment results are appended there as they are made, and segments
    already there are reused (see the module's docstring). PROGRESS is called after each batch.
    """
    task = scored_task(task)
    if not systems or not segments:
        raise ValueError("nothing to evaluate: no systems or no segments")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    labels = [s.label for s in systems]
    duplicated = sorted({label for label in labels if labels.count(label) > 1})
    if duplicated:
        raise DuplicateSystem(
            f"two systems are labelled {duplicated[0]!r}; give each model configuration its own label"
        )
    log = SegmentsLog.open(segments_path) if segments_path is not None else None
    try:
        results = tuple(
            _run_system(task, segments, system, log, batch_size, progress) for system in systems
        )
    finally:
        if log is not None:
            log.close()
    return Evaluation(task, references, len(segments), results)


def _run_system(
    task: Task,
    segments: Sequence[Segment],
    system: System,
    log: SegmentsLog | None,
    batch_size: int,
    progress: Callable[[Progress], None] | None,
) -> SystemResult:
    """One system over every segment, in fixed groups of BATCH_SIZE segments (0-15, 16-31 …).

    A model's output can depend on the other inputs of its batch (CTranslate2's does), so a
    segment is always generated with the same neighbours: a group is reused from the segments
    file only when all of it is there, else the whole group is generated again. A resumed run
    therefore gives, byte for byte, what an uninterrupted one gives.
    """
    fingerprint = system.fingerprint(task, batch_size)
    hypotheses: dict[int, str] = {}
    results: dict[int, SegmentResult] = {}
    stored: dict[int, dict[str, Any]] = {}
    if log is not None:
        for index, seg in enumerate(segments):
            record = log.lookup(system.label, fingerprint, seg.id)
            if record is not None and record["source"] == seg.source:
                stored[index] = record

    def finish(index: int, hypothesis: str) -> dict[str, Any] | None:
        """Score INDEX's HYPOTHESIS; the result when it is not in the file as it is."""
        seg = segments[index]
        result = SegmentResult(
            seg.id,
            system.label,
            fingerprint,
            seg.source,
            seg.reference,
            hypothesis,
            _segment_scores(task, seg, hypothesis),
        )
        hypotheses[index], results[index] = hypothesis, result
        record = result.to_dict()
        return None if stored.get(index) == record else record

    groups = [
        range(s, min(s + batch_size, len(segments))) for s in range(0, len(segments), batch_size)
    ]
    todo: list[range] = []
    rescored: list[dict[str, Any]] = []
    for group in groups:
        if all(i in stored for i in group):
            rescored += [r for i in group if (r := finish(i, stored[i]["hypothesis"])) is not None]
        else:
            todo.append(group)
    if log is not None and rescored:
        log.write(rescored)  # a corrected reference: the same hypotheses, new scores
    total = len(segments)
    reused = total - sum(len(g) for g in todo)
    done = reused
    if progress is not None:
        progress(Progress(system.label, done, total, reused))

    if todo and system.load is not None:
        system.load()
    seconds = 0.0
    for group in todo:
        batch = list(group)
        sources = [segments[i].source for i in batch]
        began = time.perf_counter()
        try:
            outputs = system.generate(sources)
        except SegmentFailed as e:
            failed = segments[batch[e.index]] if 0 <= e.index < len(batch) else None
            where = f"segment {failed.id!r}" if failed is not None else "a segment"
            error = SummarizeError(f"{where}, system {system.label!r}: {e.error}")
            error.exit_code = e.exit_code
            raise error from e.error
        seconds += time.perf_counter() - began
        _check_outputs(system.label, sources, outputs)
        new = [r for i, h in zip(batch, outputs, strict=True) if (r := finish(i, h)) is not None]
        if log is not None and new:
            log.write(new)  # the whole group in one write: resumable at group boundaries
        done += len(batch)
        if progress is not None:
            progress(Progress(system.label, done, total, reused))

    ordered = [results[i] for i in range(len(segments))]
    if task is Task.translate:
        hyps = [hypotheses[i] for i in range(len(segments))]
        scores = corpus_translation_scores(hyps, [s.reference for s in segments])
    else:
        per_segment = [r.scores for r in ordered]
        scores = {**corpus_rouge(per_segment), **corpus_trust(per_segment)}
    return SystemResult(
        system.label,
        fingerprint,
        dict(system.settings),
        scores,
        len(segments),
        total - reused,
        reused,
        seconds,
        tuple(ordered),
    )


def _segment_scores(task: Task, segment: Segment, hypothesis: str) -> dict[str, float]:
    """Translation: sentence BLEU, chrF, chrF++. Summaries: ROUGE, and the trust counts
    (summary lines, and lines failing each check) against the segment's article."""
    if task is Task.translate:
        return segment_translation_scores(hypothesis, segment.reference)
    return {
        **segment_rouge(hypothesis, segment.reference),
        **segment_trust(segment.source, hypothesis),
    }


def _check_outputs(label: str, sources: Sequence[str], outputs: object) -> None:
    if not isinstance(outputs, list) or len(outputs) != len(sources):
        count = len(outputs) if isinstance(outputs, list) else type(outputs).__name__
        raise ModelError(
            f"system {label!r} returned {count} outputs for {len(sources)} inputs; "
            "each input needs exactly one output"
        )
    for output in outputs:
        if not isinstance(output, str):
            raise ModelError(f"system {label!r} returned {type(output).__name__}, not text")
