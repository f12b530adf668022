"""Keeping Ray's own output off stdout, and off stderr unless ``--ray-logs``."""

from __future__ import annotations

import importlib
import io
import logging
import os
import sys
import threading
from typing import Any, TextIO

__all__ = ["NativeStderr", "QuietRay", "RayStdout"]


class QuietRay:
    """Ray's own output kept off stdout, and off stderr too unless verbose.

    Ray's driver threads print worker deaths and worker logs to sys.stdout ("(raylet) A worker
    died ..."), even with log_to_driver=False; a stdout proxy sends what Ray's threads write
    to stderr (verbose) or nowhere. It stays after stop(): a thread may still print once Ray
    has shut down. (What ray.shutdown() prints from its caller's thread, cluster.leave
    redirects.) Ray Data's console log handler is quietened, and Ray's C++ log lines kept off
    stderr (NativeStderr), while the executor is open.
    """

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self._levels: list[tuple[logging.Handler, int]] = []
        self._native = NativeStderr()

    def start(self) -> None:
        proxy = sys.stdout if isinstance(sys.stdout, RayStdout) else RayStdout(sys.stdout)
        proxy.ray_sink = sys.stderr if self.verbose else None
        sys.stdout = proxy
        if not self.verbose:
            self._native.start()
            importlib.import_module("ray.data")  # configures its loggers; then quieten them
            for handler in logging.getLogger("ray.data").handlers:
                if not isinstance(handler, logging.FileHandler):
                    self._levels.append((handler, handler.level))
                    handler.setLevel(logging.CRITICAL + 1)

    def stop(self) -> None:
        for handler, level in self._levels:
            handler.setLevel(level)
        self._levels = []
        self._native.stop()


class RayStdout:
    """sys.stdout for everyone but Ray's background threads (named ray_*)."""

    def __init__(self, real: TextIO, ray_sink: TextIO | None = None) -> None:
        self.real = real
        self.ray_sink = ray_sink

    def write(self, text: str) -> int:
        if threading.current_thread().name.startswith("ray_"):
            if self.ray_sink is not None:
                self.ray_sink.write(text)
            return len(text)
        return self.real.write(text)

    def flush(self) -> None:
        self.real.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class NativeStderr:
    """Ray's C++ core writes its log lines to descriptor 2 itself, past sys.stderr ("[… E …]
    core_worker.cc:2465: Actor with class name …" on every run). While started, descriptor 2
    is /dev/null (Ray's log files keep those lines), and what Python writes to stderr goes to a
    copy of the real one, so progress, warnings and errors still show. Where Python's stderr is
    not descriptor 2 (a test's capture), only the descriptor moves. stop() puts all back."""

    def __init__(self) -> None:
        self._saved: int | None = None
        self._python: tuple[TextIO, TextIO] | None = None  # (sys.stderr before, during)
        self._handlers: list[logging.StreamHandler[TextIO]] = []

    def start(self) -> None:
        if self._saved is not None:
            return
        old = sys.stderr
        try:
            old.flush()
            on_descriptor_2 = old.fileno() == 2
        except (AttributeError, OSError, ValueError):
            on_descriptor_2 = False
        saved = os.dup(2)
        if on_descriptor_2:
            raw = io.FileIO(os.dup(saved), "w")
            new = io.TextIOWrapper(
                raw,
                encoding=getattr(old, "encoding", None) or "utf-8",
                errors=getattr(old, "errors", None) or "backslashreplace",
                line_buffering=True,
                write_through=True,
            )
            sys.stderr = new
            self._python = (old, new)
            for handler in _stream_handlers():
                if handler.stream is old:
                    handler.setStream(new)
                    self._handlers.append(handler)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        self._saved = saved

    def stop(self) -> None:
        if self._saved is None:
            return
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._saved = None
        if self._python is not None:
            old, new = self._python
            if sys.stderr is new:
                sys.stderr = old
            for handler in self._handlers:
                handler.setStream(old)
            self._handlers = []
            self._python = None
            new.close()


def _stream_handlers() -> list[logging.StreamHandler[TextIO]]:
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    return [h for lg in loggers for h in lg.handlers if isinstance(h, logging.StreamHandler)]
