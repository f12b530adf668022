"""Standard streams and JSON Lines: hostile lines in, stdout full or closed, stdin through a
real process; each a result per line, or one error line and its exit code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    EmptyInput,
    OutputError,
)
from tests.cli_support import (
    ARTICLE,
    BIDI,
    BIDI_CONTROLS,
    SAMPLES,
    folder,
    one_line_error,
    rows,
    run_cli,
    run_fake_cli,
    runner,
    write_fast_registry,
)
from tests.fakes import FakeModels

# -- streams and options -------------------------------------------------------------------


def jsonl_run(data: bytes, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = runner.invoke(app, ["sentences", "--input", "jsonl", "-", *args], input=data)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, lines, result.stderr


def test_json_lines_bom_bad_bytes_huge_numbers_and_deep_nesting() -> None:
    good = json.dumps({"id": "g", "text": ARTICLE[:200]}).encode()
    data = b"\n".join(
        [
            b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": ARTICLE[:200]}).encode(),
            b'{"id": "latin1", "text": "caf\xe9 \xd9\xe4"}',
            b'{"id": ' + b"7" * 5000 + b', "text": "x"}',
            b'{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b', "text": "x"}',
            good,
        ]
    )
    code, rows, err = jsonl_run(data)
    assert code == BatchIncomplete.exit_code, err
    assert [r["id"] for r in rows] == ["bom", 2, 3, 4, "g"], "one line out per line in"
    assert "sentences" in rows[0], "a BOM before the first record is skipped"
    assert rows[1]["error"].startswith("line 2: not valid UTF-8 (byte 0xe9 at character 30)")
    assert rows[1]["exit_code"] == 5, "reported, never replaced with U+FFFD"
    assert rows[2]["error"] == "line 3: not usable JSON (a number too long)"
    assert rows[3]["error"] == "line 4: not usable JSON (nested too deeply)"
    assert "sentences" in rows[4]


def test_json_lines_a_line_over_the_limit_is_skipped_unread() -> None:
    huge = json.dumps({"id": 1, "text": "ا" * 20_000}).encode()
    code, rows, err = jsonl_run(huge + b"\n" + b'{"id": 2, "text": "\xd9\x82\xd8\xa7\xd9\x84"}\n',
                                "--max-chars", "100")  # fmt: skip
    assert code == BatchIncomplete.exit_code, err
    assert rows[0] == {"id": 1, "error": "line 1: longer than 66,136 characters; split it",
                       "exit_code": 2}  # fmt: skip
    assert rows[1] == {
        "id": 2,
        "title": None,
        "byline": None,
        "sentences": [{"paragraph": 0, "index": 0, "text": "قال"}],
    }


# -- output streams and signals ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["sentences", str(SAMPLES[2])], ["brief", str(SAMPLES[2]), "-f", "json"],
     ["models"], ["--version"]],
    ids=["sentences", "brief", "models", "version"],
)  # fmt: skip
@pytest.mark.parametrize("stdout", ["/dev/full", "closed"])
def test_stdout_full_or_closed_is_an_output_error(args: list[str], stdout: str) -> None:
    if stdout == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    if stdout == "closed":
        proc = run_fake_cli(args, stdout=None, preexec_fn=lambda: os.close(1))
    else:
        with open("/dev/full", "w") as full:
            proc = run_fake_cli(args, stdout=full)
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code and one_line_error(err), err
    reason = "No space left on device" if stdout == "/dev/full" else "it is closed"
    assert err == f"summarize: error: cannot write to stdout: {reason}\n"


def test_batch_with_stdout_closed_keeps_its_files_clean(tmp_path: Path) -> None:
    """With descriptor 1 closed, the manifest would be opened as descriptor 1; it is not."""
    src, out = folder(tmp_path, ["a.txt", "b.txt", "c.txt"]), tmp_path / "out"
    proc = run_fake_cli(["batch", str(src), "-o", str(out)], stdout=None,
                        preexec_fn=lambda: os.close(1))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert set(rows(out)) == {"a.txt", "b.txt", "c.txt"}


def test_lone_surrogates_in_json_lines(fake_models: FakeModels) -> None:
    """JSON escapes can carry lone surrogates into text and ids; every line still answers."""
    lines = [
        '{"id": "\\udc80a", "text": "قال الوزير \\ud800 إن الخطة جاهزة تماما.\\nوأضاف أن العمل مستمر."}',
        '{"id": 2, "text": "\\udfff"}',
        '{"id": "\\ud83d", "text": ""}',
        '{"id": 4, "text": "وأكد \\udc00أن النتائج جيدة."}',
    ]
    stdin = ("\n".join(lines) + "\n").encode()
    for command in ("sentences", "translate"):
        result = runner.invoke(app, [command, "--input", "jsonl", "-f", "jsonl"], input=stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == BatchIncomplete.exit_code, result.stderr
        out = result.stdout_bytes.decode("utf-8")  # strict: the output is valid UTF-8
        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["id"] for r in rows] == ["\udc80a", 2, "\ud83d", 4]
        assert rows[2]["exit_code"] == EmptyInput.exit_code
        assert not any(0xD800 <= ord(c) <= 0xDFFF for r in rows for c in json.dumps(r["id"]))
        good = rows[0]["sentences"] if command == "sentences" else rows[0]["translation"]
        texts = [s.get("text", s.get("ar")) for s in good]
        assert texts == ["قال الوزير إن الخطة جاهزة تماما.", "وأضاف أن العمل مستمر."]


def test_stdin_through_a_real_process(tiny_marian_dir: Path, tmp_path: Path) -> None:
    registry = write_fast_registry(tmp_path)
    args = ["translate", "-", "-f", "json", "--translator", str(tiny_marian_dir)]
    proc = run_cli([*args, "--models", str(registry)], stdin=BIDI.encode("utf-16"))
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["source"] == "-" and data["encoding"] == "utf-16"
    assert not set(proc.stdout.decode()) & set(BIDI_CONTROLS)
    proc = run_cli(["brief", "-"], stdin=b"")
    assert proc.returncode == EmptyInput.exit_code and one_line_error(proc.stderr.decode())


@pytest.mark.parametrize("kind", ["directory", "fifo"])
@pytest.mark.parametrize("command", [["translate", "--input", "jsonl"], ["check"]])
def test_json_lines_from_a_folder_or_a_fifo_says_what_it_is(
    kind: str, command: list[str], tmp_path: Path
) -> None:
    """`--input jsonl DIR` said "no such file"; a FIFO is refused at once (stdin takes a
    stream), never waited on."""
    target = tmp_path / "in"
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    proc = run_fake_cli([*command, str(target)], timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 3 and one_line_error(err), err
    if kind == "directory":
        assert f"{target} is a directory, not a regular file; `summarize batch" in err
    else:
        assert "is a FIFO, socket or device, not a regular file; pipe a stream to stdin" in err
