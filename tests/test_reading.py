"""Reading an article: encodings, size limits (--max-chars, 50 MB files and stdin), FIFOs, and
saved pages named .txt; a result, or one line and its exit code, never a hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarize.cli import app
from summarize.errors import (
    InputNotFound,
    InputTooLarge,
    UsageError,
)
from summarize.text import normalize
from tests.cli_support import (
    ARTICLE,
    cli_env,
    invoke,
    one_line_error,
    run_cli,
    runner,
)
from tests.fakes import FakeModels


@pytest.mark.parametrize("value", ["99999999999999999999", "1000000000000", "0", "-5", "1e9"])
def test_max_chars_extremes(value: str, tmp_path: Path) -> None:
    """Out of range: a usage error (2). At the top of the range: the 4 TB read budget is never
    allocated, the file is read in pieces."""
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    if value != "1000000000000":
        proc = run_cli(["sentences", str(path), "--max-chars", value])
        err = proc.stderr.decode()
        assert proc.returncode == UsageError.exit_code and one_line_error(err), err
        assert "--max-chars" in err
        return
    for source in ([str(path)], ["-"]):
        result = runner.invoke(
            app, ["sentences", *source, "--max-chars", value], input=ARTICLE.encode()
        )
        assert result.exit_code == 0, result.stderr
        assert result.stdout.split("\n")[0] in ARTICLE


SAVED_PAGE = """<!-- saved from url=(0052)https://news.example.org/world/2024/05/article.html -->
<html lang="ar" dir="rtl"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
{head}
<script>window.dataLayer = []; var secretTracker = "يجب ألا يظهر هذا النص";</script>
<style>.x {{ color: red }}</style><title>زيارة رسمية</title></head>
<body><nav><a href="/">الرئيسية</a></nav><article><h1>زيارة رسمية</h1>{body}</article></body></html>
"""


@pytest.mark.parametrize("name", ["page.txt", "page.md"])
def test_a_saved_page_named_txt_is_read_as_html(
    name: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    head = "\n".join(f'<meta name="m{i}" content="{"x" * 60}">' for i in range(60))
    body = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n") if len(p.split()) > 8)
    path = tmp_path / name
    path.write_text(SAVED_PAGE.format(head=head, body=body), encoding="utf-8")
    result = runner.invoke(app, ["sentences", str(path)])
    assert result.exit_code == 0, result.stderr
    for leak in ("secretTracker", "dataLayer", "<", "color: red", "saved from"):
        assert leak not in result.stdout, leak
    assert "كازاخستان" in result.stdout


# -- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("cp1256", "cp1256")],
)
def test_other_encodings_decode_to_the_same_text(
    encoding: str, expected: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    original = ARTICLE.encode("cp1256", errors="ignore").decode("cp1256")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(original.encode(encoding))
    if encoding == "utf-16":
        assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff"), "a BOM is written"
    reference = tmp_path / "utf8.txt"
    reference.write_text(original, encoding="utf-8")
    assert invoke("sentences", str(path)) == invoke("sentences", str(reference))
    code, out, err = invoke("translate", str(path), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["encoding"] == expected
    assert data["translation"][0]["ar"] in normalize(original)


# -- size ---------------------------------------------------------------------------------

# Peak memory of this process image: VmHWM resets at exec, unlike ru_maxrss, which a child
# inherits from the (torch-laden) pytest process that forked it.
_MEASURE = """
import sys
from summarize.cli import app
try:
    app(sys.argv[1:])
except SystemExit as e:
    code = e.code
peak = 0
try:
    with open("/proc/self/status") as f:
        peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print("maxrss_kb", peak, file=sys.stderr)
sys.exit(code)
"""


def _measured(args: list[str], stdin: bytes | None = None) -> tuple[int, str, int]:

    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=60,
        env=cli_env(),
        check=False,
    )
    err = proc.stderr.decode()
    message, _, rss = err.rpartition("maxrss_kb ")
    return proc.returncode, message, int(rss)


def test_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.write("كلمة عربية ".encode() * (50 * 1024 * 1024 // 20))
    assert big.stat().st_size > 50_000_000
    for command in ("brief", "translate", "sentences"):
        code, err, rss_kb = _measured([command, str(big)])
        assert code == InputTooLarge.exit_code and one_line_error(err), err
        assert "52.4 MB" in err and "--max-chars" in err
        assert rss_kb < 200_000, f"{command} used {rss_kb} kB: it read the file"


def test_50_mb_on_stdin_stops_at_the_limit() -> None:
    data = "كلمة ".encode() * (50 * 1024 * 1024 // 9)
    code, err, rss_kb = _measured(["sentences", "-"], stdin=data)
    assert code == InputTooLarge.exit_code and one_line_error(err), err
    assert "stdin is over the limit of 1,000,000 characters" in err and "--max-chars" in err
    # It reads at most 4 bytes a character (4 MB here), never the whole 50 MB.
    assert rss_kb < 200_000


def test_max_chars_counts_characters_after_decoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("ق" * 3000, encoding="utf-8")  # 6000 bytes, 3000 characters
    code, _, err = invoke("sentences", str(path), "--max-chars", "2999")
    assert code == InputTooLarge.exit_code and "3,000 characters" in err
    assert invoke("sentences", str(path), "--max-chars", "3000")[0] == 0


# -- a FIFO must not hang --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_as_file_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    for command in ("brief", "translate", "sentences"):
        proc = run_cli([command, str(fifo)], timeout=30)
        err = proc.stderr.decode()
        assert proc.returncode == InputNotFound.exit_code and one_line_error(err), err
        assert "not a regular file (a FIFO, socket or device)" in err
