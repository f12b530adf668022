"""The batch driver: decide what needs work, hand it to an engine, write what comes back.

The output folder holds the outputs (mirroring the input tree), ``manifest.jsonl`` (one line
per input) and ``index.html``. Every file is written atomically (temp file, then rename), the
manifest is appended and fsynced line by line, and a lock keeps two runs from sharing a folder.
Rerunning the same command skips inputs already done with the same content and settings.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.batch.discover import DEFAULT_GLOBS, Found, Ignored, Shard, find_inputs
from summarize.batch.lock import folder_lock
from summarize.batch.manifest import Manifest, Record, parse_records, sha256_text
from summarize.batch.outputs import EXTENSIONS, Earlier, output_name, remove_stale_temp_files
from summarize.batch.records import is_done, make_record
from summarize.batch.work import Outcome, WorkItem
from summarize.errors import STOP_SIGNALS, OutputError, Terminated, UsageError, interrupted
from summarize.fileio import Folder
from summarize.pipeline.engine import Engine
from summarize.progress import ProgressFn, report
from summarize.render.index import index_page
from summarize.tasks import Task
from summarize.version import __version__

log = logging.getLogger("summarize")

__all__ = [
    "Executor",
    "BatchOptions",
    "BatchReport",
    "check_folders",
    "run_batch",
    "settings_key",
]


@dataclass(frozen=True)
class BatchOptions:
    in_dir: Path
    out_dir: Path
    task: Task = Task.brief
    fmt: str = "markdown"
    globs: tuple[str, ...] = DEFAULT_GLOBS
    shard: Shard | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    force: bool = False
    hidden: bool = False  # take files and folders whose names start with '.'
    follow_links: bool = False  # read links to files outside the input folder


@dataclass
class BatchReport:
    """What a run did: ``ok`` outputs made now, ``reused`` outputs of earlier runs kept,
    ``failed`` files; ``done`` counts all three."""

    total: int = 0
    ok: int = 0
    reused: int = 0
    failed: int = 0
    manifest: Path | None = None
    index: Path | None = None
    failures: list[Record] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)  # not taken, with the reason
    notes: list[str] = field(default_factory=list)  # things the user should hear about

    @property
    def done(self) -> int:
        return self.ok + self.reused + self.failed


class Executor(Protocol):
    """Turns work items into outcomes, in any order (``local``, ``ray``)."""

    def run(self, items: Sequence[WorkItem]) -> Iterator[Outcome]: ...


def settings_key(engine: Engine, task: Task, fmt: str) -> str:
    """A hash of everything that changes an output: task, format, models and their settings,
    and the backend, device and precision each model runs with, made concrete (``auto`` is
    resolved), so that a rerun never reuses an output made another way."""
    from summarize.backends import run_settings

    specs = [engine.translator_spec] + ([engine.summarizer_spec] if task is Task.brief else [])
    options = engine.options.resolved()
    data = {
        "version": __version__,
        "task": task.value,
        "format": fmt,
        "models": [
            [s.name, s.hub_id, s.revision, str(s.path), s.max_input_tokens, asdict(s.generation)]
            # backend, device and precision, made concrete. --threads is left out on purpose:
            # the same bytes on 1, 2 and 4 threads (tests/test_kill.py, docs/reliability.md).
            + ([s.kind, s.sentences] if s.builtin else [asdict(run_settings(s, options))])
            for s in specs
        ],
    }
    return sha256_text(json.dumps(data, sort_keys=True))[:16]


def check_folders(in_dir: Path, out_dir: Path) -> str | None:
    """Refuse an output folder that is the input folder or holds it (outputs could replace
    inputs, and the next run would take its own outputs); return a note when the output folder
    lies inside the input folder (allowed: it is left out of the inputs)."""
    if not in_dir.is_dir():
        return None  # discovery says so
    src, out = in_dir.resolve(), out_dir.resolve()
    same = src == out or (out.exists() and os.path.samefile(src, out))
    if same:
        raise UsageError(
            f"the output folder {out_dir} is the input folder; give another -o (outputs "
            "beside their inputs would be taken as inputs by the next run)"
        )
    if src.is_relative_to(out):
        raise UsageError(
            f"the input folder {in_dir} is inside the output folder {out_dir}; outputs could "
            "replace inputs: give an output folder outside it"
        )
    if out.is_relative_to(src):
        return f"the output folder {out_dir} is inside the input folder; it is not read as input"
    return None


def run_batch(
    engine: Engine,
    opts: BatchOptions,
    progress: ProgressFn | None = None,
    *,
    executor: Executor | None = None,
) -> BatchReport:
    """Process every input of this shard; return the counts. Raises Interrupted on Ctrl-C.

    EXECUTOR does the work (default: this process, with ENGINE); the driver writes everything,
    and only through a fileio.Folder: nothing is written, appended, locked or removed through
    a link inside the output folder.
    """
    if opts.fmt not in EXTENSIONS:
        raise OutputError(f"batch writes markdown, json or html, not {opts.fmt}")
    note = check_folders(opts.in_dir, opts.out_dir)
    found = find_inputs(
        opts.in_dir,
        opts.globs,
        exclude=opts.out_dir,
        hidden=opts.hidden,
        follow_links=opts.follow_links,
    )
    paths = found.paths
    if opts.shard is not None:
        paths = opts.shard.select(paths)
    suffix = opts.shard.suffix if opts.shard else ""
    report_ = BatchReport(total=len(paths), ignored=found.ignored, notes=[note] if note else [])
    with Folder(opts.out_dir, tag=suffix) as folder:
        if not os.access(opts.out_dir, os.W_OK | os.X_OK):
            raise OutputError(f"{opts.out_dir} is not writable")
        if executor is None:
            from summarize.batch.local import LocalExecutor

            executor = LocalExecutor(engine, opts.task, opts.fmt, opts.max_chars)
        with folder_lock(folder, opts.shard):
            manifest_name = f"manifest{suffix}.jsonl"
            manifest = Manifest(folder, manifest_name)
            report_.manifest = manifest.path
            # A kill -9 during a write leaves its temp file; only this run's own files are
            # cleaned (other shards may be writing theirs), and index.html's only when unsharded.
            own = [manifest_name] + (["index.html"] if opts.shard is None else [])
            remove_stale_temp_files(folder, _output_names(paths, opts.fmt), own)
            try:
                _drive(executor, engine, opts, found, paths, folder, manifest, report_, progress)
            except BaseException as stop:
                # The first failure is the one to report (a full disk that then also refuses
                # index.html must not hide it, nor turn Ctrl-C into exit 10): tidy up as far
                # as it goes.
                _tidy(manifest, paths, opts, folder, report_, failing=True)
                if not isinstance(stop, KeyboardInterrupt):
                    raise
                what = "terminated" if isinstance(stop, Terminated) else "interrupted"
                raise interrupted(
                    stop,
                    f"{what} after {report_.done} of {report_.total} files; finished "
                    "files are kept: rerun the same command to resume",
                ) from None
            _tidy(manifest, paths, opts, folder, report_, failing=False)
    return report_


def _tidy(
    manifest: Manifest,
    paths: list[str],
    opts: BatchOptions,
    folder: Folder,
    report_: BatchReport,
    *,
    failing: bool,
) -> None:
    """Compact the manifest and write index.html. When the run is FAILING already, a write
    that fails here is said as a warning (the appended manifest still records every finished
    file); otherwise it is the run's error."""
    try:
        manifest.compact(_kept(manifest, paths, opts, folder))
        report_.index = write_index(folder)
    except OutputError as e:
        if not failing:
            raise
        log.warning("%s", e)


def _output_names(paths: list[str], fmt: str) -> list[str]:
    names = []
    for rel in paths:
        try:
            names.append(output_name(rel, fmt))
        except OutputError:
            continue
    return names


def _kept(manifest: Manifest, paths: list[str], opts: BatchOptions, folder: Folder) -> list[str]:
    """The records compaction keeps: this run's inputs, and any other record whose input or
    output is still there. A run that finds fewer inputs (another --glob, a folder emptied or
    not mounted) never erases the record of finished work."""
    root = opts.in_dir.resolve()
    kept = set(paths)
    for rel, record in manifest.records.items():
        if rel in kept:
            continue
        if os.path.lexists(root / rel) or (record.output and folder.is_file(record.output)):
            kept.add(rel)
    return sorted(kept)


def _drive(
    executor: Executor,
    engine: Engine,
    opts: BatchOptions,
    found: Found,
    paths: list[str],
    folder: Folder,
    manifest: Manifest,
    report_: BatchReport,
    progress: ProgressFn | None,
) -> None:
    key = settings_key(engine, opts.task, opts.fmt)
    root = opts.in_dir.resolve()
    within = None if opts.follow_links else str(root)
    items = []
    for rel in paths:
        previous = manifest.records.get(rel)
        done = None
        if not opts.force and previous is not None and is_done(previous, key, folder, opts.fmt):
            done = previous.sha256
        items.append(WorkItem(rel, str(root / found.inputs[rel]), done, within))
    report(progress, "files", 0, len(items))
    earlier = Earlier()
    for outcome in executor.run(items):
        previous = manifest.records.get(outcome.rel)
        # An output and its manifest line are written together: Ctrl-C or SIGTERM waits
        # until both are (milliseconds), so a stop never leaves an output without its record.
        with signals_deferred():
            if outcome.status == "skipped" and previous is not None:
                # the output of an earlier run: keep its status and time
                record = replace(previous, reused=True)
                report_.reused += 1
                status = "reused"
            else:
                record = make_record(opts.fmt, outcome, key, folder, previous)
                if record.status == "failed":
                    report_.failed += 1
                    report_.failures.append(record)
                else:
                    report_.ok += 1
                    earlier.replaced(folder, previous, record.output)
                status = record.status
            manifest.append(record)
        # counted once its output and its manifest line are written, one file at a time
        report(progress, "files", report_.done, len(items), outcome.rel, status)
    report_.notes += earlier.notes()


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold the signals that stop a run (STOP_SIGNALS: SIGINT, SIGTERM, SIGHUP) until the
    block ends; they are acted on then.

    The Python handlers are swapped for ones that only record the signal, and put back after
    the block, when each recorded signal goes to its own handler (the default action: the
    signal is raised again). CPython runs Python handlers in the main thread whichever thread
    the system hands the signal to, so this holds a signal sent to the process while a
    CTranslate2 or OpenMP worker thread runs, or sent to such a thread; blocking it with
    pthread_sigmask, which covers the calling thread only, did not. In a thread other than
    the main one (which cannot set handlers) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def record(signum: int, frame: object) -> None:
        held.append(signum)

    previous: dict[int, Any] = {}
    try:
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, record)
        yield
    finally:
        for held_signal, handler in previous.items():
            signal.signal(held_signal, handler)
        for number in dict.fromkeys(held):
            _act_on(number, previous.get(number))


def _act_on(signum: int, handler: Any) -> None:
    """Do what HANDLER, the handler of SIGNUM before it was held, does with it now."""
    if callable(handler):
        handler(signum, None)  # the CLI's: raises KeyboardInterrupt or Terminated
    elif handler != signal.SIG_IGN:  # the default action (or a handler set outside Python)
        signal.raise_signal(signum)


def write_index(folder: Folder) -> Path:
    """OUT_DIR/index.html: every article of every manifest here, with its title and status.

    A manifest that cannot be read safely (a link, a folder) is left out of the index.
    """
    records: dict[str, Record] = {}
    for name in folder.names():
        if fnmatch.fnmatch(name, "manifest*.jsonl"):
            try:
                raw = folder.read(name)
            except OutputError:
                continue
            if raw is not None:
                records.update(parse_records(raw.decode("utf-8", errors="replace")))
    folder.write("index.html", index_page([records[rel] for rel in sorted(records)]))
    return folder.path / "index.html"
