"""`summarize batch --executor ray`: the batch's work done on a Ray cluster, through Ray Data.

The driver (``runner``) still lists the inputs, decides what may be skipped, and writes every
output, manifest line and the index itself. This executor only turns work items into outcomes,
streaming, with the same :func:`~summarize.batch.work.process_items` as the local executor:

    work items -> read: Ray tasks (``read_item``), so files are read where the work runs
               -> process: an actor pool; each actor builds its Engine once
               -> back to the driver with iter_rows, outcomes in any order

Nothing of Ray is imported until an executor connects: ``--help`` stays instant. One module
per job: ``options`` (what the user asks for), ``cluster`` (finding, probing,
joining and leaving a cluster), ``resources`` (sizing the workers), ``dataset`` (the Ray Data
pipeline), ``workers`` (what runs on them: the job, the actor, the crash journal), ``quiet``
(Ray's own output kept off stdout and stderr), and ``executor`` (the seam ``run_batch`` calls).
"""

from summarize.batch.ray.cluster import RayJobFailed, RayNotInstalled, require_ray
from summarize.batch.ray.executor import RayExecutor
from summarize.batch.ray.options import RayOptions
from summarize.batch.ray.workers import JobSpec, library_processor

__all__ = [
    "JobSpec",
    "RayExecutor",
    "RayJobFailed",
    "RayNotInstalled",
    "RayOptions",
    "library_processor",
    "require_ray",
]
