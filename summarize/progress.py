"""One way to report progress, for the pipeline and for batch alike.

Long work calls a :data:`ProgressFn` with a :class:`Progress` event; the CLI draws it on
stderr (a spinner for stages, a bar for files), a library user may log it, and tests read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Progress", "ProgressFn", "Throughput", "report"]


@dataclass(frozen=True)
class Progress:
    """``stage`` is what is happening ("loading translator opus-mt-ar-en", "translating",
    "files"); ``done`` of ``total`` units are finished; ``item`` names the unit just finished
    or started (a file, in batch), when there is one, and ``status`` how it ended (batch:
    ``ok``, ``reused`` or ``failed``)."""

    stage: str
    done: int
    total: int
    item: str | None = None
    status: str | None = None


ProgressFn = Callable[[Progress], None]


def report(
    fn: ProgressFn | None,
    stage: str,
    done: int,
    total: int,
    item: str | None = None,
    status: str | None = None,
) -> None:
    """Call FN with the event, when there is an FN."""
    if fn is not None:
        fn(Progress(stage, done, total, item, status))


class Throughput:
    """A batch's rate and time left, true from the first file.

    Only files the models worked on (``ok``) count toward the rate: a reused output or a file
    refused before any model ran takes no time, and counting them made a batch claim hundreds
    of files a minute. Time spent loading models ("loading …" events, 0/1 then 1/1) is not work
    time. The clock is read when asked, so while a slow file runs the rate falls and the time
    left grows, instead of the last estimate standing still.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started: float | None = None
        self.loading_since: float | None = None
        self.loading = 0.0
        self.loads_open = 0
        self.worked = self.done = self.total = 0

    def update(self, event: Progress) -> None:
        now = self.clock()
        if self.started is None:
            self.started = now
        if event.stage == "files":
            self.done, self.total = event.done, event.total
            self.worked += event.status == "ok"
        elif event.stage.startswith("loading "):
            # Two models can load at once (a brief's translator beside its summarizer):
            # loading time runs from the first start to the last end.
            if event.done < event.total:
                self.loads_open += 1
                if self.loading_since is None:
                    self.loading_since = now
            elif self.loading_since is not None:
                self.loads_open = max(0, self.loads_open - 1)
                if not self.loads_open:
                    self.loading += now - self.loading_since
                    self.loading_since = None

    def work_seconds(self) -> float:
        now = self.clock()
        loading = self.loading + (now - self.loading_since if self.loading_since else 0.0)
        return max(0.0, now - (self.started if self.started is not None else now) - loading)

    def per_minute(self) -> float | None:
        """Files per minute of work so far; None until the models have finished one."""
        seconds = self.work_seconds()
        return self.worked / seconds * 60 if self.worked and seconds > 0 else None

    def seconds_left(self) -> float | None:
        """Seconds until the last file is done, at the rate so far; None before there is one."""
        rate = self.per_minute()
        return (self.total - self.done) / rate * 60 if rate else None
