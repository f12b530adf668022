"""Hostile names, folders and streams (issue 10): nothing written where it should not be,
nothing lost, nothing raw on a terminal.

Each test tries one class of attack or bad luck through the real CLI (CliRunner on the fake
backend, or a real process where a process matters: other users, signals, closed streams).
docs/reliability.md has the table of cases, expected results and the test for each.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from summarize.cli import app
from summarize.errors import BatchIncomplete, OutputError, UsageError
from tests.fakes import FakeModels
from tests.hardening_support import (
    NO_NETWORK_CLI,
    REPO,
    SAMPLES,
    cli_env,
    one_line_error,
    run_cli,
)

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


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    """A file outside every folder under test that nothing may change."""
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    yield path
    assert path.read_text(encoding="utf-8") == VICTIM_TEXT, "a file outside OUT was changed"


# -- the output folder: no link inside it is ever followed ----------------------------------


@pytest.mark.parametrize("planted", ["manifest.jsonl", ".summarize.lock"])
def test_a_link_planted_as_manifest_or_lock_is_refused(
    planted: str, tmp_path: Path, victim: Path, fake_models: FakeModels
) -> None:
    src, out = folder(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / planted).symlink_to(victim)
    code, err = batch(str(src), "-o", str(out))
    assert code == OutputError.exit_code, err
    assert one_line_error(err) and f"{out / planted} is a symbolic link" in err
    assert not (out / "a.txt.md").exists(), "nothing is done without a manifest"


def test_links_planted_as_outputs_and_index_are_replaced_not_followed(
    tmp_path: Path, victim: Path, fake_models: FakeModels
) -> None:
    src, out = folder(tmp_path), tmp_path / "out"
    out.mkdir()
    for name in ("a.txt.md", "index.html"):
        (out / name).symlink_to(victim)
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    for name in ("a.txt.md", "index.html"):
        assert not (out / name).is_symlink() and (out / name).is_file()


def test_manifest_records_that_point_outside_are_never_read_or_removed(
    tmp_path: Path, victim: Path, fake_models: FakeModels
) -> None:
    """A hand-edited (or hostile) manifest names outputs outside OUT: they are neither
    hashed (to decide a skip) nor removed (as stale outputs of a failed input)."""
    import hashlib

    src, out = folder(tmp_path), tmp_path / "out"
    code, _ = batch(str(src), "-o", str(out))
    assert code == 0
    (src / "b.txt").write_bytes(b"")  # b fails now: its recorded output would be removed
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    edited = []
    for row in rows(out).values():
        row["output"] = os.path.relpath(victim, out)
        row["output_sha256"] = digest
        edited.append(json.dumps(row))
    (out / "manifest.jsonl").write_text("\n".join(edited) + "\n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out))
    assert code == BatchIncomplete.exit_code, err
    after = rows(out)
    assert after["a.txt"]["status"] == "ok", "the outside file is not taken for a done output"
    assert after["b.txt"]["status"] == "failed"


def test_manifest_that_is_a_folder_or_a_fifo(tmp_path: Path, fake_models: FakeModels) -> None:
    src = folder(tmp_path)
    out = tmp_path / "dir"
    (out / "manifest.jsonl").mkdir(parents=True)
    code, err = batch(str(src), "-o", str(out))
    assert code == OutputError.exit_code and one_line_error(err), err
    assert "manifest.jsonl is a directory" in err
    fifo_out = tmp_path / "fifo"
    fifo_out.mkdir()
    os.mkfifo(fifo_out / "manifest.jsonl")
    proc = run_fake_cli(["batch", str(src), "-o", str(fifo_out)], timeout=30)
    err = proc.stderr.decode()
    assert proc.returncode == OutputError.exit_code and one_line_error(err), err
    assert "manifest.jsonl is a FIFO" in err


@pytest.mark.parametrize(
    "line",
    [
        '{"path": ["x"], "sha256": "1", "status": "ok"}',
        '{"path": "a.txt", "sha256": 5, "status": "ok"}',
        '{"path": "a.txt", "sha256": "1", "status": "done", "output": "a.txt.md"}',
        '{"path": "a.txt", "sha256": "1", "status": "ok", "seconds": NaN}',
        '["a.txt"]',
        "[" * 100_000 + "]" * 100_000,
        '{"path": "a.txt", "sha256": "1", "status": "ok", "warnings": [1]}',
    ],
    ids=["path-list", "hash-int", "status-unknown", "nan", "array", "deep", "warnings-ints"],
)
def test_manifest_lines_of_any_shape_never_stop_a_rerun(
    line: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out = folder(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "manifest.jsonl").write_text(line + "\n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    assert {r["status"] for r in rows(out).values()} == {"ok"}


def test_a_failed_input_loses_its_old_output(tmp_path: Path, fake_models: FakeModels) -> None:
    """Decision: a failed input has no output. An output an earlier run made for it is removed
    (and the record says so), so the folder never mixes an old result with a new failure."""
    src, out = folder(tmp_path), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    (src / "b.txt").write_text("   \n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out))
    assert code == BatchIncomplete.exit_code, err
    record = rows(out)["b.txt"]
    assert record["status"] == "failed" and record["output"] is None
    assert record["error"].endswith("its earlier output b.txt.md was removed")
    assert not (out / "b.txt.md").exists() and (out / "a.txt.md").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="./b.txt.md"' not in index and 'href="./a.txt.md"' in index


def test_a_run_that_finds_fewer_inputs_keeps_the_record_of_finished_work(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """Another --glob, or an input folder emptied (a share not mounted): the records of the
    outputs still in OUT stay; a record goes only when its input and its output are both gone."""
    src, out = folder(tmp_path, ["a.txt", "b.txt", "c.txt"]), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    code, err = batch(str(src), "-o", str(out), "--glob", "*.htm")
    assert code == 0 and "0 done, 0 reused, 0 failed of 0" in err, err
    assert set(rows(out)) == {"a.txt", "b.txt", "c.txt"}
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).unlink()
    (out / "c.txt.md").unlink()
    assert batch(str(src), "-o", str(out))[0] == 0
    assert set(rows(out)) == {"a.txt", "b.txt"}


@pytest.mark.skipif(AS_ORDINARY_USER is None, reason="root, and no setpriv to drop DAC override")
def test_read_only_output_folder_on_resume_keeps_the_manifest(tmp_path: Path) -> None:
    """A folder made read-only after a first run, then a resume with one new input, as an
    ordinary user would (as root, the runs drop CAP_DAC_OVERRIDE so that modes apply)."""
    user = AS_ORDINARY_USER
    src, out = folder(tmp_path), tmp_path / "out"
    first = run_fake_cli(["batch", str(src), "-o", str(out)], prefix=user)
    assert first.returncode == 0, first.stderr
    before = (out / "manifest.jsonl").read_bytes()
    assert len(before.splitlines()) == 2
    (src / "c.txt").write_text(ARTICLE, encoding="utf-8")
    out.chmod(0o555)
    try:
        resumed = run_fake_cli(["batch", str(src), "-o", str(out)], prefix=user)
        err = resumed.stderr.decode()
        assert resumed.returncode == OutputError.exit_code and one_line_error(err), err
        assert (out / "manifest.jsonl").read_bytes() == before
        # A read-only manifest in a writable folder: the run stops at the first record it
        # cannot append (exit 10), and the manifest still records all finished work.
        out.chmod(0o777)
        (out / "manifest.jsonl").chmod(0o444)
        again = run_fake_cli(["batch", str(src), "-o", str(out)], prefix=user)
        err = again.stderr.decode()
        assert again.returncode == OutputError.exit_code, err
        assert err.endswith(f"cannot write {out / 'manifest.jsonl'}: Permission denied\n")
        assert {"a.txt", "b.txt"} <= set(rows(out))
    finally:
        out.chmod(0o777)


# -- the input folder -------------------------------------------------------------------


def test_output_folder_is_input_folder_or_holds_it(tmp_path: Path, fake_models: FakeModels) -> None:
    src = folder(tmp_path)
    for out in (src, tmp_path, src / ".." / "in"):
        code, err = batch(str(src), "-o", str(out))
        assert code == UsageError.exit_code and one_line_error(err), err
    assert sorted(p.name for p in src.iterdir()) == ["a.txt", "b.txt"], "nothing written"
    # An output folder inside the input folder is allowed, left out of the inputs, and said.
    code, err = batch(str(src), "-o", str(src / "briefs"), "--glob", "*")
    assert code == 0 and "2 done" in err and "inside the input folder" in err, err
    code, err = batch(str(src), "-o", str(src / "briefs"), "--glob", "*")
    assert code == 0 and "0 done, 2 reused" in err, err


def test_hidden_files_and_links_are_left_out_and_counted(
    tmp_path: Path, victim: Path, fake_models: FakeModels
) -> None:
    src, out = folder(tmp_path, ["a.txt", ".hidden.txt", "..txt", ".git/x.txt"]), tmp_path / "o"
    (src / "secret.txt").symlink_to(victim)  # a link out of IN: not read by default
    (src / "inside.txt").symlink_to(src / "a.txt")  # a link inside IN: read
    (src / "loop").symlink_to(src, target_is_directory=True)  # a folder link: never followed
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    assert set(rows(out)) == {"a.txt", "inside.txt"}
    assert "3 hidden (name starts with '.'; --hidden takes them)" in err
    assert "1 a link to a file outside the input folder (--follow-links reads them)" in err
    assert "1 a link to a folder (never followed)" in err
    assert VICTIM_TEXT not in "".join(p.read_text("utf-8") for p in out.glob("*.md"))
    code, err = batch(str(src), "-o", str(tmp_path / "o2"), "--hidden", "--follow-links")
    assert set(rows(tmp_path / "o2")) == {
        "a.txt", ".hidden.txt", "..txt", ".git/x.txt", "inside.txt", "secret.txt",
    }  # fmt: skip
    assert rows(tmp_path / "o2")["secret.txt"]["status"] == "failed"  # not Arabic: but read


def test_a_link_swapped_in_after_listing_is_not_read(
    tmp_path: Path, victim: Path, fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is made on the opened file, so a link swapped in between the listing and
    the read (a race an attacker can win) is refused too."""
    from summarize.batch import runner as batch_runner

    src, out = folder(tmp_path), tmp_path / "out"
    real = batch_runner.find_inputs

    def find_then_swap(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        (src / "b.txt").unlink()
        (src / "b.txt").symlink_to(victim)
        return found

    monkeypatch.setattr(batch_runner, "find_inputs", find_then_swap)
    code, err = batch(str(src), "-o", str(out))
    assert code == BatchIncomplete.exit_code, err
    assert "is a link to a file outside" in rows(out)["b.txt"]["error"]
    assert (
        rows(out)["b.txt"]["sha256"]
        != __import__("hashlib").sha256(victim.read_bytes()).hexdigest()
    ), "the outside file's hash is not recorded"


def test_names_that_are_not_utf8_long_or_odd(tmp_path: Path, fake_models: FakeModels) -> None:
    """Every name gets its output and exactly one record; OUT only holds UTF-8 names."""
    long_arabic = "ع" * 125 + ".txt"  # 254 bytes: + ".md" would pass the 255-byte limit
    names = [
        os.fsdecode(b"caf\xe9.txt"),  # Latin-1 bytes: not UTF-8
        os.fsdecode(b"\xd9\xe4\xe6\xc7\xe4.txt"),  # Windows-1256 Arabic bytes
        long_arabic,
        "[/x].txt",
        "a\nb.txt",
        "-rf.txt",
        "javascript:alert(1).txt",
    ]
    src, out = folder(tmp_path, names), tmp_path / "out"
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    got = rows(out)
    assert len(got) == len(names)
    assert {"caf\\xe9.txt", "\\xd9\\xe4\\xe6\\xc7\\xe4.txt", long_arabic} <= set(got)
    for record in got.values():
        assert record["status"] == "ok", record
        output = out / record["output"]
        assert output.is_file()
        assert len(output.name.encode()) <= 255
        output.name.encode("utf-8")  # strict: every name in OUT is UTF-8
    assert got[long_arabic]["output"].startswith("ع" * 100)
    assert batch(str(src), "-o", str(out))[1].count("0 done, 7 reused") == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in index and 'href="./javascript%3Aalert' in index


# -- terminals: nothing raw, nothing read as markup ------------------------------------------

# Names an attacker picks: a window-title OSC, colours, an OSC 8 hyperlink, rich markup that
# raises ([/x]), forges a link or restyles, an emoji code, a carriage return that hides text.
HOSTILE_NAMES = [
    "t\x1b]0;pwned\x07itle.txt",
    "\x1b[38;2;1;2;3mred\x1b[0m.txt",  # a colour rich itself never uses
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\.txt",
    "[bold red]x[/bold red].txt",
    "[link=https:",  # a folder: the file below makes [link=https://evil.example]x.txt
    ":skull: \r over.txt",
    "\u202eevil\u202c.txt",
]
RAW_MARKERS = ["\x1b]", "\x07", "\x1b[38;2;1;2;3m", "\u202e", "\r over", "\x1b[5m"]


def run_in_pty(args: list[str], timeout: float = 60) -> tuple[int, str]:
    """`summarize ARGS` (fake backend) with stdout and stderr on a pseudo-terminal, as a
    user would see it: rich draws its tables and progress, and everything reaches the tty."""
    import pty
    import select

    master, slave = pty.openpty()
    env = cli_env(SUMMARIZE_BACKEND="fake", COLUMNS="200", TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-c", FAKE_CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO,
    )
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError("no output for {timeout} s")
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", errors="replace")


def assert_nothing_raw(screen: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in screen, f"{marker!r} reached the terminal raw"
    assert "\x1b]8;" not in screen, "no hyperlink may be drawn"


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_hostile_file_names_on_a_terminal_batch(tmp_path: Path) -> None:
    names = [n for n in HOSTILE_NAMES if not n.startswith("[link")]
    names += ["[link=https:/evil.example]x.txt", "[/x].txt", "empty \x1b[5m.txt"]
    src = folder(tmp_path, names)
    (src / "empty \x1b[5m.txt").write_bytes(b"")  # a failure, listed under the table
    code, screen = run_in_pty(["batch", str(src), "-o", str(tmp_path / "out")])
    assert code == BatchIncomplete.exit_code, screen
    assert "Traceback" not in screen and "MarkupError" not in screen
    assert_nothing_raw(screen)
    assert "\\x1b[5m" in screen, "the failed file is listed, its escape shown"
    assert "batch finished" in screen


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_hostile_names_on_a_terminal_brief_and_footer(tmp_path: Path) -> None:
    src = folder(tmp_path, ["[/x].txt"])
    model = tmp_path / "[reverse blink]mt\x1b]0;x\x07"
    model.mkdir()
    code, screen = run_in_pty(["brief", str(src / "[/x].txt"), "--summarizer", str(model)])
    assert code == 0, screen
    assert "[reverse blink]mt\\x1b]0;x\\x07" in screen, "the folder name is shown as it is"
    assert "\x1b[5m" not in screen and ";5;7m" not in screen, "no blink from a folder name"
    assert_nothing_raw(screen)
    code, screen = run_in_pty(["brief", str(src / "missing \x1b]0;x\x07.txt")])
    assert code == 3 and "missing \\x1b]0;x\\x07.txt: no such file" in screen
    assert_nothing_raw(screen)


def test_log_lines_escape_what_they_name(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from summarize.cli.common import setup_logging

    setup_logging(False)
    logging.getLogger("summarize").warning("loading %s", "dir\x1b]0;t\x07\n[bold]x")
    err = capsys.readouterr().err
    assert err == "summarize: WARNING: loading dir\\x1b]0;t\\x07 [bold]x\n"


def test_models_table_and_pull_escape_registry_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from summarize.render.models import print_models_table

    console = Console(record=True, width=200, force_terminal=True)
    row = {
        "alias": "x[/bold]\x1b]0;t\x07", "role": "translator", "default": False,
        "hub_id": "[link=https://e.example]o/n", "revision": None,
        "license": "\x1b[5mMIT", "cached": "no", "size_bytes": 0,
        "conversions": [{"quantization": "int8\x1b[31m"}],
    }  # fmt: skip
    print_models_table("reg\x1b[31m.toml", [row], console)
    screen = console.export_text(styles=True)
    assert_nothing_raw(screen)
    assert "[link=https://e.example]o/n" in screen and "\\x1b[5mMIT" in screen


def test_model_output_with_controls_never_reaches_an_output() -> None:
    """A model folder's vocabulary can hold ESC or a bidi override; the English is cleaned."""
    from summarize.pipeline.translate import translate_sentences
    from summarize.registry import load_registry
    from tests.fakes import FakeModel

    class Hostile(FakeModel):
        def generate(self, texts: Any, max_new_tokens: Any, min_new_tokens: Any = None) -> Any:
            return ["\x1b]0;pwned\x07Hello \x1b[38;2;1;2;3mworld\u202e!" for _ in texts]

    model = Hostile(load_registry().default("translator"))
    assert translate_sentences(model, ["قال الوزير."]) == ["]0;pwned Hello [38;2;1;2;3mworld !"]


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


def test_packing_one_word_lines_is_not_quadratic() -> None:
    """200,000 one-word lines: packing them into chunks counted the whole growing chunk once
    per sentence (about 250 counts of up to 512 tokens per chunk). It now costs O(log k)
    counts per chunk of k sentences."""
    from summarize.chunking import pack_chunks
    from summarize.text import split_sentences

    text = "\n".join(["كلمة"] * 20_000)
    sentences = split_sentences(text)
    calls = []

    def count(piece: str) -> int:
        calls.append(len(piece))
        return len(piece.split()) + 1

    chunks = pack_chunks(text, sentences, count, 512)
    assert "".join(c.text for c in chunks) == text and all(count(c.text) <= 512 for c in chunks)
    calls_per_chunk = (len(calls) - len(chunks)) / len(chunks)
    assert calls_per_chunk < 25, calls_per_chunk  # was about 512 (one per sentence)
    assert sum(calls) < 40 * len(text), "characters counted: a few times the text, no more"


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
    import time

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


# -- model folders that lie -----------------------------------------------------------------


@pytest.fixture
def fast_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from tests.hardening_support import write_fast_registry

    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    return write_fast_registry(tmp_path)


@pytest.fixture
def torch_load_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every torch.load (how pickle weights are read) is recorded and refused."""
    import torch

    calls: list[str] = []

    def refuse(f: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(f))
        raise AssertionError(f"torch.load({f}) was called")

    monkeypatch.setattr(torch, "load", refuse)
    yield calls


def translate_with(model: Path, registry: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["translate", str(SAMPLES[2]), "-f", "json", "--translator", str(model),
         "--models", str(registry), *args],
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def _pickled_copy(tiny: Path, dst: Path, *, keep_safetensors: bool) -> Path:
    import torch
    from safetensors.torch import load_file

    shutil.copytree(tiny, dst)
    torch.save(load_file(str(dst / "model.safetensors")), dst / "pytorch_model.bin")
    if not keep_safetensors:
        (dst / "model.safetensors").rename(dst / "decoy.safetensors")
    return dst


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_pickle_refusal_cannot_be_bypassed(
    backend: str,
    tiny_marian_dir: Path,
    tmp_path: Path,
    fast_registry: Path,
    torch_load_calls: list[str],
) -> None:
    """A decoy *.safetensors beside pytorch_model.bin, and a tokenizer_class that names a
    model class: the check is on the file transformers would load, so pickle is refused
    (and torch.load never runs) without --allow-pickle."""
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    model = _pickled_copy(tiny_marian_dir, tmp_path / "m", keep_safetensors=False)
    code, _, err = translate_with(model, fast_registry, "--backend", backend)
    assert code == 8 and one_line_error(err), err
    assert "has only pickle weights (pytorch_model.bin)" in err
    assert "decoy.safetensors" not in err or "not a name transformers loads" in err
    config = json.loads((model / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["tokenizer_class"] = "MarianMTModel"
    (model / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    (model / "decoy.safetensors").rename(model / "model.safetensors")
    code, _, err = translate_with(model, fast_registry, "--backend", backend)
    assert code == 8 and one_line_error(err), err
    assert "names tokenizer_class 'MarianMTModel', which is not a tokenizer" in err
    assert torch_load_calls == [], "pickle weights were read"


def test_allow_pickle_still_prefers_safetensors(
    tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path, torch_load_calls: list[str]
) -> None:
    model = _pickled_copy(tiny_marian_dir, tmp_path / "both", keep_safetensors=True)
    code, out, err = translate_with(model, fast_registry, "--allow-pickle")
    assert code == 0, err
    assert torch_load_calls == [] and "pickle" not in err


def _nested_safetensors(d: Path) -> None:
    header = b'{"a": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    (d / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header)


def _other_architecture(d: Path) -> None:
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    config.update(model_type="bart", architectures=["BartForConditionalGeneration"])
    (d / "config.json").write_text(json.dumps(config), encoding="utf-8")


def _corrupt_spm(d: Path) -> None:
    (d / "source.spm").write_bytes(bytes(range(256)) * 8)


def _deep_config(d: Path) -> None:
    (d / "config.json").write_text('{"a": ' + "[" * 200_000 + "]" * 200_000 + "}")


def _fifo_config(d: Path) -> None:
    (d / "config.json").unlink()
    os.mkfifo(d / "config.json")


LYING_MODELS = {
    "safetensors header nested 200,000 deep": (
        _nested_safetensors, "model.safetensors is corrupt (its header is nested too deeply"),
    "config says another architecture": (
        _other_architecture, "the weights do not fit the model config.json describes"),
    "corrupt source.spm": (_corrupt_spm, "source.spm is not a SentencePiece model"),
    "config.json nested 200,000 deep": (_deep_config, "config.json is not usable JSON"),
    "config.json is a FIFO": (_fifo_config, "config.json is a FIFO, socket or device"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(LYING_MODELS))
def test_model_folders_that_lie_name_the_file(
    case: str, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    model = tmp_path / "lying"
    shutil.copytree(tiny_marian_dir, model)
    breakage, message = LYING_MODELS[case]
    breakage(model)
    code, out, err = translate_with(model, fast_registry)
    assert code == 8 and out == "" and one_line_error(err), err
    assert message in err and str(model) in err


# -- registries ------------------------------------------------------------------------------

SHIPPED_REGISTRY = (REPO / "models.toml").read_text(encoding="utf-8")
BAD_REGISTRIES = {
    "nan": (SHIPPED_REGISTRY.replace("length_penalty = 0.6", "length_penalty = nan", 1),
            "models.mt5-xlsum.generation.length_penalty must be a finite number, got nan"),
    "inf": (SHIPPED_REGISTRY.replace("repetition_penalty = 1.0", "repetition_penalty = inf", 1),
            "models.mt5-xlsum.generation.repetition_penalty must be a finite number, got inf"),
    "beams 1e9": (SHIPPED_REGISTRY.replace("num_beams = 4", "num_beams = 1000000000", 1),
                  "models.mt5-xlsum.generation.num_beams must be between 1 and 64"),
    "beams 1e9 as float": (SHIPPED_REGISTRY.replace("num_beams = 4", "num_beams = 1e9", 1),
                           "models.mt5-xlsum.generation.num_beams must be int, got float"),
    "max_new_tokens 1e9": (
        SHIPPED_REGISTRY.replace("max_new_tokens = 84", "max_new_tokens = 1000000000", 1),
        "models.mt5-xlsum.generation.max_new_tokens must be between 1 and 4096"),
    "min over max": (SHIPPED_REGISTRY.replace("min_new_tokens = 0", "min_new_tokens = 90", 1),
                     "min_new_tokens must not exceed max_new_tokens (84), got 90"),
    "misspelled table": (SHIPPED_REGISTRY + '\n[model.extra]\nrole = "translator"\n',
                         "model is not a known table (known: defaults, models, schema)"),
    "unknown default": (SHIPPED_REGISTRY.replace("[defaults]\n", '[defaults]\nsummariser = "x"\n'),
                        "defaults.summariser is not a known field (known: summarizer, translator)"),
    "schema 2": (SHIPPED_REGISTRY.replace("schema = 1", "schema = 2"), "schema must be 1"),
    "alias with an escape": (
        SHIPPED_REGISTRY.replace("[models.arabart]", '[models."arabart\\u001b[5m"]', 1)
        .replace("[models.arabart.generation]", '[models."arabart\\u001b[5m".generation]', 1),
        "names an alias of letters, digits"),
    "huge max_input_tokens": (
        SHIPPED_REGISTRY.replace("max_input_tokens = 512", "max_input_tokens = 100000000", 1),
        "models.mt5-xlsum.max_input_tokens must be between 8 and 65536"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_REGISTRIES))
def test_registry_values_out_of_range_and_unknown_keys(case: str, tmp_path: Path) -> None:
    text, message = BAD_REGISTRIES[case]
    path = tmp_path / "models.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["models", "--models", str(path)])
    assert result.exit_code == 9 and one_line_error(result.stderr), result.stderr
    assert result.stderr.startswith(f"summarize: error: {path}: ")
    assert message in result.stderr


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "huge"])
def test_registry_that_is_a_device_a_fifo_or_huge(kind: str, tmp_path: Path) -> None:
    """--models /dev/zero ate memory; a FIFO with no writer hung. Both refused at once."""
    if kind == "/dev/zero":
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero")
    elif kind == "fifo":
        path = tmp_path / "models.toml"
        os.mkfifo(path)
    else:
        path = tmp_path / "models.toml"
        path.write_text("# x\n" * 400_000, encoding="utf-8")
    proc = run_cli(["models", "--models", str(path)], timeout=30)
    err = proc.stderr.decode()
    assert proc.returncode == 9 and one_line_error(err), err
    assert f"model registry {path} " in err


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
    import time

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
    import time

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


# -- the property: any names, through batch and the terminal ----------------------------------

NAME_PIECES = [
    "a", "ع", "خبر", " ", "-", "_", ".", "..", "[", "]", "[/x]", "[bold red]", "[link=https:",
    ":skull:", "\x1b", "\x1b[31m", "\x1b]0;t\x07", "\x1b]8;;", "\x07", "\x9b", "\r", "\n", "\t",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "%", "#", "?", "&", "<", ">", '"', "'",
    "\\", "javascript:", "~", "*", "é", "\U0001f600",
]  # fmt: skip
# Terminal controls rich itself writes for a live progress display (no colour system here).
RICH_CONTROLS = re.compile(r"\x1b\[\?25[lh]|\x1b\[2K|\x1b\[1A|\x1b\[\d*[ABCDG]")


def _component(data: bytes) -> bool:
    return data not in (b"", b".", b"..") and b"/" not in data and b"\0" not in data


name_bytes = st.one_of(
    st.binary(min_size=1, max_size=30),
    st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=6).map(
        lambda parts: "".join(parts).encode("utf-8")
    ),
    st.integers(100, 126).map(lambda n: ("ع" * n).encode("utf-8")),  # near the 255-byte limit
    st.sampled_from([b".hidden", b".", b"caf\xe9", b"\xd9\xe4\xe6\xc7\xe4", b"\xff\xfe"]),
).filter(_component)
entry = st.tuples(
    st.one_of(st.none(), name_bytes),  # a folder to put it in, or none
    name_bytes,
    st.sampled_from([b".txt", b".txt", b".csv"]),  # .csv: not taken by the default globs
    st.sampled_from(["article", "article", "empty"]),
)


def _snapshot(root: Path, skip: Path) -> dict[bytes, bytes]:
    """Every file and link under ROOT outside SKIP, with its contents or its target."""
    seen: dict[bytes, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        if Path(os.fsdecode(dirpath)) == skip:
            dirnames[:] = []
            continue
        for name in [*filenames, *dirnames]:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                seen[path] = b"-> " + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    seen[path] = f.read()
    return seen


def _assert_terminal_safe(screen: str) -> None:
    rest = RICH_CONTROLS.sub("", screen)
    for ch in rest:
        if ch in "\n\r":
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"), (
            f"{ch!r} reached the terminal raw"
        )


@pytest.mark.fuzz
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(entries=st.lists(entry, min_size=1, max_size=6), link_out=st.booleans())
def test_any_names_through_batch_and_the_terminal(
    entries: list[tuple[bytes | None, bytes, bytes, str]], link_out: bool, fake_models: FakeModels
) -> None:
    """Arbitrary file names (any bytes, controls, markup, near the length limit), in an
    output folder where links to the outside were planted: nothing outside OUT changes, no
    control character reaches the terminal, every input has exactly one manifest record, and
    every name in OUT is UTF-8 and fits the file system."""
    from rich.console import Console

    from summarize.batch import BatchOptions, run_batch
    from summarize.cli.batch import file_progress, print_report
    from summarize.pipeline import Engine

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src, out, outside = root / "in", root / "out", root / "outside"
        for d in (src, out, outside):
            d.mkdir()
        (outside / "victim.txt").write_text(VICTIM_TEXT, encoding="utf-8")
        taken = set()
        for folder_name, stem, ext, content in entries:
            directory = os.fsencode(src) + (b"/" + folder_name if folder_name else b"")
            os.makedirs(directory, exist_ok=True)
            name = stem + ext
            if len(name) > 255 or os.path.isdir(directory + b"/" + name):
                continue
            with open(directory + b"/" + name, "wb") as f:
                f.write(b"" if content == "empty" else ARTICLE.encode("utf-8"))
            hidden = name.startswith(b".") or (folder_name or b"").startswith(b".")
            if ext == b".txt" and not hidden:
                taken.add(directory + b"/" + name)
        if link_out:  # a link in IN to a file outside it: left out, never read
            (src / "zz-link.txt").symlink_to(outside / "victim.txt")
        # Hostile state in OUT: a link where an output will go, a link as a subfolder.
        for link, target in ((b"a.txt.md", outside / "victim.txt"), (b"sub", outside)):
            os.symlink(os.fsencode(target), os.fsencode(out) + b"/" + link)
        before = _snapshot(root, out)

        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, color_system=None, width=80)
        with file_progress(console, quiet=False) as progress:
            report = run_batch(Engine(backend="fake"), BatchOptions(src, out), progress)
        print_report(console, report, quiet=False)

        assert _snapshot(root, out) == before, "a file outside OUT (or an input) changed"
        assert (outside / "victim.txt").read_text(encoding="utf-8") == VICTIM_TEXT
        _assert_terminal_safe(screen.getvalue())
        records = [
            json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()
        ]
        assert len(records) == len({r["path"] for r in records}) == len(taken) == report.total
        for record in records:
            if record["status"] == "ok":
                output = out / record["output"]
                assert output.resolve().is_relative_to(out.resolve())
                assert output.is_file() and not output.is_symlink()
        for _dirpath, dirnames, filenames in os.walk(out):
            for name in [*dirnames, *filenames]:
                assert len(name.encode("utf-8")) <= 255  # strict UTF-8, and fits


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
)
def test_any_text_through_the_brief_table(text: str, name: str) -> None:
    """The brief's terminal table shows any title, line, warning and model name as text."""
    from rich.console import Console

    from summarize.render import print_rich
    from summarize.results import BriefLine, ModelInfo, Result

    info = ModelInfo("translator", name, None, None, "MIT", "fake", "cpu", "fp32")
    result = Result("brief", name, "utf-8", BriefLine(text, text), [BriefLine(text, name)],
                    models=[info], warnings=[text])  # fmt: skip
    screen = io.StringIO()
    print_rich(result, Console(file=screen, force_terminal=True, color_system=None, width=80))
    _assert_terminal_safe(screen.getvalue())


def test_names_that_decode_alike_stay_two_inputs(tmp_path: Path, fake_models: FakeModels) -> None:
    """b'caf\\xe9.txt' decodes to the text caf\\xe9.txt, which another file may be called."""
    src = folder(tmp_path, ["caf\\xe9.txt", os.fsdecode(b"caf\xe9.txt"), "a\u2028b.txt"])
    out = tmp_path / "out"
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    got = rows(out)
    assert len(got) == 3 and len({r["output"] for r in got.values()}) == 3
    suffixed = [p for p in got if p.startswith("caf\\xe9.txt~")]
    assert len(suffixed) == 1 and "caf\\xe9.txt" in got
    line = next(
        x for x in (out / "manifest.jsonl").read_text("utf-8").split("\n") if "a\\u2028b" in x
    )
    assert "\u2028" not in line, "a record stays one line for every line reader"
    assert batch(str(src), "-o", str(out))[1].count("0 done, 3 reused") == 1


def test_settings_key_names_the_device(fake_models: FakeModels) -> None:
    """A resume on another device redoes the files (float results may differ there)."""
    from summarize.batch.runner import settings_key
    from summarize.pipeline import Engine

    keys = {
        settings_key(Engine(backend="fake", device=d), "brief", "json") for d in ("cpu", "cuda")
    }
    assert len(keys) == 2


def test_a_transformers_5_tokenizer_class_is_a_tokenizer(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """transformers 5 writes tokenizer_class "TokenizersBackend" (a tokenizer base class whose
    name does not end in "Tokenizer"): the default CTranslate2 path takes it. A check by name
    refused it as "not a tokenizer"; the check asks transformers whether the class is one."""
    model = tmp_path / "mt5"
    shutil.copytree(tiny_mt5_dir, model)
    config_path = model / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "TokenizersBackend"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    result = runner.invoke(
        app,
        ["brief", str(SAMPLES[2]), "-f", "json", "--summarizer", str(model), "--translator",
         str(tiny_marian_dir), "--models", str(fast_registry)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["models"][0]["backend"] == "ctranslate2"


def test_a_corrupt_spiece_model_is_named(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """An mT5 folder whose tokenizer is built from spiece.model (no tokenizer.json) and whose
    spiece.model is garbage: the error names that file (it said 'tiktoken is required')."""
    model = tmp_path / "mt5"
    shutil.copytree(tiny_mt5_dir, model)
    (model / "tokenizer.json").unlink()
    (model / "spiece.model").write_bytes(bytes(range(256)) * 12)
    result = runner.invoke(
        app,
        ["brief", str(SAMPLES[2]), "--summarizer", str(model), "--translator",
         str(tiny_marian_dir), "--models", str(fast_registry)],
    )  # fmt: skip
    assert result.exit_code == 8 and one_line_error(result.stderr), result.stderr
    assert f"{model / 'spiece.model'} is not a SentencePiece model" in result.stderr
