"""Files per minute for `summarize batch`: the local executor against the Ray executor (1 and 2
workers) on one machine, and the overhead Ray adds.

Run from the repository root, offline, with Ray installed (about 3 minutes on 2 cores):

    .venv/bin/python bench/ray_batch.py [--copies 8] [--cpus 2]

The input folder is samples/*.txt, COPIES times over. Two workloads:

- fake: the fake backend (tests/fakes.py) in the driver and in the workers: the models cost
  nothing, so the time is the engine's own (reading, scheduling, shipping outcomes back);
- demo: the tiny random-weight mT5 and MarianMT built by summarize/devmodels/, outputs cut
  short (12 and 16 tokens, as the end-to-end tests do): real torch work, small.

Each run is `run_batch` from start to end, as the CLI does it, into a fresh folder, with
--threads 1 per worker; a Ray run includes starting the actors and loading their models, and
the local cluster (started once, timed on its own) is not in it. Ray's overhead is then split
into a fixed part and a part per file by running the fake workload on two folder sizes (N and
10 N files) and fitting a line through the two times. Ratios are what count: the machine is
shared, and absolute seconds move with its load.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.articles import DEFAULT_MAX_CHARS  # noqa: E402
from summarize.batch import BatchOptions, run_batch  # noqa: E402
from summarize.batch.ray import JobSpec, RayExecutor, RayOptions, library_processor  # noqa: E402
from summarize.batch.ray.workers import ProcessorFactory  # noqa: E402
from summarize.pipeline import Engine  # noqa: E402
from summarize.progress import Progress, ProgressFn  # noqa: E402
from summarize.tasks import Task  # noqa: E402


@dataclass
class Run:
    name: str
    files: int
    seconds: float
    first: float  # seconds to the first file done

    @property
    def per_minute(self) -> float:
        return 60 * self.files / self.seconds


def timed(name: str, files: int, body: Callable[[ProgressFn], None]) -> Run:
    first: list[float] = []
    started = time.perf_counter()

    def progress(event: Progress) -> None:
        if event.stage == "files" and event.done == 1:
            first.append(time.perf_counter() - started)

    body(progress)
    seconds = time.perf_counter() - started
    return Run(name, files, seconds, first[0] if first else seconds)


def local_batch(make: Callable[[], Engine], src: Path, out: Path, progress: ProgressFn) -> None:
    run_batch(make(), BatchOptions(src, out), progress)


def ray_batch(
    make: Callable[[], Engine],
    factory: ProcessorFactory,
    workers: int,
    src: Path,
    out: Path,
    progress: ProgressFn,
) -> None:
    """As the CLI will: the driver's Engine, its JobSpec, the Ray executor open around run_batch."""
    engine = make()
    job = JobSpec.from_engine(engine, Task.brief, "markdown", DEFAULT_MAX_CHARS)
    options = RayOptions(min_workers=workers, max_workers=workers, threads=1)
    with RayExecutor(options, job, factory) as executor:
        run_batch(engine, BatchOptions(src, out), progress, executor=executor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8, help="copies of the samples")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--workloads", default="fake,demo")
    args = parser.parse_args()

    # Ray workers must import tests.* (the fake backend): they inherit this at cluster start.
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from summarize import devmodels
    from summarize.backends import register_backend
    from tests.fakes import FakeModels
    from tests.ray_support import fake_processor

    work = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    src, big = work / "in", work / "in-big"
    src.mkdir()
    big.mkdir()
    samples = sorted((ROOT / "samples").glob("*.txt"))
    for i in range(10 * args.copies):  # big holds 10 times what src holds
        for s in samples:
            for folder in (src, big) if i < args.copies else (big,):
                shutil.copy(s, folder / f"{i:03}-{s.name}")
    files, big_files = args.copies * len(samples), 10 * args.copies * len(samples)

    register_backend("fake", FakeModels().load)
    engines: dict[str, tuple[Callable[[], Engine], ProcessorFactory]] = {}
    if "fake" in args.workloads:
        engines["fake"] = (lambda: Engine(backend="fake", threads=1), fake_processor)
    if "demo" in args.workloads:
        mt5 = devmodels.build_mt5(work / "models" / "mt5")
        marian = devmodels.build_marian(work / "models" / "marian")
        text = (ROOT / "models.toml").read_text(encoding="utf-8")
        text = text.replace("max_new_tokens = 84", "max_new_tokens = 12")
        text = text.replace("max_new_tokens = 512", "max_new_tokens = 16")
        registry = work / "models.toml"
        registry.write_text(text, encoding="utf-8")

        def demo() -> Engine:
            return Engine(summarizer=str(mt5), translator=str(marian), registry=registry, threads=1)

        engines["demo"] = (demo, library_processor)

    started = time.perf_counter()
    owner = RayExecutor(
        RayOptions(address="local", local_cpus=args.cpus),
        JobSpec.from_engine(Engine(backend="fake"), Task.brief, "markdown", DEFAULT_MAX_CHARS),
        fake_processor,
    )
    owner.connect()
    startup = time.perf_counter() - started
    runs: list[tuple[str, Run]] = []
    fits: list[tuple[str, Run, Run]] = []
    try:
        for workload, (make, factory) in engines.items():
            out = work / workload
            body = functools.partial(local_batch, make, src, out / "local")
            runs.append((workload, timed("local", files, body)))
            for workers in (1, 2):
                body = functools.partial(ray_batch, make, factory, workers, src, out / f"{workers}")
                runs.append((workload, timed(f"ray, {workers} worker(s)", files, body)))
        if "fake" in engines:
            make, factory = engines["fake"]
            by_name = {run.name: run for w, run in runs if w == "fake"}
            body = functools.partial(local_batch, make, big, work / "big-local")
            fits.append(("local", by_name["local"], timed("local", big_files, body)))
            body = functools.partial(ray_batch, make, factory, 1, big, work / "big-ray")
            one = "ray, 1 worker(s)"
            fits.append(("ray, 1 worker", by_name[one], timed(one, big_files, body)))
    finally:
        owner.close()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nlocal Ray cluster ({args.cpus} CPUs) started in {startup:.1f} s\n")
    print("| workload | executor | files | seconds | files/min | first file done (s) |")
    print("|---|---|---|---|---|---|")
    for workload, run in runs:
        print(
            f"| {workload} | {run.name} | {run.files} | {run.seconds:.1f} | {run.per_minute:.0f} "
            f"| {run.first:.1f} |"
        )
    if fits:
        print(f"\nfake workload, {files} and {big_files} files: time = fixed + files x per file\n")
        print("| executor | fixed (s) | per file (ms) |")
        print("|---|---|---|")
        for name, small, large in fits:
            per_file = (large.seconds - small.seconds) / (large.files - small.files)
            fixed = small.seconds - small.files * per_file
            print(f"| {name} | {fixed:.1f} | {1000 * per_file:.1f} |")


if __name__ == "__main__":
    main()
