"""Helpers shared by the hardening tests (bad input, kills, broken models, security).

Not a test module: builders for hostile inputs, a fast registry for tiny models, and a way
to run the real CLI as a process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.samples import SAMPLES as SAMPLES  # re-exported for the hardening tests

REPO = Path(__file__).resolve().parent.parent

# Every bidi control and directional mark: embeddings, overrides, isolates, LRM/RLM/ALM.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def fast_registry_text() -> str:
    """The shipped registry with greedy, very short generation: same code paths, less time."""
    text = (REPO / "models.toml").read_text(encoding="utf-8")
    text = text.replace("num_beams = 4", "num_beams = 1")
    text = text.replace("max_new_tokens = 84", "max_new_tokens = 8")
    return text.replace("max_new_tokens = 512", "max_new_tokens = 12")


def write_fast_registry(directory: Path) -> Path:
    path = directory / "fast-models.toml"
    path.write_text(fast_registry_text(), encoding="utf-8")
    return path


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: offline, one model thread, no colour games."""
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        SUMMARIZE_THREADS="1",
        OMP_NUM_THREADS="1",
        PYTHONPATH=str(REPO),
    )
    env.pop("SUMMARIZE_DEBUG", None)
    env.update(extra)
    return env


def run_cli(
    args: list[str],
    *,
    stdin: bytes | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m summarize ARGS` as a real process (stdin closed unless given)."""
    return subprocess.run(
        [sys.executable, "-m", "summarize", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env=env or cli_env(),
        cwd=cwd or REPO,
        check=False,
    )


def one_line_error(stderr: str) -> bool:
    """The documented failure shape: one error line, our prefix, no traceback. News lines
    that came before it (``summarize: downloading …``, which says why a command waits) are
    allowed; they carry the same prefix and are never errors."""
    lines = stderr.splitlines()
    return (
        bool(lines)
        and stderr.endswith("\n")
        and lines[-1].startswith("summarize: error: ")
        and all(line.startswith("summarize: ") for line in lines)
        and not any(line.startswith("summarize: error: ") for line in lines[:-1])
        and "Traceback" not in stderr
    )


# `summarize ARGS` in a fresh process in which any attempt to resolve a name or open a
# connection is refused, reported on stderr ("NETWORK ATTEMPT") and makes the exit code 97.
NO_NETWORK_CLI = """
import socket, sys
attempts = []
def refuse(name):
    def guard(*args, **kwargs):
        attempts.append(name)
        sys.stderr.write(f"NETWORK ATTEMPT: {name}\\n")
        raise OSError(f"network access attempted: {name}")
    return guard
socket.socket.connect = refuse("connect")
socket.socket.connect_ex = refuse("connect_ex")
socket.create_connection = refuse("create_connection")
socket.getaddrinfo = refuse("getaddrinfo")
from summarize.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    sys.exit(97 if attempts else e.code)
"""
