"""The local executor: batch work in this process, a window of files at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from summarize.batch.work import Outcome, WorkItem, process_items, read_item
from summarize.pipeline.engine import Engine
from summarize.tasks import Task

__all__ = ["LocalExecutor"]


class LocalExecutor:
    """Reads WINDOW files, runs them through the engine (several at once where the backend
    allows), yields each outcome as it finishes, then reads the next window. Memory stays
    bounded by the window, whatever the number of files."""

    window = 16

    def __init__(self, engine: Engine, task: Task, fmt: str, max_chars: int) -> None:
        self.engine = engine
        self.task = task
        self.fmt = fmt
        self.max_chars = max_chars

    def run(self, items: Sequence[WorkItem]) -> Iterator[Outcome]:
        for start in range(0, len(items), self.window):
            loaded = [
                (item, *read_item(item, self.max_chars))
                for item in items[start : start + self.window]
            ]
            yield from process_items(self.engine, self.task, self.fmt, self.max_chars, loaded)
