"""The Ray executor: turns work items into outcomes on a Ray cluster, for ``run_batch``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING

from summarize.batch.ray.cluster import (
    RayJobFailed,
    choose_cluster,
    cluster_totals,
    is_local,
    join,
    leave,
    probe,
    require_ray,
)
from summarize.batch.ray.dataset import WAIT_FOR_WORKERS_SECONDS, build_dataset
from summarize.batch.ray.options import RayOptions
from summarize.batch.ray.quiet import QuietRay
from summarize.batch.ray.resources import WorkerResources, plan_resources
from summarize.batch.ray.workers import (
    JobSpec,
    ProcessorFactory,
    failed_outcome,
    library_processor,
    rebuild_error,
)
from summarize.batch.work import Outcome, WorkItem
from summarize.errors import UsageError, first_line

if TYPE_CHECKING:
    from ray.data import Dataset

__all__ = ["RayExecutor"]


class RayExecutor:
    """Turns work items into outcomes on a Ray cluster: an Executor for ``run_batch``.

    Use it as a context manager, so a cluster it started is shut down at the end, Ctrl-C
    included. Where this process is already connected to Ray (``ray.init`` was called), that
    connection is used and left open. ``run`` streams outcomes in any order, each exactly once;
    a file that fails is a failed outcome, a worker that dies is restarted and its files redone,
    and a file in hand at MAX_CRASHES worker deaths is given up as failed so the rest can finish.

    >>> job = JobSpec.from_engine(engine, Task.brief, "markdown", DEFAULT_MAX_CHARS)  # doctest: +SKIP
    >>> with RayExecutor(RayOptions.parse(workers="1-4"), job) as executor:         # doctest: +SKIP
    ...     run_batch(engine, opts, progress, executor=executor)
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
        self._quiet: QuietRay | None = None

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
        self._quiet = QuietRay(self.options.verbose)
        self._quiet.start()  # before the probe: Ray's token lookup may log in C++
        try:
            if address not in (None, "auto", "local"):
                probe(address)
            started_local = False
            if not ray.is_initialized():
                target = choose_cluster(address)
                join(target, local_cpus=self.options.local_cpus, verbose=self.options.verbose)
                self._connected = True  # this executor called ray.init: it calls ray.shutdown
                started_local = target is None
            self._local = started_local or is_local(ray)
            cpus, gpus = cluster_totals(ray)
            self.resources = plan_resources(self.options, cpus, gpus, local=self._local)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Disconnect, shutting down a local cluster this executor started; idempotent."""
        try:
            if self._connected:
                leave(self.options.verbose)
                self._connected = False
        finally:
            if self._quiet is not None:
                self._quiet.stop()
                self._quiet = None
            self.resources = None

    def dataset(self, items: Sequence[WorkItem]) -> Dataset:
        """The lazy Ray Data pipeline for ITEMS: nothing runs until it is iterated."""
        self.connect()
        assert self.resources is not None
        return build_dataset(
            items,
            options=self.options,
            job=self.job,
            resources=self.resources,
            factory=self.processor_factory,
            local=self._local,
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
                    raise rebuild_error(data["fatal"])
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
            yield failed_outcome(
                rel, "", "no result came back from the Ray workers; rerun to retry"
            )
