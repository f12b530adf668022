"""The batch driver: decide what needs work, hand it to an engine, write what comes back.

The output folder holds the outputs (mirroring the input tree), ``manifest.jsonl`` (one line
per input) and ``index.html``. Every file is written atomically (temp file, then rename), the
manifest is appended and fsynced line by line, and a lock keeps two runs from sharing a folder.
Rerunning the same command skips inputs already done with the same content and settings.
"""

from __future__ import annotations

import fnmatch
import json
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Protocol

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.batch.discover import DEFAULT_GLOBS, Found, Ignored, Shard, find_inputs
from summarize.batch.lock import folder_lock
from summarize.batch.manifest import Manifest, Record, now_utc, parse_records, sha256_text
from summarize.batch.outputs import (
    EXTENSIONS,
    Earlier,
    intact,
    output_name,
    remove_stale_temp_files,
)
from summarize.batch.work import Outcome, WorkItem
from summarize.errors import OutputError, Terminated, UsageError, interrupted
from summarize.fileio import Folder
from summarize.pipeline.engine import Engine
from summarize.progress import ProgressFn, report
from summarize.render.index import index_page
from summarize.tasks import Task
from summarize.version import __version__

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
            except KeyboardInterrupt as stop:
                what = "terminated" if isinstance(stop, Terminated) else "interrupted"
                raise interrupted(
                    stop,
                    f"{what} after {report_.done} of {report_.total} files; finished "
                    "files are kept: rerun the same command to resume",
                ) from None
            finally:
                manifest.compact(_kept(manifest, paths, opts, folder))
                report_.index = write_index(folder)
    return report_


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
        if not opts.force and previous is not None and _is_done(previous, key, folder):
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
                record = _record(opts, outcome, key, folder, previous)
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
    """Hold SIGINT and SIGTERM until the block ends; they are delivered then (POSIX, main
    thread; elsewhere this does nothing)."""
    held = {signal.SIGINT, signal.SIGTERM}
    usable = (
        hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _record(
    opts: BatchOptions, outcome: Outcome, key: str, folder: Folder, previous: Record | None
) -> Record:
    """Write OUTCOME's output (when it has one) and make its manifest record.

    A file that fails has no output: an output an earlier run made for it is removed (it
    was made from other bytes or other settings), and the record says so. So the folder
    never shows an old result beside a ``failed`` record.
    """
    failed = Record(
        outcome.rel,
        outcome.sha256,
        "failed",
        encoding=outcome.encoding,
        error=outcome.error,
        settings=key,
        finished=now_utc(),
    )
    target = None
    if outcome.status == "ok" and outcome.text is not None:
        try:
            target = output_name(outcome.rel, opts.fmt)
            folder.write(target, outcome.text)
        except OutputError as e:
            failed.error = str(e)
            target = None
    if target is None or outcome.text is None:
        stale = previous.output if previous is not None else None
        if stale and _remove(folder, stale):
            failed.error = f"{failed.error or 'failed'}; its earlier output {stale} was removed"
        return failed
    return Record(
        path=outcome.rel,
        sha256=outcome.sha256,
        status="ok",
        output=target,
        output_sha256=sha256_text(outcome.text),
        encoding=outcome.encoding,
        warnings=outcome.warnings,
        seconds=outcome.seconds,
        settings=key,
        title_ar=outcome.title_ar,
        title_en=outcome.title_en,
        summary_en=outcome.summary_en,
        finished=now_utc(),
    )


def _remove(folder: Folder, rel: str) -> bool:
    try:
        return folder.unlink(rel)
    except OutputError:
        return False


def _is_done(previous: Record, key: str, folder: Folder) -> bool:
    """Whether PREVIOUS finished with these settings and its output is still intact."""
    if previous.status != "ok" or previous.settings != key:
        return False
    return intact(previous, folder)


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
