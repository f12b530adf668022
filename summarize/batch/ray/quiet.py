"""Keeping Ray's own output off stdout, and off stderr unless ``--ray-logs``."""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from typing import Any, TextIO

__all__ = ["QuietRay", "RayStdout"]


class QuietRay:
    """Ray's own output kept off stdout, and off stderr too unless verbose.

    Ray's driver threads print worker deaths and worker logs to sys.stdout ("(raylet) A worker
    died ..."), even with log_to_driver=False; a stdout proxy sends what Ray's threads write
    to stderr (verbose) or nowhere. It stays after stop(): a thread may still print once Ray
    has shut down. (What ray.shutdown() prints from its caller's thread, cluster.leave
    redirects.) Ray Data's console log handler is quietened while the executor is open.
    """

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self._levels: list[tuple[logging.Handler, int]] = []

    def start(self) -> None:
        proxy = sys.stdout if isinstance(sys.stdout, RayStdout) else RayStdout(sys.stdout)
        proxy.ray_sink = sys.stderr if self.verbose else None
        sys.stdout = proxy
        if not self.verbose:
            importlib.import_module("ray.data")  # configures its loggers; then quieten them
            for handler in logging.getLogger("ray.data").handlers:
                if not isinstance(handler, logging.FileHandler):
                    self._levels.append((handler, handler.level))
                    handler.setLevel(logging.CRITICAL + 1)

    def stop(self) -> None:
        for handler, level in self._levels:
            handler.setLevel(level)
        self._levels = []


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
