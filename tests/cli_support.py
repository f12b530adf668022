"""Helpers for the tests that drive the real command line with hostile or odd input.

Not a test module: builders for hostile inputs and input folders, a fast registry for tiny
models, and ways to run the CLI: CliRunner, a real process, a real process on the fake backend
(as another user, too, where the test runs as root).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from summarize.cli import app
from tests.samples import SAMPLES as SAMPLES  # re-exported for the CLI tests

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


runner = CliRunner()
ARTICLE = SAMPLES[2].read_text(encoding="utf-8")
VICTIM_TEXT = "precious: must never change\n"

# The fake backend in a real process (the `fake_models` fixture serves CliRunner only).
FAKE_CLI = """
import sys
from tests.fakes import FakeModels
from summarize.backends import register_backend
register_backend("fake", FakeModels().load)
from summarize.cli import main
main(sys.argv[1:])
"""


# Root ignores mode bits (CAP_DAC_OVERRIDE); a process run through this prefix does not, so
# read-only folders can be tested as root too. Empty when not root: mode bits apply anyway.
AS_ORDINARY_USER: list[str] | None = (
    []
    if os.name != "posix" or os.geteuid() != 0
    else (
        [
            "setpriv",
            "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search",
            "--",
        ]
        if shutil.which("setpriv")
        else None
    )
)


def run_fake_cli(
    args: list[str], *, prefix: list[str] | None = None, timeout: float = 60, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    """`summarize ARGS` as a process on the fake backend (after PREFIX, a command wrapper)."""
    env = cli_env(SUMMARIZE_BACKEND="fake", **kwargs.pop("env", {}))
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", FAKE_CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=kwargs.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        timeout=timeout,
        env=env,
        cwd=REPO,
        check=False,
        **kwargs,
    )


def batch(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["batch", *args])
    return result.exit_code, result.stderr


def folder(root: Path, names: list[str] | None = None) -> Path:
    """An input folder holding the sample article under each of NAMES (default a.txt, b.txt)."""
    src = root / "in"
    src.mkdir(parents=True, exist_ok=True)
    for name in names or ["a.txt", "b.txt"]:
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, encoding="utf-8")
    return src


def rows(out: Path, name: str = "manifest.jsonl") -> dict[str, dict[str, Any]]:
    lines = (out / name).read_text(encoding="utf-8").splitlines()
    return {r["path"]: r for r in map(json.loads, lines)}


SAMPLE = SAMPLES[2]  # qatar-emir-state-visit-kazakhstan.txt
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def invoke(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    """The CLI through CliRunner: exit code, stdout, stderr (exceptions not caught)."""
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def numbered_folder(root: Path, n: int = 3) -> Path:
    """An input folder of N sample articles named 0.txt, 1.txt, …"""
    src = root / "in"
    src.mkdir()
    for i in range(n):
        (src / f"{i}.txt").write_text(SAMPLES[i].read_text(encoding="utf-8"), encoding="utf-8")
    return src


# Arabic sentences strewn with every kind of bidi control (all removed by normalization).
BIDI = (
    "قال الوزير \u202eإن الخطة\u202c جاهزة \u2066تماما\u2069 \u202dاليوم\u202c.\n"
    "وأضاف \u200fأن \u061cالعمل \u202aمستمر\u202b في كل المدن\u200e.\n"
    "\u2067وأكد\u2069 أن \u2068النتائج\u2069 جيدة."
)
