"""Writes that fail after their first block: a disk that fills part-way through an output.

A real process runs under a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored): its writes
succeed up to the limit, then one is cut short and the next fails with EFBIG, as on a disk
that fills part-way (ENOSPC). /dev/full only catches writes that fail at the first byte.
Every output, on stdout or in a file, must then exit 10 with one line, and a file the tool
names must be left as it was (no partial file).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarize.errors import OutputError
from tests.cli_support import SAMPLES, folder, one_line_error, rows, run_fake_cli

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "win32", reason="needs POSIX resource limits"
)

LIMIT = 600  # bytes: every output below is larger


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn: writes past LIMIT bytes into any file fail (EFBIG), not kill (SIGXFSZ)."""
    import resource

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return apply


def run_limited(
    args: list[str], stdout: Path, *, limit: int = LIMIT, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    """`summarize ARGS` (fake backend) with stdout to the file STDOUT, writes limited."""
    with stdout.open("wb") as out:
        return run_fake_cli(args, stdout=out, preexec_fn=file_size_limit(limit), **kwargs)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "jsonl", "html"])
@pytest.mark.parametrize("command", ["brief", "translate", "sentences"])
def test_stdout_to_a_disk_that_fills_part_way(command: str, fmt: str, tmp_path: Path) -> None:
    """Was exit 0 and a cut file: Python's buffered stdout dropped the rest of a short write."""
    out = tmp_path / "out"
    proc = run_limited([command, str(SAMPLES[2]), "-f", fmt], out)
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code, (proc.returncode, err)
    assert one_line_error(err) and "cannot write to stdout: File too large" in err, err
    assert out.stat().st_size == LIMIT, "the write went as far as the disk allowed"


def test_json_lines_stream_to_a_disk_that_fills_part_way(tmp_path: Path) -> None:
    records = [json.dumps({"id": i, "text": SAMPLES[2].read_text(encoding="utf-8")})
               for i in range(3)]  # fmt: skip
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(records) + "\n", encoding="utf-8")
    proc = run_limited(["translate", "--input", "jsonl", str(src), "-f", "jsonl"],
                       tmp_path / "out")  # fmt: skip
    assert proc.returncode == OutputError.exit_code, proc.stderr
    assert one_line_error(proc.stderr.decode())


@pytest.mark.parametrize("args", [["models", "-f", "json"], ["config", "list", "-f", "json"]])
def test_listings_to_a_disk_that_fills_part_way(args: list[str], tmp_path: Path) -> None:
    proc = run_limited(args, tmp_path / "out", limit=100)
    assert proc.returncode == OutputError.exit_code, proc.stderr
    assert one_line_error(proc.stderr.decode())


def test_batch_stops_at_a_full_disk_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """A batch whose outputs no longer fit stops at the first (exit 10), not with every
    file `failed` (exit 11); no output or temp file is left cut short, and a rerun with room
    finishes the job."""
    src = folder(tmp_path, ["a.txt", "b.txt", "c.txt"])
    out = tmp_path / "out"
    proc = run_limited(["batch", str(src), "-o", str(out), "-f", "json"], tmp_path / "log",
                       limit=4000)  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code, err
    assert one_line_error(err) and "File too large" in err, err
    assert not list(out.rglob("*.tmp")), "no temp file left"
    for output in out.glob("*.json"):
        json.loads(output.read_text(encoding="utf-8"))  # whole, never cut
    assert all(r["status"] == "ok" for r in rows(out).values())
    again = run_fake_cli(["batch", str(src), "-o", str(out), "-f", "json"])
    assert again.returncode == 0, again.stderr
    assert {r["status"] for r in rows(out).values()} == {"ok"} and len(rows(out)) == 3


def test_digest_output_file_to_a_full_disk_is_left_as_it_was(tmp_path: Path) -> None:
    src = folder(tmp_path, ["a.txt", "b.txt"])
    target = tmp_path / "digest.md"
    target.write_text("the previous digest\n", encoding="utf-8")
    proc = run_limited(["digest", str(src), "-o", str(target)], tmp_path / "log", limit=300)
    assert proc.returncode == OutputError.exit_code, proc.stderr
    assert target.read_text(encoding="utf-8") == "the previous digest\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
