"""Sizing the workers to the cluster, so the actor pool never holds every CPU while reads wait."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from summarize.batch.ray.options import RayOptions
from summarize.errors import UsageError

__all__ = ["READ_CPUS", "WorkerResources", "plan_resources"]

log = logging.getLogger("summarize")

READ_CPUS = 0.25  # per read task: reading is I/O; the actors keep the cores


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
