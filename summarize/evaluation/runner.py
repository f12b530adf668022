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
from typing import IO, Any

from summarize.errors import EXIT_USAGE, ModelError, OutputError, SummarizeError
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
# The fields every line of a segments file has; a line without them is not ours.
_RECORD_KEYS = ("id", "system", "fingerprint", "source", "reference", "hypothesis", "scores")

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

    def fingerprint(self, task: Task) -> str:
        name = EVAL_NAMES[task]
        blob = json.dumps({"task": name, "settings": self.settings}, sort_keys=True, default=str)
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
    fingerprint = system.fingerprint(task)
    hypotheses: dict[int, str] = {}
    results: dict[int, SegmentResult] = {}

    def finish(index: int, hypothesis: str, stored: dict[str, Any] | None) -> None:
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
        if log is not None and (stored is None or stored != result.to_dict()):
            log.write(result)

    todo: list[int] = []
    for index, seg in enumerate(segments):
        stored = log.lookup(system.label, fingerprint, seg.id) if log is not None else None
        if stored is not None and stored["source"] == seg.source:
            finish(index, stored["hypothesis"], stored)
        else:
            todo.append(index)
    reused = len(segments) - len(todo)
    total = len(segments)
    if progress is not None:
        progress(Progress(system.label, reused, total, reused))

    if todo and system.load is not None:
        system.load()
    seconds = 0.0
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
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
        for index, hypothesis in zip(batch, outputs, strict=True):
            finish(index, hypothesis, None)
        if progress is not None:
            progress(Progress(system.label, reused + start + len(batch), total, reused))

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
        len(todo),
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


class SegmentsLog:
    """The per-segment results file: read once to index what is done, then appended to."""

    def __init__(self, path: Path, done: dict[tuple[str, str, str], dict[str, Any]], out: IO[str]):
        self.path = path
        self._done = done
        self._out = out

    @classmethod
    def open(cls, path: str | Path) -> SegmentsLog:
        """Index PATH (if it exists), drop a cut-short last line, and open it for appending."""
        p = Path(path)
        done: dict[tuple[str, str, str], dict[str, Any]] = {}
        try:
            data = p.read_bytes() if p.exists() else b""
            lines = data.split(b"\n")
            tail = lines.pop()  # b"" when the file ends with a newline
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                record = _parse_record(raw)
                if record is None:
                    raise OutputError(
                        f"{p} line {number} is not a line of `summarize eval --segments`; "
                        "give another --segments file, or remove this one"
                    )
                done[_key(record["system"], record["fingerprint"], record["id"])] = record
            keep = len(data) - len(tail)
            last = _parse_record(tail) if tail.strip() else None
            if last is not None:  # complete, only its newline is missing
                done[_key(last["system"], last["fingerprint"], last["id"])] = last
            elif tail:  # cut short by a killed run: start over from the last whole line
                with p.open("r+b") as f:
                    f.truncate(keep)
            out = p.open("a", encoding="utf-8")
            if last is not None:
                out.write("\n")
        except OSError as e:
            raise OutputError(f"{p}: cannot be written ({e.strerror})") from None
        return cls(p, done, out)

    def lookup(self, system: str, fingerprint: str, segment_id: str | int) -> dict[str, Any] | None:
        return self._done.get(_key(system, fingerprint, segment_id))

    def write(self, result: SegmentResult) -> None:
        record = result.to_dict()
        try:
            self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._out.flush()
        except OSError as e:
            raise OutputError(f"{self.path}: cannot be written ({e.strerror})") from None
        self._done[_key(result.system, result.fingerprint, result.id)] = record

    def close(self) -> None:
        self._out.close()


def _key(system: str, fingerprint: str, segment_id: object) -> tuple[str, str, str]:
    return system, fingerprint, json.dumps(segment_id)


def _parse_record(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict) or any(k not in record for k in _RECORD_KEYS):
        return None
    if not all(isinstance(record[k], str) for k in _RECORD_KEYS[1:6]):
        return None
    return record
