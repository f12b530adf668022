"""One way to report progress, for the pipeline and for batch alike.

Long work calls a :data:`ProgressFn` with a :class:`Progress` event; the CLI draws it on
stderr (a spinner for stages, a bar for files), a library user may log it, and tests read it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Progress",
    "ProgressFn",
    "StageClock",
    "Throughput",
    "per_batch",
    "report",
    "time_left",
]


@dataclass(frozen=True)
class Progress:
    """``stage`` is what is happening ("loading translator opus-mt-ar-en", "summarizing",
    "reduce round 1", "translating", "files"); ``done`` of ``total`` units are finished;
    ``item`` names the unit just finished or started (a file, in batch), when there is one,
    and ``status`` how it ended (batch: ``ok``, ``reused`` or ``failed``). ``unit`` names what
    is counted ("chunks", "sentences") where a person would not guess it.

    The model stages report as each model batch finishes (0 of N when they start), so a long
    article's progress moves during a round rather than jumping from 0 to N at its end."""

    stage: str
    done: int
    total: int
    item: str | None = None
    status: str | None = None
    unit: str | None = None


ProgressFn = Callable[[Progress], None]


def report(
    fn: ProgressFn | None,
    stage: str,
    done: int,
    total: int,
    item: str | None = None,
    status: str | None = None,
    *,
    unit: str | None = None,
) -> None:
    """Call FN with the event, when there is an FN."""
    if fn is not None:
        fn(Progress(stage, done, total, item, status, unit))


def per_batch(
    fn: ProgressFn | None, stage: str, owners: Sequence[int], total: int, unit: str
) -> Callable[[Sequence[int]], None] | None:
    """For a model call over texts that belong to units (OWNERS[i]: the unit of text i; a
    long sentence can be cut into several texts): a callback for each finished model batch
    that reports the units all of whose texts are done, of TOTAL, and the first event (the
    units with no text at all are done at once). None when nobody listens."""
    if fn is None:
        return None
    left = Counter(owners)
    done = total - len(left)
    report(fn, stage, done, total, unit=unit)

    def finished(batch: Sequence[int]) -> None:
        nonlocal done
        for i in batch:
            left[owners[i]] -= 1
            done += left[owners[i]] == 0
        report(fn, stage, done, total, unit=unit)

    return finished


class StageClock:
    """The time left of the stage under way, from its own pace so far.

    A stage's clock starts at its first event (0 of N, sent when it starts) and restarts when
    another stage begins. There is no estimate before the first unit of a stage is done, nor
    in its first second (one quick unit says little), nor once it is done: the time left is
    elapsed × (left / done), never a guess. Each round of a map-reduce is its own stage, as is
    the translation; how many rounds follow is not known in advance, so nothing claims to
    know when the whole article will be done.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, settle: float = 1.0) -> None:
        self.clock = clock
        self.settle = settle
        self.stage: str | None = None
        self.started = 0.0

    def update(self, event: Progress) -> float | None:
        """Take EVENT; return the seconds its stage has left, or None when there is no
        honest estimate."""
        now = self.clock()
        if event.stage != self.stage or event.done == 0:
            self.stage, self.started = event.stage, now
        elapsed = now - self.started
        if event.done <= 0 or event.done >= event.total or elapsed < self.settle:
            return None
        return elapsed * (event.total - event.done) / event.done


def time_left(seconds: float) -> str:
    """SECONDS left as a person says it: "about 40 s left", "about 3 min left"."""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    if seconds < 3600:
        return f"about {round(seconds / 60)} min left"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"about {hours} h {minutes:02d} min left"


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
