"""Signals: SIGTERM while models load or run is never success (exit 143), through a real process."""

from __future__ import annotations

import json
import subprocess
import sys
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
