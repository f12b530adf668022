"""Signals: SIGTERM while models load or run is never success (exit 143), through a real process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cli_support import (
    REPO,
    SAMPLES,
    cli_env,
    folder,
    one_line_error,
    rows,
)
from tests.fakes import FakeModels


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "summarize", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
    )


def _wait_until_running_models(proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until PROC has loaded torch (it is then loading or running its models)."""

    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if "libtorch" in Path(f"/proc/{proc.pid}/maps").read_text(errors="replace"):
                return
        except OSError:
            return
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_sigterm_is_never_success(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """SIGTERM during `brief` (while it loads or runs its models, with the shipped beam-4
    settings so that it runs for a while) and during `batch` (after the first output): exit
    143 with one line, never 0; the batch keeps what it finished. (A signal that arrives
    while Python is still starting, or already finalizing after its work, kills the process
    by the signal: not success either.)"""
    import signal

    models = ["--summarizer", str(tiny_mt5_dir), "--translator", str(tiny_marian_dir)]
    shipped = tmp_path / "shipped.toml"
    shipped.write_text((REPO / "models.toml").read_text(encoding="utf-8"), encoding="utf-8")
    for extra in (0.0, 1.0):
        proc = _start(["brief", str(SAMPLES[2]), "-f", "json", *models,
                       "--models", str(shipped)], tmp_path)  # fmt: skip
        _wait_until_running_models(proc)
        time.sleep(extra)
        assert proc.poll() is None, "it finished before the signal: nothing tested"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 143, (extra, err)
        # a news line may come first (the conversion a first run makes)
        assert out == b"" and one_line_error(err.decode()), err
        assert err.decode().endswith("summarize: error: terminated (SIGTERM)\n")
    models += ["--models", str(fast_registry)]
    src = folder(tmp_path, [f"{i}.txt" for i in range(8)])
    out_dir = tmp_path / "out"
    proc = _start(["batch", str(src), "-o", str(out_dir), "-f", "json", *models], tmp_path)
    deadline = time.monotonic() + 90
    while not list(out_dir.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == 143, text
    assert "terminated after" in text and "rerun the same command to resume" in text
    assert not list(out_dir.rglob("*.tmp"))
    done = rows(out_dir)
    assert done and all(r["status"] == "ok" for r in done.values())
    for record in done.values():
        assert json.loads((out_dir / record["output"]).read_text(encoding="utf-8"))


# -- signals held while an output and its manifest line are written -----------------------------


def _worker_that_signals(signum: int) -> tuple[threading.Thread, threading.Event, threading.Event]:
    """A thread started now (as CTranslate2's workers are, before any block), which sends
    SIGNUM to itself with pthread_kill when GO is set, then sets SENT."""
    go, sent = threading.Event(), threading.Event()

    def run() -> None:
        go.wait()
        signal.pthread_kill(threading.get_ident(), signum)
        sent.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, go, sent


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_a_worker_thread_waits_for_the_end_of_the_block(signum: int) -> None:
    """The system may hand a process's signal to any thread that does not block it. Blocking
    in the main thread (pthread_sigmask) let a signal to a worker run the handler inside the
    block at once; recording it holds it until the block ends, whatever thread got it. SIGHUP
    (a closed terminal) is held and acted on like SIGTERM, with its own exit code."""
    from summarize.batch.runner import signals_deferred
    from summarize.cli import _terminate
    from summarize.errors import Terminated

    previous = signal.signal(signal.SIGTERM, _terminate)
    previous_hangup = signal.signal(signal.SIGHUP, _terminate)
    # Python's own Ctrl-C handler, as an interactive run has it: a suite started in the
    # background of a script inherits SIGINT ignored, and an ignored signal rightly stays so
    previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        thread, go, sent = _worker_that_signals(signum)
        finished = False
        with pytest.raises(KeyboardInterrupt) as caught:
            with signals_deferred():
                go.set()
                assert sent.wait(10)
                for _ in range(1000):  # bytecode, where CPython runs pending handlers
                    time.sleep(0)
                finished = True
        assert finished, "the handler ran inside the block"
        assert isinstance(caught.value, Terminated) == (signum != signal.SIGINT)
        assert getattr(caught.value, "exit_code", 130) == 128 + signum
        thread.join(10)
        assert signal.getsignal(signal.SIGTERM) is _terminate, "the handler is put back"
        assert signal.getsignal(signal.SIGHUP) is _terminate, "the handler is put back"
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGHUP, previous_hangup)
        signal.signal(signal.SIGINT, previous_interrupt)


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_sigterm_to_a_worker_while_an_output_is_written_keeps_its_manifest_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_models: FakeModels
) -> None:
    """The flaky case of test_sigterm_is_never_success, made certain: SIGTERM reaches a
    worker thread just after the first output is written. The run stops (143) with that
    output and its manifest line both there (was: the output without its line)."""
    from typer.testing import CliRunner

    from summarize.cli import _terminate, app
    from summarize.fileio import Folder

    thread, go, sent = _worker_that_signals(signal.SIGTERM)
    write = Folder.write

    def write_then_signal(self: Folder, rel: str, data: str) -> None:
        write(self, rel, data)
        if rel.endswith(".json") and not go.is_set():
            go.set()
            assert sent.wait(10)
            for _ in range(1000):
                time.sleep(0)

    monkeypatch.setattr(Folder, "write", write_then_signal)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        src, out = folder(tmp_path, [f"{i}.txt" for i in range(4)]), tmp_path / "out"
        result = CliRunner().invoke(app, ["batch", str(src), "-o", str(out), "-f", "json"])
    finally:
        signal.signal(signal.SIGTERM, previous)
        thread.join(10)
    assert result.exit_code == 143, result.stderr
    assert "terminated after 1 of 4 files" in result.stderr
    outputs = sorted(p.name for p in out.glob("*.json"))
    assert outputs and sorted(r["output"] for r in rows(out).values()) == outputs


def _batch_until_first_output(
    tmp_path: Path, models: list[str], *, ignore_hangup: bool
) -> tuple[subprocess.Popen[bytes], Path]:
    src = folder(tmp_path, [f"{i}.txt" for i in range(8)])
    out_dir = tmp_path / "out"

    def before_exec() -> None:
        # What `nohup` does (SIGHUP ignored, inherited across exec), or its default, whatever
        # this test run inherited (a suite started under nohup ignores it).
        signal.signal(signal.SIGHUP, signal.SIG_IGN if ignore_hangup else signal.SIG_DFL)

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "summarize",
            "batch",
            str(src),
            "-o",
            str(out_dir),
            "-f",
            "json",
            *models,
        ],  # fmt: skip
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
        preexec_fn=before_exec,
    )
    deadline = time.monotonic() + 90
    while not list(out_dir.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before the signal: nothing tested"
    return proc, out_dir


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
def test_a_closed_terminal_stops_a_batch_like_sigterm_and_nohup_keeps_it_going(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """SIGHUP (the terminal or ssh session closed) used to kill a batch outright, leaving
    temp files and no closing line. Now it stops like SIGTERM: finished files kept with their
    manifest lines, temp files removed, one line, exit 129. Under `nohup` (SIGHUP ignored
    when the tool starts) the signal is left ignored and the batch finishes."""
    models = ["--summarizer", str(tiny_mt5_dir), "--translator", str(tiny_marian_dir),
              "--models", str(fast_registry)]  # fmt: skip
    proc, out_dir = _batch_until_first_output(tmp_path / "a", models, ignore_hangup=False)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode == 129, text
    assert "terminated after" in text and "rerun the same command to resume" in text
    assert text.rstrip().endswith("rerun the same command to resume"), text
    assert not list(out_dir.rglob("*.tmp"))
    done = rows(out_dir)
    assert done and all(r["status"] == "ok" for r in done.values())
    assert sorted(r["output"] for r in done.values()) == sorted(
        p.name for p in out_dir.glob("*.json")
    )

    proc, out_dir = _batch_until_first_output(tmp_path / "b", models, ignore_hangup=True)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert len(rows(out_dir)) == 8


# -- which signals stop a run, and with which exit code -----------------------------------------


def test_the_cli_turns_every_stop_signal_but_ctrl_c_into_terminated() -> None:
    """One list of stop signals (STOP_SIGNALS) for the CLI's handlers and the batch's hold:
    SIGINT keeps Python's own handler (KeyboardInterrupt), SIGTERM always raises Terminated,
    SIGHUP too unless it is ignored already (nohup), when it stays ignored."""
    from summarize.batch.runner import signals_deferred
    from summarize.cli import _install_stop_handlers, _terminate
    from summarize.errors import STOP_SIGNALS

    assert signal.SIGINT in STOP_SIGNALS and signal.SIGTERM in STOP_SIGNALS
    before = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    hangup = getattr(signal, "SIGHUP", None)
    try:
        for ignored in (False, True):
            for s in STOP_SIGNALS:
                signal.signal(
                    s, signal.default_int_handler if s == signal.SIGINT else signal.SIG_DFL
                )
            if ignored and hangup is not None:
                signal.signal(hangup, signal.SIG_IGN)
            _install_stop_handlers()
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
            assert signal.getsignal(signal.SIGTERM) is _terminate
            if hangup is not None:
                assert signal.getsignal(hangup) is (signal.SIG_IGN if ignored else _terminate)
            with signals_deferred():  # every stop signal is held, whatever its handler
                held = {s: signal.getsignal(s) for s in STOP_SIGNALS}
            assert len({id(h) for h in held.values()}) == 1, held
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)])
def test_a_terminated_run_exits_with_its_signals_code_and_no_other(signum: int) -> None:
    """Terminated's exit code is 128 + its signal's number, derived from the signal only (it
    was a class attribute of 143, SIGTERM's, overwritten for each instance and free to be
    set to anything)."""
    from summarize.errors import Terminated, interrupted

    stop = Terminated(signum)
    assert stop.exit_code == 128 + signum and Terminated().exit_code == 143
    assert interrupted(stop, "stopped").exit_code == 128 + signum
    with pytest.raises(AttributeError):
        stop.exit_code = 0  # type: ignore[misc]
    assert stop.exit_code == 128 + signum
