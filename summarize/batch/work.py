"""The unit of batch work, wherever it runs: a file in, an :class:`Outcome` out.

The driver (``runner``) decides which files need work and writes what comes back; an engine
(``local``, or ``ray`` across machines) runs :func:`process_items` where the work happens.
Outcomes carry the rendered output, so any engine gives the driver the same bytes to write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from summarize.articles import Article, article_from_bytes, read_file_bytes
from summarize.errors import InputNotFound, SummarizeError
from summarize.pipeline.engine import Engine
from summarize.render import render
from summarize.results import Result
from summarize.tasks import Task

__all__ = ["Outcome", "WorkItem", "process_items", "read_item"]


@dataclass(frozen=True)
class WorkItem:
    """One input file. ``done_sha256``: the input hash of an intact output already made with
    the same settings, so the file is skipped if its bytes still hash to it."""

    rel: str  # path relative to the input folder (POSIX, decoded), as shown and recorded
    path: str  # absolute path to read
    done_sha256: str | None = None
    within: str | None = None  # refuse the file if, once opened, it lies outside this folder


@dataclass
class Outcome:
    """One file processed: what the driver writes and records."""

    rel: str
    sha256: str
    status: str  # "ok", "skipped" or "failed"
    encoding: str | None = None
    text: str | None = None  # the rendered output, when ok
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    title_ar: str | None = None
    title_en: str | None = None
    summary_en: str | None = None


def read_item(item: WorkItem, max_chars: int) -> tuple[bytes | SummarizeError, str]:
    """The file's bytes (or why it cannot be read) and their sha256 (of nothing, if unread).

    read_file_bytes refuses FIFOs and devices (a FIFO named *.txt would block the batch
    forever, a link to /dev/zero would never end) and oversized files, before reading.
    """
    path = Path(item.path)
    within = Path(item.within) if item.within is not None else None
    try:
        data: bytes | SummarizeError = read_file_bytes(
            path, item.rel, max_chars=max_chars, within=within
        )
    except InputNotFound as e:
        gone = not path.exists() and not path.is_symlink()
        data = InputNotFound(f"{item.rel}: the file disappeared before it was read") if gone else e
    except SummarizeError as e:
        data = e
    digest = hashlib.sha256(data if isinstance(data, bytes) else b"").hexdigest()
    return data, digest


def process_items(
    engine: Engine,
    task: Task,
    fmt: str,
    max_chars: int,
    items: Iterable[tuple[WorkItem, bytes | SummarizeError, str]],
) -> Iterator[Outcome]:
    """Outcomes for already-read ITEMS (item, bytes or error, sha256), as each finishes.

    A file whose bytes still hash to ``done_sha256`` is skipped before any decoding; a file
    that cannot be decoded or processed is a failed outcome, never an exception.
    """
    pending: list[tuple[WorkItem, str, Article]] = []
    for item, data, digest in items:
        if item.done_sha256 is not None and item.done_sha256 == digest:
            yield Outcome(item.rel, digest, "skipped")
            continue
        if isinstance(data, SummarizeError):
            yield Outcome(item.rel, digest, "failed", error=str(data))
            continue
        try:
            article = article_from_bytes(data, item.rel, max_chars=max_chars)
        except SummarizeError as e:
            yield Outcome(item.rel, digest, "failed", error=str(e))
            continue
        pending.append((item, digest, article))
    articles = [article for _, _, article in pending]
    for i, result in engine.run_many(task, articles):
        item, digest, article = pending[i]
        yield _outcome(item, digest, article, result, fmt)


def _outcome(
    item: WorkItem, digest: str, article: Article, result: Result | SummarizeError, fmt: str
) -> Outcome:
    if isinstance(result, SummarizeError):
        return Outcome(item.rel, digest, "failed", encoding=article.encoding, error=str(result))
    seconds = round(result.timings.get("total_s", 0.0), 3)
    result.timings = {}  # outputs must be identical run to run; seconds go in the manifest
    english = [line.en for line in result.lines][:3]
    return Outcome(
        rel=item.rel,
        sha256=digest,
        status="ok",
        encoding=article.encoding,
        text=render(result, fmt),
        warnings=result.warnings,
        seconds=seconds,
        title_ar=result.title.ar if result.title else None,
        title_en=result.title.en if result.title else None,
        summary_en=" ".join(english) or None,
    )
