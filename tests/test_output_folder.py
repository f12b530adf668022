"""The output folder of `summarize batch`: no link inside it is ever followed, nothing written
outside it, no record lost, and folders that cannot take files are one line and exit 10.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    OutputError,
)
from tests.cli_support import (
    ARTICLE,
    AS_ORDINARY_USER,
    batch,
    folder,
    numbered_folder,
    one_line_error,
    rows,
    run_fake_cli,
    runner,
)
from tests.fakes import FakeModels

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


@pytest.mark.parametrize("name", ["index", "INDEX", "Index"])
def test_an_input_named_index_never_becomes_the_index_page(
    name: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    """An input `index` with -f html was overwritten by the index page, recorded `ok`, and
    redone on every run. Its output takes a hash suffix, as an over-long name does; the
    index page stays the index (on a case-insensitive disk `INDEX.html` is `index.html`)."""
    src, out = folder(tmp_path, ["a.txt"]), tmp_path / "out"
    (src / name).write_text(ARTICLE, encoding="utf-8")
    args = (str(src), "-o", str(out), "-f", "html", "--glob", "*")
    code, err = batch(*args)
    assert code == 0, err
    record = rows(out)[name]
    assert record["status"] == "ok" and record["output"].startswith(f"{name}~")
    assert record["output"].endswith(".html") and (out / record["output"]).is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="./{record["output"]}"' in index
    code, err = batch(*args)
    assert code == 0 and "0 done, 2 reused" in err, err


@pytest.mark.parametrize("hash_", ["true hash", "its own hash"])
def test_a_manifest_record_naming_another_inputs_output_never_removes_it(
    hash_: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    """A record of a.txt edited to name b.txt's output (with that output's true hash, or with
    the hash a.txt's own output had): when a.txt then fails, the rerun removed b.txt.md. Only
    the output a record proves its own (its input's output name, its hash) is removed."""
    src, out = folder(tmp_path), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    records = rows(out)
    b_output = (out / "b.txt.md").read_bytes()
    edited = dict(records["a.txt"], output="b.txt.md")
    if hash_ == "true hash":
        edited["output_sha256"] = hashlib.sha256(b_output).hexdigest()
    lines = [json.dumps(edited if r["path"] == "a.txt" else r) for r in records.values()]
    (out / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "a.txt").write_text("   \n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out))
    assert code == BatchIncomplete.exit_code, err
    assert (out / "b.txt.md").read_bytes() == b_output
    assert rows(out)["b.txt"]["status"] == "ok"
    assert "was removed" not in rows(out)["a.txt"]["error"]


def test_a_manifest_record_naming_another_output_is_not_taken_as_done(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """A record of a.txt that names b.txt's output with b's hash would have made a.txt
    `done` with b's brief as its output; a.txt is made again, under its own name."""
    src, out = folder(tmp_path), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    records = rows(out)
    (out / "a.txt.md").unlink()
    forged = dict(records["a.txt"], output="b.txt.md",
                  output_sha256=records["b.txt"]["output_sha256"])  # fmt: skip
    lines = [json.dumps(forged if r["path"] == "a.txt" else r) for r in records.values()]
    (out / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out))
    assert code == 0, err
    assert rows(out)["a.txt"]["output"] == "a.txt.md" and (out / "a.txt.md").is_file()


def test_a_rerun_in_another_format_replaces_the_earlier_outputs(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """Decision: one output per input. A rerun with another -f removes each input's earlier
    output once its new one is written, and says so; an earlier output changed since it was
    written (a user's edits) is kept and named. Before: the .md files stayed, unlisted."""
    src, out = folder(tmp_path, ["a.txt", "b.txt", "sub/c.txt"]), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    code, err = batch(str(src), "-o", str(out), "-f", "html")
    assert code == 0, err
    assert "removed 3 output(s) of an earlier run in another format (.md)" in err, err
    outputs = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name[0] != "."
    )
    assert outputs == [
        "a.txt.html", "b.txt.html", "index.html", "manifest.jsonl", "sub/c.txt.html",
    ]  # fmt: skip
    assert {r["output"] for r in rows(out).values()} == {
        "a.txt.html", "b.txt.html", "sub/c.txt.html",
    }  # fmt: skip
    # an earlier output edited since it was written is the user's: kept, and named
    (out / "b.txt.html").write_text("my notes", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out), "-f", "json")
    assert code == 0, err
    assert "removed 2 output(s) of an earlier run in another format (.html)" in err, err
    kept = "kept 1 output(s) of an earlier run in another format, changed since they were written"
    assert f"{kept} (b.txt.html); no manifest lists them now" in err, err
    assert (out / "b.txt.html").read_text(encoding="utf-8") == "my notes"
    assert not (out / "a.txt.html").exists() and (out / "a.txt.json").is_file()
    code, err = batch(str(src), "-o", str(out), "-f", "json")
    assert code == 0 and "0 done, 3 reused" in err and "earlier run in another" not in err


def test_a_rerun_in_another_format_never_removes_a_file_a_record_merely_names(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """A record edited to name a user's file in the output folder, with that file's true
    hash: a rerun in another format removed it as the input's earlier output. Only the
    input's own output name is ever taken for its earlier output."""
    src, out = folder(tmp_path), tmp_path / "out"
    assert batch(str(src), "-o", str(out))[0] == 0
    notes = out / "notes.md"
    notes.write_text("my notes", encoding="utf-8")
    records = rows(out)
    forged = dict(records["a.txt"], output="notes.md",
                  output_sha256=hashlib.sha256(b"my notes").hexdigest())  # fmt: skip
    lines = [json.dumps(forged if r["path"] == "a.txt" else r) for r in records.values()]
    (out / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = batch(str(src), "-o", str(out), "-f", "html")
    assert code == 0, err
    assert notes.read_text(encoding="utf-8") == "my notes"
    assert (out / "a.txt.html").is_file() and not (out / "b.txt.md").exists()


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


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores mode bits")
def test_read_only_output_folder(tmp_path: Path, fake_models: FakeModels) -> None:
    src, out = numbered_folder(tmp_path), tmp_path / "out"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    finally:
        out.chmod(stat.S_IRWXU)
    assert result.exit_code == OutputError.exit_code
    assert result.stderr == f"summarize: error: {out} is not writable\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_output_folder_that_cannot_take_files(tmp_path: Path, fake_models: FakeModels) -> None:
    """/proc/self refuses new files even for root (mode bits do not stop root)."""
    src = numbered_folder(tmp_path)
    result = runner.invoke(app, ["batch", str(src), "-o", "/proc/self"])
    assert result.exit_code == OutputError.exit_code
    assert one_line_error(result.stderr), result.stderr


def test_output_subfolder_blocked_by_a_file(tmp_path: Path, fake_models: FakeModels) -> None:
    """One output cannot be written (its folder is a file): that input fails, the rest go on."""
    src, out = numbered_folder(tmp_path, 2), tmp_path / "out"
    (src / "sub").mkdir()
    (src / "sub" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    out.mkdir()
    (out / "sub").write_text("a file where a folder should be", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    records = rows(out)
    assert records["sub/x.txt"]["status"] == "failed"
    assert records["sub/x.txt"]["error"].startswith("cannot write")
    assert records["0.txt"]["status"] == records["1.txt"]["status"] == "ok"
    assert (out / "0.txt.md").is_file() and (out / "1.txt.md").is_file()
