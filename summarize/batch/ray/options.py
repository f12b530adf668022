"""What a Ray run is asked for: where, how many workers, what each asks of the cluster.

Parsed from the command line's text and checked for form only: nothing of Ray is imported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from summarize.batch.local import LocalExecutor
from summarize.errors import UsageError

__all__ = ["RayOptions", "host_port", "parse_address", "parse_workers"]


@dataclass(frozen=True)
class RayOptions:
    """How to run on Ray: where, how many workers, and what each asks of the cluster."""

    # None: the running cluster if there is one (RAY_ADDRESS, `ray start`), else a local one;
    # "auto": a running cluster, or an error; "local": always a new local cluster;
    # "HOST:PORT" (the head's GCS, 6379 by default) or "ray://HOST:PORT" (Ray Client).
    address: str | None = None
    min_workers: int = 1
    max_workers: int = 1
    gpus_per_worker: float = 0.0
    threads: int | None = None  # torch threads per worker, and its CPU request (default 1)
    local_cpus: int | None = None  # size of a local cluster; None: every core
    batch_files: int = LocalExecutor.window  # files per actor call: the local executor's window
    verbose: bool = False  # Ray's own logs and warnings on stderr

    @classmethod
    def parse(
        cls,
        *,
        address: str | None = None,
        workers: str | None = None,
        gpus_per_worker: str | float | None = None,
        threads: str | int | None = None,
        verbose: bool = False,
    ) -> RayOptions:
        """The options from the command line's text; UsageError naming the valid forms."""
        low, high = parse_workers(workers)
        return cls(
            address=parse_address(address),
            min_workers=low,
            max_workers=high,
            gpus_per_worker=_parse_gpus(gpus_per_worker),
            threads=_parse_threads(threads),
            verbose=verbose,
        )

    def __post_init__(self) -> None:
        if not 1 <= self.min_workers <= self.max_workers:
            raise UsageError(
                f"--workers needs 1 <= MIN <= MAX; got {self.min_workers}-{self.max_workers}"
            )
        if self.batch_files < 1:
            raise UsageError(f"batch_files must be at least 1; got {self.batch_files}")

    @property
    def cpus_per_worker(self) -> float:
        return float(self.threads or 1)


def parse_workers(text: str | None) -> tuple[int, int]:
    """'N' -> (N, N), a fixed pool; 'MIN-MAX' -> an autoscaling pool; None -> (1, 1)."""
    if text is None:
        return 1, 1
    usage = f"--workers takes N or MIN-MAX, like 2 or 1-4; got {text!r}"
    low_text, sep, high_text = text.strip().partition("-")
    try:
        low = int(low_text)
        high = int(high_text) if sep else low
    except ValueError:
        raise UsageError(usage) from None
    if low < 1 or high < low:
        raise UsageError(f"{usage}: MIN must be at least 1 and MAX at least MIN")
    return low, high


def _parse_gpus(value: str | float | None) -> float:
    if value is None:
        return 0.0
    try:
        gpus = float(value)
    except ValueError:
        raise UsageError(
            f"--gpus-per-worker takes a number, like 1 or 0.5 (two workers share a GPU); got {value!r}"
        ) from None
    if not (math.isfinite(gpus) and gpus >= 0):
        raise UsageError(f"--gpus-per-worker must be 0 or more; got {value!r}")
    if gpus > 1 and not gpus.is_integer():
        raise UsageError(f"--gpus-per-worker above 1 must be a whole number; got {value!r}")
    return gpus


def _parse_threads(value: str | int | None) -> int | None:
    if value is None:
        return None
    try:
        threads = int(value)
    except ValueError:
        raise UsageError(f"--threads takes a whole number, like 2; got {value!r}") from None
    if threads < 1:
        raise UsageError(f"--threads must be at least 1; got {value!r}")
    return threads


def parse_address(text: str | None) -> str | None:
    """None, 'auto', 'local', 'HOST:PORT' or 'ray://HOST:PORT', checked for form only."""
    if text is None or not text.strip():
        return None
    address = text.strip()
    if address in ("auto", "local"):
        return address
    try:
        host_port(address)
    except ValueError:
        raise UsageError(
            "--ray-address takes auto, local, HOST:PORT (the head node's address, port 6379 "
            f"by default; `ray status` on it prints it) or ray://HOST:PORT; got {text!r}"
        ) from None
    return address


def host_port(address: str) -> tuple[str, int]:
    rest = address.removeprefix("ray://")
    host, sep, port_text = rest.rpartition(":")
    host = host.strip("[]")  # [::1]:6379
    if not sep or not host or "/" in host or not port_text.isdigit():
        raise ValueError(address)
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise ValueError(address)
    return host, port
