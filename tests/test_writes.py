"""Writes that fail after their first block: a disk that fills part-way through an output.

A real process runs under a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored): its writes
succeed up to the limit, then one is cut short and the next fails with EFBIG, as on a disk
that fills part-way (ENOSPC). /dev/full only catches writes that fail at the first byte.
Every output, on stdout or in a file, must then exit 10 with one line, and a file the tool
names must be left as it was (no partial file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarize.errors import OutputError
from tests.cli_support import (
    SAMPLES,
    cli_env,
    folder,
    one_line_error,
    rows,
    run_cli,
    run_fake_cli,
)

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


# -- a real disk that fills: a small tmpfs (root with CAP_SYS_ADMIN; skipped elsewhere) --------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """Mounts tmpfs file systems of a given size (KiB) under TMP_PATH: writes there fail with
    ENOSPC part-way, as on a real disk (file data, a new directory entry, a rename's target)."""
    mounted: list[Path] = []

    def mount(kib: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(where)],
                              capture_output=True, check=False)  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode()}")
        mounted.append(where)
        return where

    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (RLIMIT_FSIZE tests above cover the rest)")
    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill DISK until about LEAVE bytes are free."""
    free = shutil.disk_usage(disk).free
    (disk / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_batch_on_a_disk_that_fills_names_the_output_it_could_not_write(
    small_disk: Callable[[int], Path], tmp_path: Path
) -> None:
    """On a full disk the index page fails too; it said `cannot write OUT/index.html`, hiding
    the output that failed first. The error names that output; index.html is a warning; the
    outputs written are whole and recorded, and a rerun with room finishes the job."""
    src = folder(tmp_path, ["a.txt", "b.txt", "c.txt", "d.txt"])
    disk = small_disk(64)
    out = disk / "out"
    fill(disk, 30_000)  # room for two html outputs (about 12 KB each), not four
    proc = run_fake_cli(["batch", str(src), "-o", str(out), "-f", "html"])
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code, err
    last = err.splitlines()[-1]
    assert last.startswith("summarize: error: cannot write ") and ".txt.html: No space" in last
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")], "no temp file left"
    records = rows(out)
    assert records and all(r["status"] == "ok" for r in records.values())
    for r in records.values():
        assert hashlib.sha256((out / r["output"]).read_bytes()).hexdigest() == r["output_sha256"]
    (disk / "filler").unlink()
    again = run_fake_cli(["batch", str(src), "-o", str(out), "-f", "html"])
    assert again.returncode == 0, again.stderr
    assert len(rows(out)) == 4 and (out / "index.html").is_file()


def test_config_set_on_a_full_disk_leaves_the_file_as_it_was(
    small_disk: Callable[[int], Path],
) -> None:
    disk = small_disk(16)
    env = {"SUMMARIZE_CONFIG_DIR": str(disk)}
    assert run_fake_cli(["config", "set", "threads", "2"], env=env).returncode == 0
    before = (disk / "config.toml").read_bytes()
    fill(disk, 0)
    proc = run_fake_cli(["config", "set", "summarizer", "extractive"], env=env)
    assert proc.returncode == OutputError.exit_code, proc.stderr
    assert one_line_error(proc.stderr.decode()) and b"No space" in proc.stderr
    assert (disk / "config.toml").read_bytes() == before
    assert sorted(p.name for p in disk.iterdir()) == [".config.toml.lock", "config.toml", "filler"]


def test_a_conversion_on_a_full_disk_goes_to_the_temp_cache_or_says_which_folder_to_set(
    small_disk: Callable[[int], Path], tiny_marian_dir: Path, tmp_path: Path
) -> None:
    """A conversion whose cache fills part-way was `cannot convert DIR to CTranslate2: [Errno
    28] …; use --backend transformers` (exit 8: the model blamed for the disk). It converts
    into this user's temp cache with a warning; when that disk is full too, it is a failed
    write (exit 10) that says which folder to set. No scratch folder is left on either."""
    article = folder(tmp_path, ["a.txt"]) / "a.txt"
    cache, temp = small_disk(400), small_disk(100)
    fill(cache, 100_000)  # the tiny Marian's conversion takes about 250 KB
    args = ["translate", str(article), "--translator", str(tiny_marian_dir), "-f", "text"]
    env = {"HF_HOME": str(cache / "hf"), "TMPDIR": str(tmp_path / "roomy")}
    (tmp_path / "roomy").mkdir()
    proc = run_cli(args, env=cli_env(**env), timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "cannot be written (No space left on device); converting" in err, err
    assert any((tmp_path / "roomy").glob("summarize-*/ctranslate2/*-int8/model.bin"))
    env["TMPDIR"] = str(temp)
    proc = run_cli(args, env=cli_env(**env), timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code, err
    assert one_line_error(err) and "set HF_HOME to a folder you can write, with room" in err
    for disk in (cache, temp):
        left = [p.name for p in disk.rglob("*") if p.is_dir() and p.name.startswith(".")]
        assert left == [], left
