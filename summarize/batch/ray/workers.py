"""What runs on the workers: the job each actor rebuilds its Engine from, the actor that
processes batches of files, and the crash journal that gives up a file that kills its worker.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from summarize import errors
from summarize.backends import LoadOptions
from summarize.batch.ray.cluster import RayJobFailed, RayNotInstalled
from summarize.batch.work import Outcome, WorkItem, process_items
from summarize.errors import SummarizeError, first_line
from summarize.pipeline.engine import Engine
from summarize.registry import ModelSpec, Registry
from summarize.tasks import Task

__all__ = [
    "MAX_CRASHES",
    "CrashJournal",
    "Item",
    "JobSpec",
    "ProcessFiles",
    "Processor",
    "ProcessorFactory",
    "library_processor",
]

MAX_CRASHES = 2  # a file in hand at this many worker deaths is given up as failed
STALE_JOURNAL_SECONDS = 24 * 3600

# One file for process_items: the item, its bytes (or why they cannot be read), their sha256.
Item = tuple[WorkItem, bytes | SummarizeError, str]
Processor = Callable[[list[Item]], Iterable[Outcome]]


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to rebuild the driver's Engine: settings only, picklable."""

    task: Task
    fmt: str
    max_chars: int
    registry: Registry
    summarizer: ModelSpec
    translator: ModelSpec
    options: LoadOptions

    @classmethod
    def from_engine(cls, engine: Engine, task: Task, fmt: str, max_chars: int) -> JobSpec:
        """The driver's models and settings (offline resolved here: workers may not see
        the driver's environment). The driver's progress display stays with the driver: it
        cannot travel (a terminal's holds locks) and a worker's events could not reach it."""
        return cls(
            task=task,
            fmt=fmt,
            max_chars=max_chars,
            registry=engine.registry,
            summarizer=engine.summarizer_spec,
            translator=engine.translator_spec,
            options=replace(engine.options.resolved(), progress=None),
        )


# Builds a worker's Processor from the JobSpec, once per actor.
ProcessorFactory = Callable[[JobSpec], Processor]


def library_processor(job: JobSpec) -> Processor:
    """The worker's Engine, through the library API, with the driver's resolved models.

    Models load on the first file that needs them, once per worker: a rerun where every file
    is skipped loads none.
    """
    engine = Engine(registry=job.registry, options=job.options)
    engine.summarizer_spec = job.summarizer  # as the driver resolved them: same settings key
    engine.translator_spec = job.translator
    return functools.partial(process_items, engine, job.task, job.fmt, job.max_chars)


class ProcessFiles:
    """Ray Data actor: builds its processor (the Engine) once, then processes batches."""

    def __init__(
        self,
        factory: ProcessorFactory,
        job: JobSpec,
        batch_files: int,
        journal: CrashJournal | None = None,
    ) -> None:
        self.batch_files = batch_files
        self.fatal: dict[str, str] | None = None
        self.journal = journal or CrashJournal.for_this_actor()
        self.processor: Processor | None = None
        try:
            self.processor = factory(job)
        except SummarizeError as e:
            self.fatal = fatal_of(e)

    def __call__(self, batch: Any) -> Any:
        pa = pyarrow_module()
        rows: list[dict[str, Any]] = batch.to_pylist()
        try:
            outcomes = self.process(rows)
            payload = [json.dumps(asdict(o), ensure_ascii=False) for o in outcomes]
        except Fatal as e:
            payload = [json.dumps({"fatal": e.fatal})]
        return pa.table({"outcome": pa.array(payload, type=pa.string())})

    def process(self, rows: list[dict[str, Any]]) -> list[Outcome]:
        """Outcomes for ROWS (read_files' columns); Fatal where the engine itself fails."""
        if self.fatal is not None:
            raise Fatal(self.fatal)
        outcomes: list[Outcome] = []
        live = []
        for row in rows:
            crashes = self.journal.crashes.get(row["rel"], 0)
            if crashes >= MAX_CRASHES:
                outcomes.append(
                    failed_outcome(
                        row["rel"],
                        row["sha256"],
                        f"{row['rel']}: the worker died {crashes} times while processing this "
                        "file (a crash, or out of memory); it was left out so the rest could go on",
                    )
                )
            else:
                live.append(row)
        # After a worker death, the files it held are redone one at a time, so that a second
        # death names one file.
        careful = any(self.journal.crashes.get(row["rel"]) for row in live)
        size = 1 if careful else self.batch_files  # Ray Data hands over one batch a call
        groups = [live[start : start + size] for start in range(0, len(live), size)]
        for group in groups:
            self.journal.hold([row["rel"] for row in group])
            outcomes.extend(self._process_group(group))
        self.journal.release()
        return outcomes

    def _process_group(self, group: list[dict[str, Any]]) -> list[Outcome]:
        assert self.processor is not None
        items: list[Item] = [
            (
                WorkItem(row["rel"], row["path"], row["done_sha256"]),
                SummarizeError(row["error"]) if row["error"] is not None else row["data"] or b"",
                row["sha256"],
            )
            for row in group
        ]
        try:
            return list(self.processor(items))
        except SummarizeError as e:
            # process_items turns every bad file into an outcome: what escapes it is about the
            # engine (a model missing on this node): the driver stops with its message.
            raise Fatal(fatal_of(e)) from None
        except Exception as e:  # a bug, or a GPU out of memory: isolate, then give up the file
            if len(group) > 1:
                return [o for row in group for o in self._process_group([row])]
            row = group[0]
            return [failed_outcome(row["rel"], row["sha256"], f"{row['rel']}: {first_line(e)}")]


class Fatal(Exception):
    def __init__(self, fatal: dict[str, str]) -> None:
        super().__init__(fatal["message"])
        self.fatal = fatal


def fatal_of(e: SummarizeError) -> dict[str, str]:
    return {"type": type(e).__name__, "message": str(e)}


def rebuild_error(fatal: dict[str, str]) -> SummarizeError:
    """The SummarizeError a worker hit while building its models, with its exit code."""
    ours = {c.__name__: c for c in (RayJobFailed, RayNotInstalled)}
    cls = getattr(errors, fatal["type"], None) or ours.get(fatal["type"])
    if isinstance(cls, type) and issubclass(cls, SummarizeError):
        return cls(fatal["message"])
    return SummarizeError(fatal["message"])


def failed_outcome(rel: str, digest: str, error: str) -> Outcome:
    return Outcome(rel, digest, "failed", error=error)


def pyarrow_module() -> Any:
    # pyarrow comes with ray[data]; it carries no type information.
    return importlib.import_module("pyarrow")


class CrashJournal:
    """Which files an actor had in hand when its process died, on the node's disk.

    Ray restarts a dead actor under the same id and retries its batch, without limit by
    default; a file that kills its worker every time (a segfault, out of memory) would loop for
    ever. The restarted actor reads the journal, counts a death against each file that was in
    hand, and gives a file up once it reaches MAX_CRASHES.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.crashes: dict[str, int] = {}
        if path is None:
            return
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.crashes = {str(k): int(v) for k, v in saved.get("crashes", {}).items()}
        for rel in saved.get("in_hand", []):
            self.crashes[rel] = self.crashes.get(rel, 0) + 1
        self._save([])

    @classmethod
    def for_this_actor(cls) -> CrashJournal:
        try:
            import ray

            actor_id = ray.get_runtime_context().get_actor_id()
        except Exception:
            actor_id = None
        if not actor_id:
            return cls(None)
        return cls.in_folder(Path(tempfile.gettempdir()) / f"summarize-ray-{os.getuid()}", actor_id)

    @classmethod
    def in_folder(cls, folder: Path, actor_id: str) -> CrashJournal:
        """The journal of ACTOR_ID in FOLDER; journals a day old (an actor stopped in the
        middle of a batch, by Ctrl-C or the end of a run, leaves one) are removed."""
        folder.mkdir(mode=0o700, exist_ok=True)
        stale = time.time() - STALE_JOURNAL_SECONDS
        for old in folder.glob("*.json"):
            try:
                if old.stat().st_mtime < stale:
                    old.unlink()
            except OSError:
                pass  # another actor got there first
        return cls(folder / f"{actor_id}.json")

    def hold(self, rels: list[str]) -> None:
        self._save(rels)

    def release(self) -> None:
        if self.crashes:
            self._save([])
        elif self.path is not None:
            self.path.unlink(missing_ok=True)

    def _save(self, in_hand: list[str]) -> None:
        if self.path is None:
            return
        # No fsync: a process death keeps the page cache; a node death moves the actor anyway.
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"in_hand": in_hand, "crashes": self.crashes}), "utf-8")
        os.replace(tmp, self.path)
