"""The input folder of `summarize batch`: what is taken (hidden files, links, odd names), what
is left out and counted, and files that change, vanish or are not files while a batch runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from summarize.batch import runner as batch_runner
from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    UsageError,
)
from tests.cli_support import (
    VICTIM_TEXT,
    batch,
    folder,
    numbered_folder,
    one_line_error,
    rows,
    run_cli,
    runner,
)
from tests.fakes import FakeModels

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


def test_files_the_glob_leaves_out_are_counted(tmp_path: Path, fake_models: FakeModels) -> None:
    """As hidden ones are: a folder of PDFs must not look like an empty success."""
    src = folder(tmp_path, ["a.txt", "sub/b.txt"])
    for name in ("report.pdf", "sub/scan.PDF", "notes.csv", "README", ".DS_Store"):
        (src / name).write_bytes(b"x")
    code, err = batch(str(src), "-o", str(tmp_path / "o"))
    assert code == 0 and set(rows(tmp_path / "o")) == {"a.txt", "sub/b.txt"}, err
    assert (
        "not taken: 4 not matching --glob *.txt *.md *.html (2 .pdf, 1 .csv, 1 with no extension;"
        " --glob PATTERN takes them)" in err
    ), err
    assert "hidden" not in err, "a hidden file --glob leaves out is not counted twice"
    code, err = batch(str(src), "-o", str(tmp_path / "o2"), "--glob", "*.txt", "--glob", "*.csv")
    assert "not taken: 3 not matching --glob *.txt *.csv (2 .pdf, 1 with no extension;" in err
    code, err = batch(str(src), "-o", str(tmp_path / "o3"), "--glob", "*")
    assert "not matching" not in err and "1 hidden" in err, err


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


def test_file_that_disappears_mid_batch(
    tmp_path: Path, fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = numbered_folder(tmp_path), tmp_path / "out"
    real_find = batch_runner.find_inputs

    def find_then_delete(*args: Any, **kwargs: Any) -> Any:
        found = real_find(*args, **kwargs)
        (src / "1.txt").unlink()  # gone after it was listed, before it is read
        return found

    monkeypatch.setattr(batch_runner, "find_inputs", find_then_delete)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    records = rows(out)
    assert records["1.txt"]["status"] == "failed"
    assert records["1.txt"]["error"] == "1.txt: the file disappeared before it was read"
    assert records["0.txt"]["status"] == records["2.txt"]["status"] == "ok"
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("summarize: error: 1 of 3 files failed")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_device_and_huge_file_in_a_batch_folder(tmp_path: Path) -> None:
    """No model is needed: every input fails before one would load. It must not hang."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    if Path("/dev/zero").exists():
        (src / "zero.txt").symlink_to("/dev/zero")
    with (src / "huge.txt").open("wb") as f:
        f.truncate(5_000_000)  # sparse; over 4 bytes x --max-chars
    proc = run_cli(["batch", str(src), "-o", str(out), "--max-chars", "1000000"], timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == BatchIncomplete.exit_code, err
    records = rows(out)
    assert (
        records["pipe.txt"]["error"] == "pipe.txt is not a regular file (a FIFO, socket or device)"
    )
    if "zero.txt" in records:
        assert "not a regular file" in records["zero.txt"]["error"]
    assert "--max-chars" in records["huge.txt"]["error"]
    assert "Traceback" not in err
