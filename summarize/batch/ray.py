"""`summarize batch --executor ray`: the batch's work done on a Ray cluster, through Ray Data.

The driver (``runner``) still lists the inputs, decides what may be skipped, and writes every
output, manifest line and the index itself. This engine only turns work items into outcomes,
streaming, with the same :func:`~summarize.batch.work.process_items` as the local executor:

    work items -> read: Ray tasks (``read_item``), so files are read where the work runs
               -> process: an actor pool; each actor builds its Engine once
               -> back to the driver with iter_rows, outcomes in any order

Nothing of Ray is imported until an engine is built: ``--help`` stays instant.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import json
import logging
import math
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from summarize import errors
from summarize.backends import LoadOptions
from summarize.batch.local import LocalExecutor
from summarize.batch.work import Outcome, WorkItem, process_items, read_item
from summarize.errors import SummarizeError, UsageError, first_line
from summarize.pipeline.engine import Engine
from summarize.registry import ModelSpec, Registry
from summarize.tasks import Task

if TYPE_CHECKING:
    from ray.data import Dataset

__all__ = ["JobSpec", "RayExecutor", "RayJobFailed", "RayNotInstalled", "RayOptions"]

log = logging.getLogger("summarize")

INSTALL_HINT = "pip install 'summarize[ray]'"
READ_CPUS = 0.25  # per read task: reading is I/O; the actors keep the cores
MAX_CRASHES = 2  # a file in hand at this many worker deaths is given up as failed
STALE_JOURNAL_SECONDS = 24 * 3600
PROBE_SECONDS = 5.0
WAIT_FOR_WORKERS_SECONDS = 600  # on a cluster we did not start; a local one is checked first

# One file for process_items: the item, its bytes (or why they cannot be read), their sha256.
Item = tuple[WorkItem, bytes | SummarizeError, str]
Processor = Callable[[list[Item]], Iterable[Outcome]]


class RayNotInstalled(UsageError):
    """--executor ray without the optional extra."""


class RayJobFailed(SummarizeError):
    """Ray stopped the job: workers lost for good, a cluster that went away."""


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to rebuild the driver's Engine: settings only, picklable."""

    task: Task
    fmt: str
    max_chars: int
    registry: Registry
    summarizer: ModelSpec
    translator: ModelSpec
    options: LoadOptions

    @classmethod
    def from_engine(cls, engine: Engine, task: Task, fmt: str, max_chars: int) -> JobSpec:
        """The driver's models and settings (offline resolved here: workers may not see
        the driver's environment)."""
        return cls(
            task=task,
            fmt=fmt,
            max_chars=max_chars,
            registry=engine.registry,
            summarizer=engine.summarizer_spec,
            translator=engine.translator_spec,
            options=engine.options.resolved(),
        )


# Builds a worker's Processor from the JobSpec, once per actor.
ProcessorFactory = Callable[[JobSpec], Processor]


def library_processor(job: JobSpec) -> Processor:
    """The worker's Engine, through the library API, with the driver's resolved models.

    Models load on the first file that needs them, once per worker: a rerun where every file
    is skipped loads none.
    """
    engine = Engine(registry=job.registry, options=job.options)
    engine.summarizer_spec = job.summarizer  # as the driver resolved them: same settings key
    engine.translator_spec = job.translator
    return functools.partial(process_items, engine, job.task, job.fmt, job.max_chars)


# -- options -------------------------------------------------------------------------------


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
        _host_port(address)
    except ValueError:
        raise UsageError(
            "--ray-address takes auto, local, HOST:PORT (the head node's address, port 6379 "
            f"by default; `ray status` on it prints it) or ray://HOST:PORT; got {text!r}"
        ) from None
    return address


def _host_port(address: str) -> tuple[str, int]:
    rest = address.removeprefix("ray://")
    host, sep, port_text = rest.rpartition(":")
    host = host.strip("[]")  # [::1]:6379
    if not sep or not host or "/" in host or not port_text.isdigit():
        raise ValueError(address)
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise ValueError(address)
    return host, port


# -- the engine ----------------------------------------------------------------------------


def require_ray() -> None:
    """Raise RayNotInstalled, with the way out, where Ray Data cannot be imported."""
    try:
        importlib.import_module("ray.data")
    except ImportError as e:
        raise RayNotInstalled(
            f"--executor ray needs Ray, which is not installed ({e}): {INSTALL_HINT}"
        ) from None


@dataclass(frozen=True)
class WorkerResources:
    """What each actor and each read task asks of the cluster."""

    cpus: float
    gpus: float
    read_cpus: float = READ_CPUS


def plan_resources(
    options: RayOptions, cluster_cpus: float, cluster_gpus: float, local: bool
) -> WorkerResources:
    """Size the actors so the pool can never hold every CPU while reads wait.

    On a local cluster, MAX actors of `threads` CPUs each plus one read task must fit; where
    they do not, each actor asks for an equal share of what the reads leave (a logical request:
    its torch threads are still `threads`). A cluster we did not start may grow (an
    autoscaler), so there a misfit is only a warning, and Ray Data waits for room.
    """
    cpus = options.cpus_per_worker
    gpus = options.gpus_per_worker
    need_cpus = options.max_workers * cpus + READ_CPUS
    if local:
        if gpus and cluster_gpus < options.min_workers * gpus:
            raise UsageError(
                f"this machine has {cluster_gpus:g} GPU(s); --workers {options.min_workers} with "
                f"--gpus-per-worker {gpus:g} needs {options.min_workers * gpus:g}: lower them, or "
                "pass --ray-address of a cluster with GPU nodes"
            )
        if need_cpus > cluster_cpus:
            cpus = (cluster_cpus - READ_CPUS) / options.max_workers
    elif need_cpus > cluster_cpus or options.min_workers * gpus > cluster_gpus:
        log.warning(
            "the Ray cluster has %g CPU(s) and %g GPU(s) now; %d worker(s) of %g CPU(s) and "
            "%g GPU(s) each start only as room appears (an autoscaler may add nodes)",
            cluster_cpus,
            cluster_gpus,
            options.max_workers,
            cpus,
            gpus,
        )
    return WorkerResources(cpus=cpus, gpus=gpus)


class RayExecutor:
    """Turns work items into outcomes on a Ray cluster: a Executor for ``run_batch``.

    Use it as a context manager, so a cluster it started is shut down at the end, Ctrl-C
    included. Where this process is already connected to Ray (``ray.init`` was called), that
    connection is used and left open. ``run`` streams outcomes in any order, each exactly once;
    a file that fails is a failed outcome, a worker that dies is restarted and its files redone,
    and a file in hand at MAX_CRASHES worker deaths is given up as failed so the rest can finish.

    >>> job = JobSpec.from_engine(engine, "brief", "markdown", DEFAULT_MAX_CHARS)  # doctest: +SKIP
    >>> with RayExecutor(RayOptions.parse(workers="1-4"), job) as ray_executor:        # doctest: +SKIP
    ...     run_batch(engine, opts, progress, executor=ray_executor)
    """

    def __init__(
        self,
        options: RayOptions,
        job: JobSpec,
        processor_factory: ProcessorFactory = library_processor,
    ) -> None:
        if options.gpus_per_worker and job.options.device == "cpu":
            raise UsageError(
                "--gpus-per-worker reserves GPUs that --device cpu would leave idle; "
                "use --device auto (or cuda) with it"
            )
        require_ray()
        self.options = options
        if options.threads is not None:  # --threads is per worker under Ray
            job = replace(job, options=replace(job.options, threads=options.threads))
        self.job = job
        self.processor_factory = processor_factory
        self.resources: WorkerResources | None = None
        self._connected = False
        self._local = False
        self._quiet: _QuietRay | None = None

    def __enter__(self) -> RayExecutor:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def connect(self) -> None:
        """Join or start the cluster and size the workers: usage errors before any work."""
        if self.resources is not None:
            return
        import ray

        address = self.options.address
        if address not in (None, "auto", "local"):
            _probe(address)
        self._quiet = _QuietRay(self.options.verbose)
        self._quiet.start()
        try:
            started_local = False
            if not ray.is_initialized():
                target = _choose_cluster(address)
                self._init(ray, target)
                started_local = target is None
            self._local = started_local or _is_local(ray)
            cpus, gpus = _cluster_totals(ray)
            self.resources = plan_resources(self.options, cpus, gpus, local=self._local)
        except BaseException:
            self.close()
            raise

    def _init(self, ray: Any, target: str | None) -> None:
        level = logging.WARNING if self.options.verbose else logging.ERROR
        # ray.init replaces the SIGTERM handler (the CLI's turns SIGTERM into a clean stop);
        # ours is put back, and close() shuts the cluster down on the way out.
        sigterm = _sigterm_handler()
        try:
            if target is None:
                ray.init(
                    address="local",
                    num_cpus=self.options.local_cpus,
                    include_dashboard=False,
                    log_to_driver=self.options.verbose,
                    logging_level=level,
                )
            else:
                try:
                    ray.init(
                        address=target, log_to_driver=self.options.verbose, logging_level=level
                    )
                except ConnectionError as e:
                    raise UsageError(
                        f"cannot join the Ray cluster at {target}: {first_line(e)}"
                    ) from None
        finally:
            if sigterm is not None:
                signal.signal(signal.SIGTERM, sigterm)
        self._connected = True  # this engine called ray.init: it calls ray.shutdown

    def close(self) -> None:
        """Disconnect, shutting down a local cluster this engine started; idempotent."""
        try:
            if self._connected:
                import ray

                # ray.shutdown() prints the worker messages it held back (to drop repeats)
                # to sys.stdout, from this thread.
                with contextlib.redirect_stdout(
                    sys.stderr if self.options.verbose else io.StringIO()
                ):
                    ray.shutdown()
                self._connected = False
        finally:
            if self._quiet is not None:
                self._quiet.stop()
                self._quiet = None
            self.resources = None

    def dataset(self, items: Sequence[WorkItem]) -> Dataset:
        """The lazy Ray Data pipeline for ITEMS: nothing runs until it is iterated."""
        import ray.data

        self.connect()
        assert self.resources is not None
        res = self.resources
        # One block of exactly batch_files items per actor call (the last one smaller): a
        # task's outcomes come back when the task ends, so a task must hold one batch only.
        # (A repartition step would do it too, but its own tasks hung 2 workers on 2 CPUs.)
        ds = ray.data.from_arrow(_item_blocks(items, self.options.batch_files))
        ctx = ds.context  # shared by the datasets derived below, and by nothing else
        ctx.enable_progress_bars = False  # the driver draws progress on stderr
        ctx.print_on_execution_start = False
        ctx.execution_options.preserve_order = False
        if not self._local:  # a local cluster's fit was checked in connect()
            ctx.wait_for_min_actors_s = WAIT_FOR_WORKERS_SECONDS
        read = ds.map_batches(
            functools.partial(read_files, max_chars=self.job.max_chars),
            batch_format="pyarrow",
            num_cpus=res.read_cpus,
        )
        pool = ray.data.ActorPoolStrategy(
            min_size=self.options.min_workers, max_size=self.options.max_workers
        )
        return read.map_batches(
            ProcessFiles,
            fn_constructor_kwargs={
                "factory": self.processor_factory,
                "job": self.job,
                "batch_files": self.options.batch_files,
            },
            batch_size=self.options.batch_files,
            batch_format="pyarrow",
            compute=pool,
            num_cpus=res.cpus,
            num_gpus=res.gpus or None,
        )

    def run(self, items: Sequence[WorkItem]) -> Iterator[Outcome]:
        """Stream the outcome of every item, in any order, each exactly once."""
        if not items:
            return
        from ray.exceptions import GetTimeoutError, RayError

        ds = self.dataset(items)
        pending = {item.rel for item in items}
        rows = iter(ds.iter_rows())
        try:
            for row in rows:
                data = json.loads(row["outcome"])
                if "fatal" in data:
                    raise _rebuild_error(data["fatal"])
                outcome = Outcome(**data)
                if outcome.rel not in pending:
                    continue  # a batch redone after its results came back: given already
                pending.discard(outcome.rel)
                yield outcome
        except GetTimeoutError:
            res = self.resources
            raise RayJobFailed(
                f"the Ray cluster did not start {self.options.min_workers} worker(s) of "
                f"{res.cpus if res else '?'} CPU(s) and {res.gpus if res else '?'} GPU(s) "
                f"each within {WAIT_FOR_WORKERS_SECONDS} s; lower --workers, --threads or "
                "--gpus-per-worker, or add nodes"
            ) from None
        except RayError as e:
            raise RayJobFailed(
                f"the Ray job stopped: {first_line(e)}; finished files are kept: rerun the "
                "same command to resume (Ray's logs: /tmp/ray/session_latest/logs)"
            ) from None
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()  # stops the streaming executor and its actors
        # Every row came back; a missing one would be a bug, recorded so a rerun redoes it.
        for rel in sorted(pending):
            yield _failed(rel, "", "no result came back from the Ray workers; rerun to retry")


def _item_blocks(items: Sequence[WorkItem], size: int) -> list[Any]:
    pa = _pyarrow()
    string = pa.string()
    return [
        pa.table(
            {
                "rel": pa.array([i.rel for i in chunk], type=string),
                "path": pa.array([i.path for i in chunk], type=string),
                "done_sha256": pa.array([i.done_sha256 for i in chunk], type=string),
            }
        )
        for chunk in (items[start : start + size] for start in range(0, len(items), size))
    ]


def _sigterm_handler() -> Any:
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.getsignal(signal.SIGTERM)


def _choose_cluster(address: str | None) -> str | None:
    """The address to join, or None to start a local cluster."""
    if address == "local":
        return None
    found = _running_cluster()
    if address == "auto":
        if found is None:
            raise UsageError(
                "--ray-address auto: no running Ray cluster found (no RAY_ADDRESS, no "
                "`ray start` on this machine); start one, or leave out --ray-address to run "
                "on a local cluster"
            )
        _probe(found)
        return found
    if address is not None:
        return address
    if found is not None and _reachable(found):
        return found
    return None


def _running_cluster() -> str | None:
    """RAY_ADDRESS, or the cluster a `ray start` on this machine left its address for."""
    env = os.environ.get("RAY_ADDRESS", "").strip()
    if env:
        return env
    try:  # Ray's own lookup; private, so any failure means "none found"
        services = importlib.import_module("ray._private.services")
        found = services.canonicalize_bootstrap_address("auto")
    except Exception:
        return None
    return str(found) if found else None


def _reachable(address: str) -> bool:
    try:
        _probe(address)
    except UsageError:
        return False
    return True


def _probe(address: str) -> None:
    """Fail in seconds where Ray itself would retry for minutes: nothing listens there."""
    try:
        host, port = _host_port(address)
    except ValueError:
        raise UsageError(f"not a Ray address: {address!r}; use HOST:PORT") from None
    try:
        with socket.create_connection((host, port), timeout=PROBE_SECONDS):
            pass
    except socket.gaierror:
        raise UsageError(f"cannot reach a Ray cluster at {address}: unknown host {host}") from None
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise UsageError(
            f"cannot reach a Ray cluster at {address} ({reason}); check the address (`ray "
            "status` on the head node prints it), or leave out --ray-address to run on a "
            "local cluster"
        ) from None


def _cluster_totals(ray: Any) -> tuple[float, float]:
    totals = ray.cluster_resources()
    return float(totals.get("CPU", 0.0)), float(totals.get("GPU", 0.0))


def _is_local(ray: Any) -> bool:
    """Whether the cluster is this one machine (one node, this host)."""
    try:
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        here = ray.util.get_node_ip_address()
    except Exception:
        return False
    return len(nodes) == 1 and nodes[0].get("NodeManagerAddress") == here


def _rebuild_error(fatal: dict[str, str]) -> SummarizeError:
    """The SummarizeError a worker hit while building its models, with its exit code."""
    cls = getattr(errors, fatal["type"], None) or globals().get(fatal["type"])
    if isinstance(cls, type) and issubclass(cls, SummarizeError):
        return cls(fatal["message"])
    return SummarizeError(fatal["message"])


def _failed(rel: str, digest: str, error: str) -> Outcome:
    return Outcome(rel, digest, "failed", error=error)


# -- what runs on the workers --------------------------------------------------------------


def _pyarrow() -> Any:
    # pyarrow comes with ray[data]; it carries no type information.
    return importlib.import_module("pyarrow")


def read_files(batch: Any, max_chars: int) -> Any:
    """Ray task: each file's bytes (or why not) and sha256, read where the work runs.

    A file whose bytes still hash to its ``done_sha256`` goes on without them: process_items
    skips it on the hash alone, so its bytes need not travel.
    """
    pa = _pyarrow()
    rels = batch.column("rel").to_pylist()
    paths = batch.column("path").to_pylist()
    dones = batch.column("done_sha256").to_pylist()
    data: list[bytes | None] = []
    error: list[str | None] = []
    digests: list[str] = []
    for rel, path, done in zip(rels, paths, dones, strict=True):
        read, digest = read_item(WorkItem(rel, path, done), max_chars)
        digests.append(digest)
        if isinstance(read, SummarizeError):
            data.append(None)
            error.append(str(read))
        else:
            data.append(None if done == digest else read)
            error.append(None)
    # Every column typed: a block whose done_sha256 are all None must not be a null column.
    string, binary = pa.string(), pa.binary()
    return pa.table(
        {
            "rel": pa.array(rels, type=string),
            "path": pa.array(paths, type=string),
            "done_sha256": pa.array(dones, type=string),
            "data": pa.array(data, type=binary),
            "error": pa.array(error, type=string),
            "sha256": pa.array(digests, type=string),
        }
    )


class ProcessFiles:
    """Ray Data actor: builds its processor (the Engine) once, then processes batches."""

    def __init__(
        self,
        factory: ProcessorFactory,
        job: JobSpec,
        batch_files: int,
        journal: CrashJournal | None = None,
    ) -> None:
        self.batch_files = batch_files
        self.fatal: dict[str, str] | None = None
        self.journal = journal or CrashJournal.for_this_actor()
        self.processor: Processor | None = None
        try:
            self.processor = factory(job)
        except SummarizeError as e:
            self.fatal = _fatal(e)

    def __call__(self, batch: Any) -> Any:
        pa = _pyarrow()
        rows: list[dict[str, Any]] = batch.to_pylist()
        try:
            outcomes = self.process(rows)
            payload = [json.dumps(asdict(o), ensure_ascii=False) for o in outcomes]
        except _Fatal as e:
            payload = [json.dumps({"fatal": e.fatal})]
        return pa.table({"outcome": pa.array(payload, type=pa.string())})

    def process(self, rows: list[dict[str, Any]]) -> list[Outcome]:
        """Outcomes for ROWS (read_files' columns); _Fatal where the engine itself fails."""
        if self.fatal is not None:
            raise _Fatal(self.fatal)
        outcomes: list[Outcome] = []
        live = []
        for row in rows:
            crashes = self.journal.crashes.get(row["rel"], 0)
            if crashes >= MAX_CRASHES:
                outcomes.append(
                    _failed(
                        row["rel"],
                        row["sha256"],
                        f"{row['rel']}: the worker died {crashes} times while processing this "
                        "file (a crash, or out of memory); it was left out so the rest could go on",
                    )
                )
            else:
                live.append(row)
        # After a worker death, the files it held are redone one at a time, so that a second
        # death names one file.
        careful = any(self.journal.crashes.get(row["rel"]) for row in live)
        size = 1 if careful else self.batch_files  # Ray Data hands over one batch a call
        groups = [live[start : start + size] for start in range(0, len(live), size)]
        for group in groups:
            self.journal.hold([row["rel"] for row in group])
            outcomes.extend(self._process_group(group))
        self.journal.release()
        return outcomes

    def _process_group(self, group: list[dict[str, Any]]) -> list[Outcome]:
        assert self.processor is not None
        items: list[Item] = [
            (
                WorkItem(row["rel"], row["path"], row["done_sha256"]),
                SummarizeError(row["error"]) if row["error"] is not None else row["data"] or b"",
                row["sha256"],
            )
            for row in group
        ]
        try:
            return list(self.processor(items))
        except SummarizeError as e:
            # process_items turns every bad file into an outcome: what escapes it is about the
            # engine (a model missing on this node): the driver stops with its message.
            raise _Fatal(_fatal(e)) from None
        except Exception as e:  # a bug, or a GPU out of memory: isolate, then give up the file
            if len(group) > 1:
                return [o for row in group for o in self._process_group([row])]
            row = group[0]
            return [_failed(row["rel"], row["sha256"], f"{row['rel']}: {first_line(e)}")]


class _Fatal(Exception):
    def __init__(self, fatal: dict[str, str]) -> None:
        super().__init__(fatal["message"])
        self.fatal = fatal


def _fatal(e: SummarizeError) -> dict[str, str]:
    return {"type": type(e).__name__, "message": str(e)}


class CrashJournal:
    """Which files an actor had in hand when its process died, on the node's disk.

    Ray restarts a dead actor under the same id and retries its batch, without limit by
    default; a file that kills its worker every time (a segfault, out of memory) would loop for
    ever. The restarted actor reads the journal, counts a death against each file that was in
    hand, and gives a file up once it reaches MAX_CRASHES.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.crashes: dict[str, int] = {}
        if path is None:
            return
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.crashes = {str(k): int(v) for k, v in saved.get("crashes", {}).items()}
        for rel in saved.get("in_hand", []):
            self.crashes[rel] = self.crashes.get(rel, 0) + 1
        self._save([])

    @classmethod
    def for_this_actor(cls) -> CrashJournal:
        try:
            import ray

            actor_id = ray.get_runtime_context().get_actor_id()
        except Exception:
            actor_id = None
        if not actor_id:
            return cls(None)
        return cls.in_folder(Path(tempfile.gettempdir()) / f"summarize-ray-{os.getuid()}", actor_id)

    @classmethod
    def in_folder(cls, folder: Path, actor_id: str) -> CrashJournal:
        """The journal of ACTOR_ID in FOLDER; journals a day old (an actor stopped in the
        middle of a batch, by Ctrl-C or the end of a run, leaves one) are removed."""
        folder.mkdir(mode=0o700, exist_ok=True)
        stale = time.time() - STALE_JOURNAL_SECONDS
        for old in folder.glob("*.json"):
            try:
                if old.stat().st_mtime < stale:
                    old.unlink()
            except OSError:
                pass  # another actor got there first
        return cls(folder / f"{actor_id}.json")

    def hold(self, rels: list[str]) -> None:
        self._save(rels)

    def release(self) -> None:
        if self.crashes:
            self._save([])
        elif self.path is not None:
            self.path.unlink(missing_ok=True)

    def _save(self, in_hand: list[str]) -> None:
        if self.path is None:
            return
        # No fsync: a process death keeps the page cache; a node death moves the actor anyway.
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"in_hand": in_hand, "crashes": self.crashes}), "utf-8")
        os.replace(tmp, self.path)


# -- keeping Ray quiet ---------------------------------------------------------------------


class _QuietRay:
    """Ray's own output kept off stdout, and off stderr too unless verbose.

    Ray's driver threads print worker deaths and worker logs to sys.stdout ("(raylet) A worker
    died ..."), even with log_to_driver=False; a stdout proxy sends what Ray's threads write
    to stderr (verbose) or nowhere. It stays after stop(): a thread may still print once Ray
    has shut down. (What ray.shutdown() prints from its caller's thread, RayExecutor.close
    redirects.) Ray Data's console log handler is quietened while the engine is open.
    """

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self._levels: list[tuple[logging.Handler, int]] = []

    def start(self) -> None:
        proxy = sys.stdout if isinstance(sys.stdout, _RayStdout) else _RayStdout(sys.stdout)
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


class _RayStdout:
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
