"""`batch --executor ray` on a local Ray cluster of 2 CPUs, with the fake backend in the workers.

One cluster serves the module (it starts in about 4-6 s here). The driver is the real
``run_batch``; the workers run the real ``process_items`` (tests/ray_support.py). What must
hold: outputs and manifest records (timings aside) identical to the local batch; a rerun skips
everything and loads no model; a failing file is recorded and the rest done; a worker that dies
loses nothing; outcomes stream back, memory bounded; Ctrl-C stops and a rerun resumes.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from tests.samples import SAMPLES

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'summarize[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install 'ray[data]'")

from summarize.articles import DEFAULT_MAX_CHARS  # noqa: E402
from summarize.batch import BatchOptions, BatchReport, run_batch  # noqa: E402
from summarize.batch.ray import JobSpec, RayExecutor, RayOptions  # noqa: E402
from summarize.batch.work import WorkItem  # noqa: E402
from summarize.errors import Interrupted, ModelError, UsageError  # noqa: E402
from summarize.pipeline import Engine  # noqa: E402
from summarize.progress import Progress, ProgressFn  # noqa: E402
from summarize.tasks import Task  # noqa: E402
from tests import test_e2e  # noqa: E402
from tests.fakes import FakeModels  # noqa: E402
from tests.ray_support import fake_processor, logged  # noqa: E402
from tests.test_batch import make_folder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
short_registry = test_e2e.short_registry  # the fixture: the shipped registry, short outputs


def job_spec(task: Task = Task.brief, fmt: str = "markdown") -> JobSpec:
    return JobSpec.from_engine(Engine(backend="fake"), task, fmt, DEFAULT_MAX_CHARS)


@pytest.fixture(scope="module")
def cluster() -> Iterator[float]:
    """A local cluster of 2 CPUs, started by an engine; yields its start-up seconds."""
    with pytest.MonkeyPatch.context() as mp:
        # Ray workers inherit this environment at start-up: they can import tests.*
        mp.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        mp.delenv("RAY_ADDRESS", raising=False)
        owner = RayExecutor(RayOptions(address="local", local_cpus=2), job_spec(), fake_processor)
        started = time.perf_counter()
        owner.connect()
        seconds = time.perf_counter() - started
    assert ray.cluster_resources().get("CPU") == 2
    try:
        yield seconds
    finally:
        owner.close()
    assert not ray.is_initialized()


def ray_executor(factory: object = fake_processor, **options: object) -> RayExecutor:
    return RayExecutor(RayOptions(**options), job_spec(), factory)  # type: ignore[arg-type]


def folder(root: Path, extra: dict[str, bytes] | None = None) -> Path:
    """tests.test_batch's folder (encodings, HTML, empty, binary), more copies, EXTRA."""
    src = make_folder(root)
    for i in range(3):
        (src / f"copy{i}").mkdir()
        for s in SAMPLES:
            shutil.copy(s, src / f"copy{i}" / s.name)
    (src / "english.txt").write_text("Only English here, no Arabic at all.\n" * 5)
    for rel, data in (extra or {}).items():
        (src / rel).write_bytes(data)
    return src


def batch(
    src: Path, out: Path, executor: RayExecutor | None = None, progress: ProgressFn | None = None
) -> BatchReport:
    """run_batch as the CLI runs it: locally, or with the Ray executor open around it."""
    engine, opts = Engine(backend="fake"), BatchOptions(in_dir=src, out_dir=out)
    if executor is None:
        return run_batch(engine, opts, progress)
    with executor:
        return run_batch(engine, opts, progress, executor=executor)


TIMING = {"seconds", "finished"}  # timings: the only fields that may differ run to run
WHEN = re.compile(rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\dZ)?")  # a finished time, in the index


def records(out: Path) -> dict[str, dict[str, object]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return {r["path"]: {k: v for k, v in r.items() if k not in TIMING} for r in rows}


def tree(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, the manifest left out and the index's times blanked."""
    files = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != "manifest.jsonl"
    }
    files["index.html"] = WHEN.sub(b"TIME", files["index.html"])
    return files


def assert_same_batch(local: Path, remote: Path, resumed: bool = False) -> None:
    """Same outputs and records, timings aside; a resumed run's records and index say
    "reused" for the files done before it, where a whole run's do not."""
    outputs, expected = tree(remote), tree(local)
    if resumed:
        outputs.pop("index.html")
        expected.pop("index.html")
    assert outputs == expected
    rows, expected_rows = records(remote), records(local)
    if resumed:
        for row in [*rows.values(), *expected_rows.values()]:
            row.pop("reused")
    assert rows == expected_rows


def test_cluster_starts_in_seconds(cluster: float) -> None:
    print(f"local Ray cluster of 2 CPUs started in {cluster:.1f} s", file=sys.stderr)
    assert cluster < 60


def test_outputs_and_manifest_are_those_of_the_local_batch(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = folder(tmp_path)
    os.mkfifo(src / "fifo.txt")  # must fail as in the local batch, not block a reader
    local = batch(src, tmp_path / "local")
    remote = batch(src, tmp_path / "ray", ray_executor(batch_files=4))
    assert (remote.ok, remote.reused, remote.failed) == (local.ok, local.reused, local.failed)
    assert remote.failed == 4  # empty, binary, English, FIFO; the rest done
    assert_same_batch(tmp_path / "local", tmp_path / "ray")


def test_a_rerun_skips_everything_done_and_loads_no_model(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out, logs = folder(tmp_path), tmp_path / "out", tmp_path / "logs"
    logs.mkdir()
    factory = functools.partial(fake_processor, log_dir=str(logs))
    first = batch(src, out, ray_executor(factory))
    before = tree(out)
    assert "load translator" in logged(logs)
    shutil.rmtree(logs)
    logs.mkdir()
    again = batch(src, out, ray_executor(factory))
    assert (again.ok, again.reused, again.failed) == (0, first.ok, first.failed)
    # Only the files that failed are tried again, as in the local batch; none needs a model.
    assert not [line for line in logged(logs) if line.startswith("load")]
    assert set(logged(logs)) == {"binary.txt", "english.txt"}  # empty.txt has no bytes to try
    after = tree(out)
    assert after.pop("index.html") != before.pop("index.html")  # it now says "reused"
    assert after == before


def test_a_worker_crash_loses_nothing(
    cluster: float, tmp_path: Path, fake_models: FakeModels, capfd: pytest.CaptureFixture[str]
) -> None:
    src = folder(tmp_path, {"crash.txt": SAMPLES[0].read_bytes() + b"\nCRASH-ONCE\n"})
    remote = batch(src, tmp_path / "ray", ray_executor(batch_files=4))
    assert (src / "crash.txt.crashed").exists()  # the worker did die
    local = batch(src, tmp_path / "local")  # the marker exists now: no crash here
    assert remote.ok == local.ok and records(tmp_path / "ray")["crash.txt"]["status"] == "ok"
    assert_same_batch(tmp_path / "local", tmp_path / "ray")
    # Ray reports the death on the driver's stdout by default; none of it reaches ours.
    assert capfd.readouterr().out == ""


def test_a_file_that_always_kills_its_worker_is_failed_and_the_rest_done(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = folder(tmp_path, {"poison.txt": SAMPLES[0].read_bytes() + b"\nCRASH-ALWAYS\n"})
    report = batch(src, tmp_path / "ray", ray_executor(batch_files=4))
    rows = records(tmp_path / "ray")
    assert rows["poison.txt"]["status"] == "failed"
    assert "worker died 2 times" in str(rows["poison.txt"]["error"])
    assert report.failed == 4 and report.ok == len(rows) - 4  # empty, binary, English, poison


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, where the pool waits for ever (a deadlock is the bug here)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result within {seconds} s: the Ray pool is stuck")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_two_workers_on_two_cpus_do_not_deadlock(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = folder(tmp_path)
    fixed = ray_executor(min_workers=2, max_workers=2, threads=1, batch_files=2)
    with fixed:
        assert fixed.resources is not None and fixed.resources.cpus < 1  # a share of 2 CPUs
    with deadline(120):
        assert batch(src, tmp_path / "fixed", fixed).ok > 0
    assert ray.is_initialized()  # the engines used the module's cluster, and left it up
    scaling = ray_executor(min_workers=1, max_workers=2, batch_files=2)
    with deadline(120):
        assert batch(src, tmp_path / "scaling", scaling).ok > 0
    assert_same_batch(tmp_path / "fixed", tmp_path / "scaling")


def test_outcomes_stream_back_while_the_work_goes_on(cluster: float, tmp_path: Path) -> None:
    src, logs = tmp_path / "in", tmp_path / "logs"
    src.mkdir()
    logs.mkdir()
    items = []
    for i in range(120):
        shutil.copy(SAMPLES[i % len(SAMPLES)], src / f"{i:03}.txt")
        items.append(WorkItem(f"{i:03}.txt", str(src / f"{i:03}.txt")))
    slow = functools.partial(fake_processor, log_dir=str(logs), delay=0.2)  # 2 files a call
    with ray_executor(slow, batch_files=2) as engine:
        engine.dataset(items)
        assert logged(logs) == []  # building the pipeline runs nothing
        stream = engine.run(items)
        assert isinstance(stream, types.GeneratorType)
        first = next(stream)
        stream.close()  # what the driver does on Ctrl-C: the executor and its actors stop
    done = [line for line in logged(logs) if not line.startswith("load")]
    assert first.rel in done
    assert len(done) < len(items) / 2  # not all read and processed before the first outcome
    time.sleep(1.0)
    assert len([x for x in logged(logs) if not x.startswith("load")]) < len(items) / 2


def test_ctrl_c_stops_and_a_rerun_resumes_to_the_same_outputs(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = folder(tmp_path)
    batch(src, tmp_path / "whole", ray_executor())

    def interrupt_after_five(event: Progress) -> None:
        if event.done == 5:
            raise KeyboardInterrupt

    out = tmp_path / "resumed"
    with pytest.raises(Interrupted, match="rerun the same command"):
        batch(src, out, ray_executor(batch_files=2), progress=interrupt_after_five)
    kept = records(out)
    assert len(kept) == 5
    resumed = batch(src, out, ray_executor(batch_files=2))
    assert resumed.reused == sum(r["status"] == "ok" for r in kept.values())
    assert_same_batch(tmp_path / "whole", out, resumed=True)


@pytest.mark.slow
def test_ctrl_c_on_the_command_stops_it_in_seconds_and_leaves_no_ray_process(
    tmp_path: Path,
) -> None:
    """A real SIGINT to a driver that started its own local cluster (tests.ray_support); the
    resume after it is tested in-process above."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(30):
        shutil.copy(SAMPLES[0], src / f"{i:02}.txt")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("RAY_ADDRESS", None)
    command = [sys.executable, "-m", "tests.ray_support", str(src), str(out)]
    stderr = tmp_path / "stderr"
    with stderr.open("w") as err:
        driver = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
        try:
            waited = time.monotonic()
            while "FIRST" not in stderr.read_text() and time.monotonic() - waited < 120:
                time.sleep(0.1)
            os.killpg(driver.pid, signal.SIGINT)
            stopped = time.monotonic()
            assert driver.wait(timeout=60) == Interrupted.exit_code
            assert time.monotonic() - stopped < 30
        finally:
            if driver.poll() is None:
                os.killpg(driver.pid, signal.SIGKILL)
    assert "rerun the same command to resume" in stderr.read_text()
    assert driver.stdout is not None and driver.stdout.read() == ""
    assert not cluster_processes(driver.pid)  # the local cluster it started went with it
    assert 0 < len(records(out)) < 30  # what was done is kept, and the manifest is whole


def cluster_processes(driver_pid: int, wait: float = 10.0) -> list[int]:
    """The processes of the Ray session a driver started (its name ends in the driver's pid),
    once they have had WAIT seconds to go."""
    session = re.compile(rf"--session-name=session_\S+_{driver_pid}\b")
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            if session.search(" ".join(proc.info["cmdline"] or [])):
                alive.append(proc.info["pid"])
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.5)


def test_a_model_missing_on_the_workers_stops_with_its_own_message(
    cluster: float, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = folder(tmp_path)
    missing = functools.partial(fake_processor, missing=True)
    with pytest.raises(ModelError, match="not in the local cache on this node") as caught:
        batch(src, tmp_path / "out", ray_executor(missing))
    assert caught.value.exit_code == 8


def test_no_items_no_work(cluster: float) -> None:
    with ray_executor() as engine:
        assert list(engine.run([])) == []


def test_an_address_where_nothing_listens_is_a_usage_error_in_seconds() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed: nothing listens there
    started = time.perf_counter()
    with pytest.raises(UsageError, match="cannot reach a Ray cluster") as caught:
        ray_executor(address=f"127.0.0.1:{port}").connect()
    assert caught.value.exit_code == 2
    assert time.perf_counter() - started < 10


def test_the_running_clusters_head_passes_the_probe(cluster: float) -> None:
    """The probe that refuses what is not a Ray head (tests/test_ray_options.py) lets a real one
    through, with the token this machine has (Ray 2.60 clusters ask for one)."""
    from summarize.batch.ray.cluster import probe

    address = ray.get_runtime_context().gcs_address
    probe(address)
    probe(address.replace(address.rpartition(":")[0], "127.0.0.1"))  # the head listens on all


@pytest.mark.slow
def test_demo_models_give_the_local_batchs_bytes(
    cluster: float,
    tmp_path: Path,
    tiny_mt5_dir: Path,
    tiny_marian_dir: Path,
    short_registry: Path,
) -> None:
    """The real worker processor (library_processor) on the tiny models: torch in the workers."""
    src = tmp_path / "in"
    src.mkdir()
    for s in SAMPLES:
        shutil.copy(s, src / s.name)

    def engine() -> Engine:
        return Engine(
            summarizer=str(tiny_mt5_dir),
            translator=str(tiny_marian_dir),
            registry=short_registry,
            threads=1,
        )

    local_out, ray_out = tmp_path / "local", tmp_path / "ray"
    local = run_batch(engine(), BatchOptions(in_dir=src, out_dir=local_out))
    driver = engine()
    job = JobSpec.from_engine(driver, Task.brief, "markdown", DEFAULT_MAX_CHARS)
    with RayExecutor(RayOptions(min_workers=1, max_workers=2, threads=1), job) as executor:
        remote = run_batch(driver, BatchOptions(in_dir=src, out_dir=ray_out), executor=executor)
        again = run_batch(driver, BatchOptions(in_dir=src, out_dir=ray_out), executor=executor)
    assert remote.ok == local.ok == len(SAMPLES)
    assert_same_batch(local_out, ray_out, resumed=True)  # the rerun's records say "reused"
    assert (again.ok, again.reused) == (0, len(SAMPLES))


@pytest.mark.slow
def test_cli_executor_ray_end_to_end_and_usage_errors(
    tmp_path: Path, tiny_marian_dir: Path
) -> None:
    """Through the real entry point: --executor ray on the fake backend gives the local batch's
    outputs; ray-only options without it, and bad values, are one-line usage errors."""
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    for path in SAMPLES[:3]:
        (src / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "summarize", "batch", str(src), *args],
            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    done = run("-o", str(tmp_path / "x"), "--workers", "2")
    assert done.returncode == 2 and "--workers applies to --executor ray only" in done.stderr
    done = run("-o", str(tmp_path / "x"), "--engine", "ray", "--workers", "3-1")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    # an address where something that is not Ray listens: one line, no Ray log line, in seconds
    with socket.socket() as web:
        web.bind(("127.0.0.1", 0))
        web.listen(1)
        address = f"127.0.0.1:{web.getsockname()[1]}"
        answer = threading.Thread(
            target=lambda: web.accept()[0].sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n"),
            daemon=True,
        )
        answer.start()
        started = time.monotonic()
        done = run("-o", str(tmp_path / "x"), "--executor", "ray", "--ray-address", address)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "is not a Ray cluster" in done.stderr and time.monotonic() - started < 60
    assert not (tmp_path / "x").exists(), "nothing was written before the usage error"
    # the real thing: one command, the same bytes as the local executor
    common = ["--task", "translate", "--translator", str(tiny_marian_dir), "--threads", "1"]
    local = run("-o", str(tmp_path / "local"), *common)
    assert local.returncode == 0, local.stderr
    on_ray = run(
        "-o", str(tmp_path / "ray"), *common, "--executor", "ray", "--ray-address", "local"
    )
    assert on_ray.returncode == 0, on_ray.stderr
    assert on_ray.stdout == "", "Ray's logs stay off stdout"
    # and off stderr without --ray-logs: Ray's C++ core printed one line there on every run
    assert on_ray.stderr.splitlines() == [on_ray.stderr.strip()], on_ray.stderr
    assert on_ray.stderr.startswith("summarize: batch: 3 done"), on_ray.stderr
    outputs = sorted(p.name for p in (tmp_path / "local").glob("*.md"))
    assert len(outputs) == 3
    for name in outputs:
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
