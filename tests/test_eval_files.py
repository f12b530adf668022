"""The files `summarize eval` reads and writes, when they are not what they should be: FIFOs
and devices never hang it or fill its memory, JSON nested deeply or holding huge numbers is a
problem of its line, and a file the tool did not write is never changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_support import one_line_error, run_fake_cli

DATA = Path(__file__).parent / "data" / "eval"
TATOEBA = DATA / "tatoeba-ar-en.jsonl"


def run_eval(*args: str) -> tuple[int, str]:
    """`summarize eval translate ARGS` as a process (a hang fails by timeout, not forever)."""
    proc = run_fake_cli(["eval", "translate", *args], timeout=60)
    return proc.returncode, proc.stderr.decode()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_a_fifo_as_references_or_segments_is_refused_at_once(fifo: Path, tmp_path: Path) -> None:
    """Each of these hung with no writer on the FIFO."""
    code, err = run_eval(str(fifo))
    assert code == 3 and one_line_error(err), err
    assert "is a FIFO, socket or device, not a regular file" in err
    code, err = run_eval(str(TATOEBA), "--limit", "2", "--segments", str(fifo))
    assert code == 10 and one_line_error(err), err
    assert f"{fifo} is a FIFO, socket or device" in err


def test_dev_zero_as_source_is_refused_unread(tmp_path: Path) -> None:
    """`--source /dev/zero` was read until MemoryError."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    reference = tmp_path / "ref.en"
    reference.write_text("A sentence.\n", encoding="utf-8")
    code, err = run_eval("--source", "/dev/zero", "--reference", str(reference))
    assert code == 3 and one_line_error(err), err
    assert "/dev/zero: is a FIFO, socket or device, not a regular file" in err


def test_references_with_deep_nesting_or_huge_numbers_name_their_lines(tmp_path: Path) -> None:
    """A 5,000-digit id and 100,000 nested arrays were an internal error (exit 1)."""
    refs = tmp_path / "refs.jsonl"
    good = json.dumps({"id": "a", "ar": "قال الوزير", "en": "The minister said"})
    refs.write_text("\n".join([good, '{"id": ' + "1" * 5000 + ', "ar": "x", "en": "y"}',
                               "[" * 100_000 + "]" * 100_000]) + "\n",
                    encoding="utf-8")  # fmt: skip
    code, err = run_eval(str(refs))
    assert code == 2 and one_line_error(err), err
    assert "line 2: not usable JSON (a number too long)" in err
    assert "line 3: not usable JSON (nested too deeply)" in err


def test_references_given_as_segments_file_are_left_as_they_are(tmp_path: Path) -> None:
    """The issue's case: the references file (one line, no final newline) as --segments."""
    refs = tmp_path / "refs.jsonl"
    refs.write_bytes(TATOEBA.read_bytes().split(b"\n")[0])
    before = refs.read_bytes()
    code, err = run_eval(str(refs), "--segments", str(refs))
    assert code == 10 and one_line_error(err), err
    assert "is not a line of `summarize eval --segments`" in err
    assert refs.read_bytes() == before


def test_segments_to_a_disk_that_fills_part_way(tmp_path: Path) -> None:
    """A group of lines that the disk cuts short: exit 10, and the file keeps whole lines
    only (a rerun with room resumes from them)."""
    import resource
    import signal
    import subprocess
    import sys

    from tests.cli_support import FAKE_CLI, REPO, cli_env

    out = tmp_path / "segments.jsonl"

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (9000, resource.RLIM_INFINITY))

    proc = subprocess.run([sys.executable, "-c", FAKE_CLI, "eval", "translate", str(TATOEBA),
                           "--segments", str(out)], capture_output=True, timeout=60,
                          env=cli_env(SUMMARIZE_BACKEND="fake"), cwd=REPO,
                          preexec_fn=limited, check=False)  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 10 and one_line_error(err), err
    data = out.read_bytes()
    assert data and data.endswith(b"\n"), "whole lines only"
    assert all(json.loads(line) for line in data.splitlines())
    code, err = run_eval(str(TATOEBA), "--segments", str(out))
    assert code == 0, err


def test_a_reference_line_that_is_a_string_is_called_a_string(tmp_path: Path) -> None:
    refs = tmp_path / "refs.jsonl"
    refs.write_text('"just a string"\n', encoding="utf-8")
    code, err = run_eval(str(refs))
    assert code == 2 and one_line_error(err), err
    assert "line 1: expected a JSON object, not a string" in err  # said "a blank string"
