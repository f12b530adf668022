"""The Ray executor's parts that need no cluster: options, sizing, crash journal, quiet output.

These run everywhere, Ray installed or not (tests/test_batch_ray.py runs the executor itself).
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.batch.ray import JobSpec, RayExecutor, RayNotInstalled, RayOptions, cluster
from summarize.batch.ray.options import parse_address, parse_workers
from summarize.batch.ray.quiet import RayStdout
from summarize.batch.ray.resources import plan_resources
from summarize.batch.ray.workers import (
    MAX_CRASHES,
    CrashJournal,
    Fatal,
    ProcessFiles,
    rebuild_error,
)
from summarize.batch.work import Outcome
from summarize.errors import EXIT_USAGE, ModelError, UsageError
from summarize.pipeline import Engine
from summarize.tasks import Task


def job_spec(device: str = "auto") -> JobSpec:
    return JobSpec.from_engine(Engine(device=device), Task.brief, "markdown", DEFAULT_MAX_CHARS)


@pytest.mark.parametrize(
    ("text", "expected"), [(None, (1, 1)), ("3", (3, 3)), ("1-4", (1, 4)), (" 2-2 ", (2, 2))]
)
def test_workers_take_n_or_min_max(text: str | None, expected: tuple[int, int]) -> None:
    assert parse_workers(text) == expected


@pytest.mark.parametrize("text", ["", "two", "0", "4-2", "1-", "-3", "1-2-3", "1.5"])
def test_bad_workers_are_usage_errors_that_show_the_form(text: str) -> None:
    with pytest.raises(UsageError, match="--workers takes N or MIN-MAX, like 2 or 1-4") as caught:
        parse_workers(text)
    assert caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"gpus_per_worker": "lots"}, "--gpus-per-worker takes a number"),
        ({"gpus_per_worker": "-1"}, "must be 0 or more"),
        ({"gpus_per_worker": "nan"}, "must be 0 or more"),
        ({"gpus_per_worker": "1.5"}, "above 1 must be a whole number"),
        ({"threads": "0"}, "--threads must be at least 1"),
        ({"threads": "many"}, "--threads takes a whole number"),
        ({"address": "head-node"}, "--ray-address takes auto, local, HOST:PORT"),
        ({"address": "head:port"}, "--ray-address takes"),
        ({"address": "10.0.0.1:70000"}, "--ray-address takes"),
        ({"address": "http://10.0.0.1:6379"}, "--ray-address takes"),
    ],
)
def test_bad_options_are_usage_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        RayOptions.parse(**options)
    assert caught.value.exit_code == EXIT_USAGE


def test_good_options() -> None:
    options = RayOptions.parse(
        address="ray://head:10001", workers="2-8", gpus_per_worker="0.5", threads="4"
    )
    assert options == RayOptions(
        address="ray://head:10001", min_workers=2, max_workers=8, gpus_per_worker=0.5, threads=4
    )
    assert options.cpus_per_worker == 4
    for address in ("auto", "local", "10.0.0.1:6379", "[::1]:6379", None, " "):
        parse_address(address)


def test_ray_not_installed_is_a_usage_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(RayNotInstalled, match=r"pip install 'summarize\[ray\]'") as caught:
        RayExecutor(RayOptions(), job_spec())
    assert caught.value.exit_code == EXIT_USAGE


def test_gpus_with_device_cpu_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--device cpu would leave idle"):
        RayExecutor(RayOptions(gpus_per_worker=1), job_spec(device="cpu"))


def test_threads_are_per_worker() -> None:
    pytest.importorskip("ray.data", reason="Ray is not installed: pip install 'summarize[ray]'")
    engine = RayExecutor(RayOptions(threads=3), job_spec())
    assert engine.job.options.threads == 3


# -- sizing ---------------------------------------------------------------------------------


def test_a_local_pool_leaves_room_for_the_reads() -> None:
    """Two 1-CPU actors on 2 CPUs would hold them all while reads wait: each gets a share."""
    res = plan_resources(RayOptions(min_workers=2, max_workers=2), 2, 0, local=True)
    assert res.cpus == pytest.approx((2 - res.read_cpus) / 2)
    assert 2 * res.cpus + res.read_cpus <= 2
    roomy = plan_resources(RayOptions(max_workers=2, threads=2), 16, 0, local=True)
    assert roomy.cpus == 2


def test_a_local_machine_without_the_gpus_asked_for_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="this machine has 0 GPU"):
        plan_resources(RayOptions(gpus_per_worker=1), 8, 0, local=True)
    assert (
        plan_resources(RayOptions(gpus_per_worker=0.5, max_workers=2), 8, 1, local=True).gpus == 0.5
    )


def test_a_remote_cluster_too_small_for_now_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    res = plan_resources(RayOptions(max_workers=4, gpus_per_worker=1), 2, 0, local=False)
    assert (res.cpus, res.gpus) == (1, 1)  # an autoscaler may add the nodes
    assert "start only as room appears" in caplog.text


def test_auto_without_a_running_cluster_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "running_cluster", lambda: None)
    with pytest.raises(UsageError, match="no running Ray cluster found"):
        cluster.choose_cluster("auto")
    assert cluster.choose_cluster(None) is None  # the default: a local cluster
    assert cluster.choose_cluster("local") is None


def test_a_stale_cluster_address_falls_back_to_a_local_cluster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cluster, "running_cluster", lambda: "127.0.0.1:1")
    assert cluster.choose_cluster(None) is None
    with pytest.raises(UsageError, match="cannot reach a Ray cluster at 127.0.0.1:1"):
        cluster.choose_cluster("auto")


# -- the actor's logic, without Ray ---------------------------------------------------------


def rows(*rels: str) -> list[dict[str, Any]]:
    return [
        {
            "rel": rel,
            "path": f"/in/{rel}",
            "done_sha256": None,
            "data": f"text of {rel}".encode(),
            "error": None,
            "sha256": f"sha-{rel}",
        }
        for rel in rels
    ]


class Recorder:
    """A processor factory whose processor records the groups it is given."""

    def __init__(self, fails_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fails_on = fails_on

    def __call__(self, job: JobSpec) -> Any:
        def process(items: list[Any]) -> list[Outcome]:
            rels = [item.rel for item, _, _ in items]
            self.calls.append(rels)
            if self.fails_on in rels:
                raise RuntimeError("CUDA out of memory")
            return [Outcome(item.rel, digest, "ok", text="x") for item, _, digest in items]

        return process


def test_a_restarted_actor_redoes_its_files_one_at_a_time_and_gives_up_the_killer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "actor.json"
    first = CrashJournal(path)
    first.hold(["a", "b", "c"])  # ... and the process dies here
    restarted = CrashJournal(path)
    assert restarted.crashes == {"a": 1, "b": 1, "c": 1}
    recorder = Recorder()
    actor = ProcessFiles(recorder, job_spec(), batch_files=16, journal=restarted)
    outcomes = actor.process(rows("a", "b", "c", "d"))
    assert recorder.calls == [["a"], ["b"], ["c"], ["d"]]  # careful: one file a call
    assert [o.status for o in outcomes] == ["ok"] * 4

    restarted.hold(["b"])  # b kills the worker again
    restarted = CrashJournal(path)
    assert restarted.crashes["b"] == MAX_CRASHES
    actor = ProcessFiles(Recorder(), job_spec(), batch_files=16, journal=restarted)
    by_rel = {o.rel: o for o in actor.process(rows("a", "b", "c"))}
    assert by_rel["b"].status == "failed" and by_rel["b"].sha256 == "sha-b"
    assert f"worker died {MAX_CRASHES} times" in str(by_rel["b"].error)
    assert by_rel["a"].status == by_rel["c"].status == "ok"


def test_a_journal_without_deaths_leaves_no_file_and_old_ones_go(tmp_path: Path) -> None:
    journal = CrashJournal.in_folder(tmp_path, "actor")
    journal.hold(["a"])
    journal.release()
    assert not list(tmp_path.iterdir())
    CrashJournal.in_folder(tmp_path, "stopped").hold(["b"])  # a batch cut short: it stays
    CrashJournal.in_folder(tmp_path, "recent").hold(["c"])
    day_old = time.time() - 25 * 3600
    os.utime(tmp_path / "stopped.json", (day_old, day_old))
    CrashJournal.in_folder(tmp_path, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.json"]


def test_a_processor_exception_is_isolated_to_its_file(tmp_path: Path) -> None:
    recorder = Recorder(fails_on="b")
    actor = ProcessFiles(recorder, job_spec(), batch_files=16, journal=CrashJournal(None))
    by_rel = {o.rel: o for o in actor.process(rows("a", "b", "c"))}
    assert recorder.calls[0] == ["a", "b", "c"]  # one group first, then one file at a time
    assert by_rel["b"].status == "failed" and by_rel["b"].error == "b: CUDA out of memory"
    assert by_rel["a"].status == by_rel["c"].status == "ok"


def test_groups_follow_the_local_window() -> None:
    recorder = Recorder()
    actor = ProcessFiles(recorder, job_spec(), batch_files=2, journal=CrashJournal(None))
    actor.process(rows("a", "b", "c", "d", "e"))
    assert recorder.calls == [["a", "b"], ["c", "d"], ["e"]]


def test_a_model_error_on_a_worker_is_fatal_not_a_failure_per_file() -> None:
    def factory(job: JobSpec) -> Any:
        raise ModelError("model 'x' is not in the local cache")

    actor = ProcessFiles(factory, job_spec(), batch_files=2, journal=CrashJournal(None))
    with pytest.raises(Fatal) as caught:
        actor.process(rows("a"))
    error = rebuild_error(caught.value.fatal)
    assert isinstance(error, ModelError) and error.exit_code == 8


# -- Ray's output --------------------------------------------------------------------------


def test_what_rays_threads_print_stays_off_stdout() -> None:
    real, sink = io.StringIO(), io.StringIO()
    proxy = RayStdout(real, sink)
    proxy.write("ours\n")
    thread = threading.Thread(
        target=proxy.write, args=("(raylet) A worker died\n",), name="ray_listen_error_messages"
    )
    thread.start()
    thread.join()
    assert real.getvalue() == "ours\n" and sink.getvalue() == "(raylet) A worker died\n"
    quiet = RayStdout(real, None)
    thread = threading.Thread(target=quiet.write, args=("dropped\n",), name="ray_print_logs")
    thread.start()
    thread.join()
    assert "dropped" not in real.getvalue()


def test_executor_flag_and_its_old_name_engine(tmp_path: Path) -> None:
    """--executor picks where the work runs; --engine, its old name, still works (hidden), and
    the two may not disagree. All usage errors, before the output folder is made."""
    from typer.testing import CliRunner

    from summarize.cli import app

    def run(*args: str) -> Any:
        return CliRunner().invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "o"), *args])

    for flag in ("--executor", "--engine"):
        done = run(flag, "local", "--workers", "2")
        assert done.exit_code == EXIT_USAGE
        assert "--workers applies to --executor ray only" in done.output
    done = run("--executor", "ray", "--engine", "local")
    assert done.exit_code == EXIT_USAGE and "disagree" in done.output
    assert not (tmp_path / "o").exists()
    shown = CliRunner().invoke(app, ["batch", "--help"]).output
    assert "--executor" in shown and "--engine" not in shown


def test_the_job_travels_without_the_drivers_progress_display() -> None:
    """On a terminal the driver's Engine reports to a progress display that holds locks; the
    job sent to the workers must pickle without it (it made every `--executor ray` run on a
    terminal an internal error)."""
    import pickle

    lock = threading.RLock()

    def progress(event: object) -> None:
        with lock:
            pass

    engine = Engine(backend="fake", progress=progress)  # type: ignore[arg-type]
    job = JobSpec.from_engine(engine, Task.translate, "markdown", DEFAULT_MAX_CHARS)
    assert job.options.progress is None and engine.options.progress is progress
    assert pickle.loads(pickle.dumps(job)) == job


# -- probing an address: what answers there, in seconds --------------------------------------


def _h2_frame(kind: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return (
        len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload
    )


def _literal(name: bytes, value: bytes) -> bytes:
    return b"\x40" + bytes([len(name)]) + name + bytes([len(value)]) + value  # as gRPC sends


def grpc_reply(status: int) -> bytes:
    """What a gRPC server sends for one call: its SETTINGS, then (status 0) headers, a message
    and trailers, or (an error) trailers only; a Ray GCS answers GetClusterId so."""
    settings = _h2_frame(4, 0, 0, b"\x00\x04\x00\x40\x00\x00")
    trailers = _literal(b"grpc-status", str(status).encode())
    if status:
        head = b"\x88" + _literal(b"content-type", b"application/grpc") + trailers
        return settings + _h2_frame(1, 0x5, 1, head)
    head = b"\x88" + _literal(b"content-type", b"application/grpc")
    return (
        settings
        + _h2_frame(1, 0x4, 1, head)
        + _h2_frame(0, 0, 1, b"\x00\x00\x00\x00\x02\n\x00")
        + _h2_frame(1, 0x5, 1, trailers)
    )


@contextmanager
def listener(reply: bytes | None, eager: bool = False) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that sends REPLY to each connection (None: says nothing;
    empty: closes it); EAGER: at once, without reading, then hangs up (a web server's 400)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if eager:
                conn.sendall(reply or b"")
                conn.close()
            elif reply is not None:
                with contextlib.suppress(OSError):
                    conn.recv(65536)
                    conn.sendall(reply)
                if not reply:
                    conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()
        for conn in held:
            conn.close()


class HungUp:
    """A socket whose peer said REPLY and hung up before the probe's call went out."""

    def __init__(self, reply: bytes, reset: bool = False) -> None:
        self.reply, self.reset = reply, reset

    def sendall(self, data: bytes) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def settimeout(self, seconds: float) -> None:
        pass

    def recv(self, size: int) -> bytes:
        if self.reset and not self.reply:
            raise ConnectionResetError(104, "Connection reset by peer")
        reply, self.reply = self.reply, b""
        return reply


def test_a_server_that_answers_at_once_and_hangs_up_is_not_ray() -> None:
    """The race a real web server runs: its 400 and its hang-up come before the probe's call
    is sent, so the send fails; what it said is still read, and a reset is no gRPC server's
    answer. (The send failure passed the probe now and then, and ray.init then hung.)"""
    from summarize.batch.ray.probe import Verdict, probe_head

    deadline = time.monotonic() + 5
    said = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
    assert probe_head(HungUp(said), "h:1", deadline) is Verdict.NOT_GRPC  # type: ignore[arg-type]
    assert probe_head(HungUp(b"", reset=True), "h:1", deadline) is Verdict.NOT_GRPC  # type: ignore[arg-type]
    for _ in range(10):  # the same, on real sockets
        with listener(said, eager=True) as at:
            with pytest.raises(UsageError, match="does not speak Ray's protocol"):
                cluster.probe(at)
    with listener(b"-ERR unknown command\r\n") as at:  # short, and the line stays open
        with pytest.raises(UsageError, match="does not speak Ray's protocol"):
            cluster.probe(at)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "does not speak Ray's protocol"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "does not speak Ray's protocol"),
        (b"", "does not speak Ray's protocol"),  # accepts, then closes
        (None, "gave no answer"),
        (grpc_reply(12), "a gRPC server but not a Ray cluster's head"),
        (grpc_reply(16), "refused this machine's authentication token"),
    ],
)
def test_an_address_that_is_not_a_ray_head_is_one_usage_error_in_seconds(
    reply: bytes | None, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "PROBE_SECONDS", 1.0)
    with listener(reply) as address:
        started = time.monotonic()
        with pytest.raises(UsageError, match=message) as caught:
            cluster.probe(address)
    assert caught.value.exit_code == EXIT_USAGE and "\n" not in str(caught.value)
    assert time.monotonic() - started < 10  # a hang guard: Ray itself retries for minutes


def test_a_ray_head_passes_the_probe_and_an_unclear_answer_is_left_to_ray() -> None:
    with listener(grpc_reply(0)) as address:
        cluster.probe(address)
    with listener(grpc_reply(14)) as address:  # UNAVAILABLE: no verdict, ray.init decides
        cluster.probe(address)
    with listener(_h2_frame(4, 0, 0)) as address:  # a Ray Client server speaks gRPC
        cluster.probe(f"ray://{address}")
    with listener(b"HTTP/1.1 400 Bad Request\r\n\r\n") as address:
        with pytest.raises(UsageError, match="does not speak Ray's protocol"):
            cluster.probe(f"ray://{address}")


def test_a_long_token_is_sent_as_a_valid_hpack_length() -> None:
    from summarize.batch.ray.probe import _length

    assert _length(10) == b"\x0a" and _length(126) == b"\x7e"
    assert _length(127) == b"\x7f\x00" and _length(1337 + 127) == b"\x7f\xb9\x0a"
