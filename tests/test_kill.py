"""Interrupted and concurrent batch runs, as real processes on the tiny real models.

kill -9 a batch at seeded random points, rerun it to the end, and compare with a run that
was never interrupted: no temp file left, every output parses, the manifest has one line per
input with the recorded hashes, and the outputs are byte-identical. Then two batches on one
output folder: the second is refused (Busy) and writes nothing.
In-process resume after Ctrl-C is covered by tests/test_batch.py.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from summarize.errors import Busy
from tests.cli_support import SAMPLES, cli_env, one_line_error, run_cli, write_fast_registry

SEED = 20240605
STABLE_FIELDS = ("sha256", "status", "output", "output_sha256", "settings", "title_ar")


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten articles from samples/: the five as they are, and five with paragraphs reversed."""
    src = tmp_path_factory.mktemp("kill") / "in"
    (src / "sub").mkdir(parents=True)
    for i, sample in enumerate(SAMPLES):
        text = sample.read_text(encoding="utf-8")
        (src / f"{i:02d}-{sample.name}").write_text(text, encoding="utf-8")
        paragraphs = [p for p in text.splitlines() if p.strip()]
        (src / "sub" / f"{i:02d}-reversed.txt").write_text(
            "\n".join(reversed(paragraphs)), encoding="utf-8"
        )
    assert len(list(src.rglob("*.txt"))) == 10
    return src


@pytest.fixture(scope="module")
def command(
    articles: Path,
    tiny_mt5_dir: Path,
    tiny_marian_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> list[str]:
    registry = write_fast_registry(tmp_path_factory.mktemp("registry"))
    return [
        sys.executable, "-m", "summarize", "batch", str(articles), "-f", "json",
        "--summarizer", str(tiny_mt5_dir), "--translator", str(tiny_marian_dir),
        "--models", str(registry),
    ]  # fmt: skip


def start(command: list[str], out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*command, "-o", str(out)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )


def finish(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode()


def outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*.json"))
        if not p.name.startswith(".")
    }


def manifest_rows(out: Path) -> list[dict[str, Any]]:
    path = out / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_no_partial_output(out: Path) -> None:
    """What must hold at any moment, even right after a kill -9: every output parses."""
    for rel, data in outputs(out).items():
        parsed = json.loads(data.decode("utf-8"))
        assert parsed["schema"] == "summarize/1" and parsed["summary"], rel


def assert_complete(out: Path, articles: Path) -> list[dict[str, Any]]:
    """What must hold after a run to the end."""
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "temp files left"
    assert_no_partial_output(out)
    rows = manifest_rows(out)
    inputs = sorted(p.relative_to(articles).as_posix() for p in articles.rglob("*.txt"))
    assert sorted(r["path"] for r in rows) == inputs, "one manifest line per input"
    for row in rows:
        assert row["status"] == "ok", row
        written = (out / row["output"]).read_bytes()
        assert hashlib.sha256(written).hexdigest() == row["output_sha256"], row["path"]
        source = (articles / row["path"]).read_bytes()
        assert hashlib.sha256(source).hexdigest() == row["sha256"], row["path"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(r["path"] in index for r in rows)
    return rows


def test_kill_9_at_random_points_then_resume(
    articles: Path, command: list[str], tmp_path: Path
) -> None:
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    code, err = finish(start(command, reference))  # converts the models (first use)
    assert code == 0, err
    expected = outputs(reference)
    expected_rows = {r["path"]: r for r in assert_complete(reference, articles)}
    assert len(expected) == 10
    # How long a whole run takes now, so the kills land inside runs however fast they are.
    began = time.monotonic()
    code, err = finish(start(command, tmp_path / "timed"))
    assert code == 0, err
    whole = time.monotonic() - began

    rng = random.Random(SEED)
    kills = 0
    for attempt in range(4):
        proc = start(command, resumed)
        if attempt == 3:
            # Kill the moment outputs start to appear: the writing phase, not model loading.
            before = set(outputs(resumed))
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if set(outputs(resumed)) - before:
                    break
                time.sleep(0.005)
        else:
            time.sleep(rng.uniform(0.1, 0.7) * whole)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        code, err = finish(proc)
        assert code in (0, -signal.SIGKILL), err
        assert "Traceback" not in err
        if resumed.exists():
            assert_no_partial_output(resumed)
    assert kills >= 2, "the runs ended before they could be killed; nothing was tested"

    # The two windows a random kill rarely hits, made certain: a temp file from a kill
    # inside atomic_write, and a manifest line cut short by a kill during its append.
    resumed.mkdir(exist_ok=True)
    some_output = resumed / next(iter(expected))
    some_output.parent.mkdir(parents=True, exist_ok=True)
    stale = some_output.parent / f".{some_output.name}.k1ll3d_x.tmp"
    stale.write_text('{"schema": "summarize/1", "summ', encoding="utf-8")
    with (resumed / "manifest.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"path": "sub/00-reversed.txt", "sha256": "12')

    code, err = finish(start(command, resumed))
    assert code == 0, err
    rows = assert_complete(resumed, articles)
    assert outputs(resumed) == expected, "resumed outputs differ from an uninterrupted run"
    for row in rows:
        for name in STABLE_FIELDS:
            if name != "status":
                assert row[name] == expected_rows[row["path"]][name], (row["path"], name)
    # A rerun of a finished folder does nothing and changes nothing.
    code, err = finish(start(command, resumed))
    assert code == 0 and "0 done, 10 reused, 0 failed of 10" in err, err
    assert outputs(resumed) == expected


def test_second_batch_on_the_same_folder_is_refused(
    articles: Path, command: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = start(command, out)
    lock = out / ".summarize.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.poll() is None, "the first run ended before the second could start"
    second = run_cli([*command[3:], "-o", str(out)], timeout=60)
    err = second.stderr.decode()
    assert second.returncode == Busy.exit_code, err
    assert one_line_error(err) and f"another summarize batch is writing to {out}" in err
    assert first.poll() is None, "the second run must be refused while the first still runs"
    code, first_err = finish(first)
    assert code == 0, first_err
    rows = assert_complete(out, articles)
    assert [r["status"] for r in rows] == ["ok"] * 10, "the refused run wrote nothing"
    assert len((out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 10


# -- kill at every point ------------------------------------------------------------------

# The batch CLI in a process that SIGKILLs itself at one chosen point of its writes, counted
# over every write, append and removal in the output folder (fileio.Folder). KILL_PHASE:
# "before" (the KILL_AT-th operation never starts), "rename" (its temp file is written and
# fsynced, the rename never happens) or "torn" (an append stops halfway through its line).
KILL_CLI = """
import os, signal, sys
from summarize import fileio

at, phase = int(os.environ["KILL_AT"]), os.environ["KILL_PHASE"]
count = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def counted(name, method):
    def run(self, rel, *args, **kwargs):
        global count
        count += 1
        if count == at and phase == "before":
            die()
        if count == at and phase == "rename" and name == "write":
            os.replace = lambda *a, **k: die()
        if count == at and phase == "torn" and name == "append":
            return method(self, rel, args[0][: len(args[0]) // 2]) or die()
        return method(self, rel, *args, **kwargs)
    return run

for name in ("write", "append", "unlink"):
    setattr(fileio.Folder, name, counted(name, getattr(fileio.Folder, name)))
from summarize.cli import main
main(sys.argv[1:])
"""


def kill_points(n_files: int) -> list[tuple[str, int]]:
    """Every point of a run over N_FILES inputs, whose operations are an output and a manifest
    line per file, then the compacted manifest and the index: inside each write (its temp
    file made, the rename not done: the state of a kill just before that write, plus a temp
    file), before each manifest line, and halfway through each manifest line. A kill after the
    last operation is the uninterrupted run."""
    ops = 2 * n_files + 2
    writes = [2 * i + 1 for i in range(n_files)] + [ops - 1, ops]
    appends = [2 * i + 2 for i in range(n_files)]
    return (
        [("rename", k) for k in writes]
        + [("before", k) for k in appends]
        + [("torn", k) for k in appends]
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", [["--backend", "transformers"], ["--backend", "ctranslate2", "--precision", "int8"]],
    ids=["transformers", "ctranslate2-int8"],
)  # fmt: skip
def test_kill_at_every_point_then_resume_gives_the_uninterrupted_bytes(
    backend: list[str],
    tiny_mt5_dir: Path,
    tiny_marian_dir: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A batch SIGKILLed at each point of its writes, then resumed with another --threads:
    the outputs are byte-identical to one uninterrupted run, every input has one manifest
    record with the hashes of its input and output, and no temp file is left.

    What is guaranteed (docs/reliability.md): an article's output depends only on the article
    and the settings (task, format, models, generation settings, backend, precision), never
    on which other articles ran in the same process or window: articles never share a model
    batch. --threads is not part of the settings; on these models 1, 2 and 4 threads give the
    same bytes on both backends."""
    if backend[1] == "ctranslate2":
        pytest.importorskip("ctranslate2")
    src = tmp_path / "in"
    src.mkdir()
    for sample in SAMPLES[:2]:
        (src / sample.name).write_bytes(sample.read_bytes())
    registry = write_fast_registry(tmp_path_factory.mktemp("registry"))
    env = cli_env(HF_HOME=str(tmp_path_factory.mktemp("hf_home_kill")))
    base = [
        "batch", str(src), "-f", "json", *backend, "--summarizer", str(tiny_mt5_dir),
        "--translator", str(tiny_marian_dir), "--models", str(registry),
    ]  # fmt: skip

    def run(out: Path, threads: str, **kill: str) -> subprocess.CompletedProcess[bytes]:
        script = ["-c", KILL_CLI] if kill else ["-m", "summarize"]
        return subprocess.run(
            [sys.executable, *script, *base, "-o", str(out), "--threads", threads],
            capture_output=True, env={**env, **kill}, timeout=300, check=False,
        )  # fmt: skip

    reference = tmp_path / "reference"
    done = run(reference, "1")
    assert done.returncode == 0, done.stderr.decode()
    expected = outputs(reference)
    assert len(expected) == 2

    def kill_then_resume(point: tuple[str, int]) -> None:
        phase, at = point
        out = tmp_path / f"{phase}-{at}"
        killed = run(out, "1", KILL_AT=str(at), KILL_PHASE=phase)
        assert killed.returncode == -signal.SIGKILL, (phase, at, killed.stderr.decode())
        if out.exists():
            assert_no_partial_output(out)
        resumed = run(out, "2")
        assert resumed.returncode == 0, (phase, at, resumed.stderr.decode())
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], (phase, at)
        assert outputs(out) == expected, (phase, at)
        records = assert_complete(out, src)
        assert len(records) == 2 and {r["status"] for r in records} <= {"ok", "skipped"}

    # Two at a time: each point has its own folder, and most of a run is starting Python.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(kill_then_resume, kill_points(2)))
