"""The Ray executor's test processor: the library's own, on the fake backend, with fault hooks.

Ray workers import this module by name (the test cluster gets the repository on PYTHONPATH)
and call :func:`fake_processor` once per actor: it registers the fake backend in the worker,
as ``tests.fakes`` does in the test process, and wraps ``library_processor``, so workers run
the same ``process_items`` as the local batch. Markers in a file's bytes drive the faults:

- CRASH-ONCE: the worker process dies the first time it is given the file (a FILE.crashed
  marker beside it remembers);
- CRASH-ALWAYS: the worker process dies every time.

``log_dir`` (bind it with functools.partial) gets one log per worker process: "load ROLE" for
each model loaded, and the files of every call that had work to do; while a call works, a
``worker-PID.busy`` file there lists the files it holds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from summarize.backends import LoadOptions, register_backend
from summarize.batch.ray.workers import Item, JobSpec, Processor, library_processor
from summarize.batch.work import Outcome
from summarize.errors import ModelError
from summarize.registry import ModelSpec
from summarize.tasks import Task
from tests.fakes import FakeModel, FakeModels


def fake_processor(
    job: JobSpec, log_dir: str | None = None, delay: float = 0.0, missing: bool = False
) -> Processor:
    models = FakeModels()

    def load(spec: ModelSpec, options: LoadOptions) -> FakeModel:
        if missing:
            raise ModelError(f"model '{spec.name}' is not in the local cache on this node")
        _log(log_dir, f"load {spec.role}")
        return models.load(spec, options)

    register_backend("fake", load)
    process = library_processor(job)

    def run(items: list[Item]) -> Iterable[Outcome]:
        for item, data, _ in items:
            if isinstance(data, bytes) and (
                b"CRASH-ALWAYS" in data or (b"CRASH-ONCE" in data and _first_time(item.path))
            ):
                os._exit(1)
        work = [item.rel for item, data, _ in items if isinstance(data, bytes) and data]
        if work:
            _log(log_dir, *work)
        busy = Path(log_dir) / f"worker-{os.getpid()}.busy" if log_dir and work else None
        if busy is not None:
            busy.write_text("".join(rel + "\n" for rel in work), encoding="utf-8")
        time.sleep(delay)
        outcomes = list(process(items))
        if busy is not None:
            busy.unlink()
        return outcomes

    return run


def _first_time(path: str) -> bool:
    marker = Path(path + ".crashed")
    if marker.exists():
        return False
    marker.touch()
    return True


def _log(log_dir: str | None, *lines: str) -> None:
    if log_dir:
        with open(Path(log_dir) / f"worker-{os.getpid()}.log", "a", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))


def logged(log_dir: Path) -> list[str]:
    """Every line the workers logged, over all worker processes."""
    return [
        line for p in sorted(log_dir.glob("worker-*.log")) for line in p.read_text().splitlines()
    ]


def main(argv: list[str]) -> int:
    """A batch driver on its own local Ray cluster, for the Ctrl-C test:
    ``python -m tests.ray_support SRC OUT``; "FIRST" on stderr once a file is done."""
    import functools
    import sys

    from summarize.articles import DEFAULT_MAX_CHARS
    from summarize.batch import BatchOptions, run_batch
    from summarize.batch.ray import RayExecutor, RayOptions
    from summarize.errors import Interrupted
    from summarize.pipeline import Engine
    from summarize.progress import Progress

    register_backend("fake", FakeModels().load)
    src, out = Path(argv[0]), Path(argv[1])
    engine = Engine(backend="fake")
    job = JobSpec.from_engine(engine, Task.brief, "markdown", DEFAULT_MAX_CHARS)
    slow = functools.partial(fake_processor, delay=0.3)

    def progress(event: Progress) -> None:
        if event.done == 1:
            print("FIRST", file=sys.stderr, flush=True)

    try:
        options = RayOptions(address="local", local_cpus=2, batch_files=2)
        with RayExecutor(options, job, slow) as executor:
            report = run_batch(engine, BatchOptions(src, out), progress, executor=executor)
    except Interrupted as e:
        print(e, file=sys.stderr)
        return e.exit_code
    print(f"{report.ok} done, {report.reused} reused, {report.failed} failed")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
