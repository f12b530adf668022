"""Offline use: `--offline` and HF_HUB_OFFLINE never touch the network, and a hub that never
answers fails in bounded time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_support import (
    ARTICLE,
    NO_NETWORK_CLI,
    REPO,
    cli_env,
    one_line_error,
)

# -- network --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["--offline", "HF_HUB_OFFLINE"])
def test_models_pull_offline_touches_no_network(how: str, tmp_path: Path) -> None:
    env = cli_env(HF_HOME=str(tmp_path))
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)
    args = ["models", "pull", "opus-mt-ar-en"]
    if how == "--offline":
        args.append("--offline")
    else:
        env["HF_HUB_OFFLINE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK_CLI, *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert "NETWORK ATTEMPT" not in proc.stderr, proc.stderr
    assert proc.returncode == 8, proc.stderr
    assert "offline mode is on" in proc.stderr.splitlines()[-1]


def test_an_endpoint_that_never_answers_fails_in_bounded_time(tmp_path: Path) -> None:
    """A hub endpoint (or proxy) that accepts connections and never answers: the request
    times out (HF_HUB_DOWNLOAD_TIMEOUT, default 20 s) and the error gives the ways out."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.5)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    env = cli_env(
        HF_HOME=str(tmp_path),
        HF_ENDPOINT=f"http://127.0.0.1:{server.getsockname()[1]}",
        HF_HUB_DOWNLOAD_TIMEOUT="2",
    )
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "summarize", "translate", str(article),
             "--translator", "someorg/never-answers"],
            capture_output=True, text=True, env=env, timeout=120, cwd=REPO, check=False,
        )  # fmt: skip
    finally:
        stop.set()
        thread.join(5)
        for conn in accepted:
            conn.close()
        server.close()
    assert time.monotonic() - started < 100
    assert accepted, "the endpoint was really tried"
    assert proc.returncode == 8 and one_line_error(proc.stderr), proc.stderr
    for hint in ("timed out", "--offline", "--translator DIR", "summarize models pull"):
        assert hint in proc.stderr
