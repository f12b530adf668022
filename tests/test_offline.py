"""Offline use: `--offline` and HF_HUB_OFFLINE never touch the network, and a hub that never
answers fails in bounded time.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
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


@pytest.fixture
def silent_hub() -> Iterator[str]:
    """A hub endpoint on 127.0.0.1 that accepts every connection and never answers (a dead
    proxy, a wrong HF_ENDPOINT); its URL. Nothing leaves this machine."""
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
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        assert accepted, "the endpoint was really tried"
        for conn in accepted:
            conn.close()
        server.close()


def hub_cli(tmp_path: Path, endpoint: str, *args: str, timeout: str = "2") -> str:
    """`summarize ARGS` online, against ENDPOINT, with nothing cached; its stderr (exit 8)."""
    env = cli_env(
        HF_HOME=str(tmp_path / "hf"), HF_ENDPOINT=endpoint, HF_HUB_DOWNLOAD_TIMEOUT=timeout
    )
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = tuple(str(article) if a == "ARTICLE" else a for a in args)
    proc = subprocess.run(
        [sys.executable, "-m", "summarize", *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO, check=False,
    )  # fmt: skip
    assert proc.returncode == 8 and one_line_error(proc.stderr), proc.stderr
    assert proc.stderr.count("\n") == 1, "said once: no retry lines, no download news"
    return proc.stderr


def test_an_endpoint_that_never_answers_fails_in_bounded_time(
    tmp_path: Path, silent_hub: str
) -> None:
    """A hub endpoint (or proxy) that accepts connections and never answers: one request
    without retries waits HF_HUB_DOWNLOAD_TIMEOUT seconds (2 here, 25 by default), then one
    line gives the ways out. Before: 147 s and 11 retry lines."""
    err = hub_cli(tmp_path, silent_hub, "translate", "ARTICLE", "--translator", "someorg/silent")
    assert "127.0.0.1 accepted the connection but did not answer within 2 s" in err
    for hint in ("--offline", "--translator DIR", "summarize models pull someorg/silent"):
        assert hint in err
    assert "Retrying" not in err and "thrown while requesting" not in err


def test_a_silent_hub_names_every_missing_model_at_once(tmp_path: Path, silent_hub: str) -> None:
    """Before: the error named only the first model that failed to download."""
    err = hub_cli(tmp_path, silent_hub, "brief", "ARTICLE")
    assert (
        "models 'mt5-xlsum' (csebuetnlp/mT5_multilingual_XLSum@refs/pr/7), 'opus-mt-ar-en'" in err
    )
    assert "--summarizer DIR and --translator DIR" in err and "--summarizer extractive" in err


@pytest.mark.parametrize("hub", ["silent", "refused"])
def test_pull_says_the_ways_out_of_a_pull(
    hub: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`models pull X` failing must not tell the user to run `models pull X`, nor name
    options pull does not have (--translator DIR, --summarizer extractive)."""
    if hub == "silent":
        endpoint = str(request.getfixturevalue("silent_hub"))
    else:
        endpoint = f"http://127.0.0.1:{free_port()}"
    err = hub_cli(tmp_path, endpoint, "models", "pull", "arabart", "opus-mt-tc-big-ar-en")
    assert (
        "cannot download 'arabart' (ahmeddbahaa/AraBART-finetuned-ar@refs/pr/1) and "
        "'opus-mt-tc-big-ar-en' (Helsinki-NLP/opus-mt-tc-big-ar-en@633b76a46252)" in err
    ), err
    said = "did not answer within 2 s" if hub == "silent" else "127.0.0.1: Connection refused"
    assert said in err and "HF_ENDPOINT" in err and "HF_HUB_DOWNLOAD_TIMEOUT=SECONDS" in err
    for wrong in ("models pull", "DIR", "--summarizer", "--translator", "--offline", "pulling"):
        assert wrong not in err, (wrong, err)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_hub_timeout_is_25_s_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarize.backends.reach import hub_timeout

    monkeypatch.delenv("HF_HUB_DOWNLOAD_TIMEOUT", raising=False)
    assert hub_timeout() == 25.0
    for raw, seconds in (("5", 5.0), ("0.5", 0.5), ("0", 25.0), ("-3", 25.0), ("x", 25.0),
                         ("inf", 25.0)):  # fmt: skip
        monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", raw)
        assert hub_timeout() == seconds, raw
