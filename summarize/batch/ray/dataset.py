"""The Ray Data pipeline of a run: work items -> read tasks -> the actor pool -> outcomes.

Files are read in Ray tasks where the work runs (``read_files``); each actor of the pool
builds its Engine once (``ProcessFiles``); outcomes stream back to the driver in any order.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from summarize.batch.ray.options import RayOptions
from summarize.batch.ray.resources import WorkerResources
from summarize.batch.ray.workers import JobSpec, ProcessFiles, ProcessorFactory, pyarrow_module
from summarize.batch.work import WorkItem, read_item
from summarize.errors import SummarizeError

if TYPE_CHECKING:
    from ray.data import Dataset

__all__ = ["WAIT_FOR_WORKERS_SECONDS", "build_dataset", "read_files"]

WAIT_FOR_WORKERS_SECONDS = 600  # on a cluster we did not start; a local one is checked first


def build_dataset(
    items: Sequence[WorkItem],
    *,
    options: RayOptions,
    job: JobSpec,
    resources: WorkerResources,
    factory: ProcessorFactory,
    local: bool,
) -> Dataset:
    """The lazy pipeline for ITEMS: nothing runs until it is iterated."""
    import ray.data

    res = resources
    # One block of exactly batch_files items per actor call (the last one smaller): a
    # task's outcomes come back when the task ends, so a task must hold one batch only.
    # (A repartition step would do it too, but its own tasks hung 2 workers on 2 CPUs.)
    ds = ray.data.from_arrow(item_blocks(items, options.batch_files))
    ctx = ds.context  # shared by the datasets derived below, and by nothing else
    ctx.enable_progress_bars = False  # the driver draws progress on stderr
    ctx.print_on_execution_start = False
    ctx.execution_options.preserve_order = False
    if not local:  # a local cluster's fit was checked when the executor connected
        ctx.wait_for_min_actors_s = WAIT_FOR_WORKERS_SECONDS
    read = ds.map_batches(
        functools.partial(read_files, max_chars=job.max_chars),
        batch_format="pyarrow",
        num_cpus=res.read_cpus,
    )
    pool = ray.data.ActorPoolStrategy(min_size=options.min_workers, max_size=options.max_workers)
    return read.map_batches(
        ProcessFiles,
        fn_constructor_kwargs={
            "factory": factory,
            "job": job,
            "batch_files": options.batch_files,
        },
        batch_size=options.batch_files,
        batch_format="pyarrow",
        compute=pool,
        num_cpus=res.cpus,
        num_gpus=res.gpus or None,
    )


def item_blocks(items: Sequence[WorkItem], size: int) -> list[Any]:
    pa = pyarrow_module()
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


def read_files(batch: Any, max_chars: int) -> Any:
    """Ray task: each file's bytes (or why not) and sha256, read where the work runs.

    A file whose bytes still hash to its ``done_sha256`` goes on without them: process_items
    skips it on the hash alone, so its bytes need not travel.
    """
    pa = pyarrow_module()
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
