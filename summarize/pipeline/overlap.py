"""Work hidden behind other work: a model loading on a thread of its own, and what it can do
there early, while the foreground is still loading.

A brief loads two models. The summarizer's load is one thread reading a file (585 MB for the
int8 mT5); the translator (78 MB) loads beside it, and when the cores allow it translates the
article's headline there, before the summary exists. "When the cores allow": the early work
starts only while the foreground is still loading, only if its threads and the loading thread
fit in the cores, and the foreground waits for it before it starts its own threads, so the
two never ask for more threads than there are cores (a shared 2-core machine punishes that).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["AsideLoad"]

log = logging.getLogger("summarize")
M = TypeVar("M")


class AsideLoad(Generic[M]):
    """LOAD run on a thread of its own; then EARLY(model) on the same thread, if it takes at
    most SPARE threads (``threads_of(model)``) and the foreground has not finished loading."""

    def __init__(
        self,
        load: Callable[[], M],
        *,
        early: Callable[[M], None] | None = None,
        threads_of: Callable[[M], int] = lambda _: 1,
        spare: int = 0,
    ) -> None:
        self._load = load
        self._early = early
        self._threads_of = threads_of
        self._spare = spare
        self._future: Future[M] = Future()
        self._lock = threading.Lock()
        self._foreground_loading = True
        self._idle = threading.Event()  # clear while early work uses the cores
        self._idle.set()
        self.early_ran = False
        # Not a daemon: a load interrupted by the interpreter's exit could crash in C++.
        self._thread = threading.Thread(target=self._run, name="summarize-load", daemon=False)
        self._thread.start()

    def _run(self) -> None:
        try:
            model = self._load()
        except BaseException as e:  # handed to whoever waits for the model
            self._future.set_exception(e)
            return
        self._future.set_result(model)
        if self._early is None:
            return
        with self._lock:
            go = self._foreground_loading and self._threads_of(model) <= self._spare
            if go:
                self._idle.clear()
        if not go:
            return
        try:
            self._early(model)
            self.early_ran = True
        except Exception as e:  # the same work is done again where it is needed, and fails there
            log.debug("early work beside loading failed: %s", e)
        finally:
            self._idle.set()

    def foreground_loaded(self) -> None:
        """The foreground has loaded: from now on no early work starts; wait for any that
        runs, so that the foreground's threads never share the cores with it."""
        with self._lock:
            self._foreground_loading = False
        self._idle.wait()

    def result(self) -> M:
        """The model, once loaded; the load's exception if it failed."""
        return self._future.result()

    def join(self) -> None:
        """Wait until the thread has finished (its load and any early work)."""
        self._thread.join()
