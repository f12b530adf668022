"""The model cache shared between users, read-only, or left behind by a kill.

Conversions are made with the umask's modes (they were 0700/0600, so a cache converted by root,
as in an image built as root, failed for every other user with an internal error); a finished
conversion is used as it is from a cache this user cannot write; a conversion that must be made
there goes to this user's temp cache, with a warning that says which folder to set; and a
conversion killed halfway (`kill -9`) leaves a scratch folder that the next run removes.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarize.backends.conversion import (
    MARKER,
    cache_root,
    check_conversion,
    conversion_dir,
    ensure_converted,
)
from summarize.registry import ModelSpec, load_registry, resolve
from tests.cli_support import REPO, SAMPLES, cli_env

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, users and signals")


def marian_spec(directory: Path) -> ModelSpec:
    return resolve(str(directory), "translator", load_registry())


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


@pytest.mark.parametrize("mask", [0o022, 0o002], ids=["umask-022", "umask-002"])
def test_a_conversion_takes_the_umasks_modes(
    mask: int, tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    before = os.umask(mask)
    try:
        target = ensure_converted(marian_spec(tiny_marian_dir), tiny_marian_dir, "int8",
                                  script="latin")  # fmt: skip
    finally:
        os.umask(before)
    found = modes(target)
    assert "vmap.txt" in found and MARKER in found
    assert stat.S_IMODE(target.stat().st_mode) == 0o777 & ~mask, "was 0700"
    assert {m for name, m in found.items()} == {0o666 & ~mask}, found  # was 0600 for vmap.txt


# -- scratch folders left by a kill -------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    root = cache_root()
    root.mkdir(parents=True)
    return root


def test_a_scratch_folder_nobody_holds_is_removed_and_a_live_one_kept(cache: Path) -> None:
    from summarize.backends.conversion import remove_stale_scratch

    stale = cache / ".marian-0123456789ab-int8.k3j_x9q2"
    live = cache / ".mt5-0123456789ab-int8.a1b2c3d4"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "model.bin").write_bytes(b"\0" * 1000)
    holder = subprocess.Popen(  # a live conversion: it holds its lock
        [sys.executable, "-c", "import fcntl, sys, time\n"
         "f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX)\n"
         "print('held', flush=True); time.sleep(60)", str(cache / ".mt5-0123456789ab-int8.lock")],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        assert remove_stale_scratch(cache) == 1
    finally:
        holder.kill()
        holder.wait()
    assert not stale.exists() and live.exists()
    (cache / "not-a-scratch").mkdir()
    (cache / ".hidden").mkdir()
    assert remove_stale_scratch(cache) == 1  # the live one, now that nobody holds it
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [".hidden", "not-a-scratch"]


@pytest.mark.slow
def test_kill_9_during_a_conversion_then_the_next_run_leaves_no_scratch(
    tiny_marian_dir: Path, tmp_path: Path
) -> None:
    """A conversion killed with SIGKILL while it writes (its scratch folder exists) left that
    folder forever (0.3-1.2 GB with real models); the next run removes it and converts."""
    hf = tmp_path / "hf"
    env = cli_env(HF_HOME=str(hf))
    args = [sys.executable, "-m", "summarize", "translate", str(SAMPLES[2]), "-f", "json",
            "--translator", str(tiny_marian_dir)]  # fmt: skip
    proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    root = hf / "summarize" / "ctranslate2"
    deadline = time.monotonic() + 120
    scratch: list[Path] = []
    while proc.poll() is None and time.monotonic() < deadline and not scratch:
        scratch = [p for p in root.glob(".*") if p.is_dir()] if root.is_dir() else []
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not scratch:
        pytest.skip("the conversion ended before its scratch folder was seen")
    assert any(p.exists() for p in scratch), "the kill left its scratch folder"
    again = subprocess.run(args, env=env, cwd=REPO, capture_output=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert not [p for p in root.glob(".*") if p.is_dir()], "stale scratch removed"
    assert b"left by a conversion that was stopped" in again.stderr


def test_a_fifo_as_the_marker_never_hangs(
    tiny_marian_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = marian_spec(tiny_marian_dir)
    target = conversion_dir(spec, tiny_marian_dir, "int8")
    target.mkdir()
    os.mkfifo(target / MARKER)
    assert check_conversion(target) == "unfinished (no marker)"
    assert ensure_converted(spec, tiny_marian_dir, "int8") == target
    assert check_conversion(target) is None


# -- as another user ------------------------------------------------------------------------------


def as_nobody() -> list[str]:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as another user (user 65534)")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]


@pytest.fixture
def shared(tiny_marian_dir: Path) -> Iterator[Path]:
    """A folder everyone can read, holding a copy of the tiny MarianMT (pytest's temp folders
    are root's, 0700)."""
    shutil.rmtree(Path(tempfile.gettempdir()) / "summarize-65534", ignore_errors=True)
    base = Path(tempfile.mkdtemp(prefix="summarize-shared-"))
    base.chmod(0o755)
    shutil.copytree(tiny_marian_dir, base / "marian")
    for path in (base / "marian", *(base / "marian").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    article = base / "article.txt"
    shutil.copy(SAMPLES[2], article)
    article.chmod(0o644)
    yield base
    shutil.rmtree(base, ignore_errors=True)
    shutil.rmtree(Path(tempfile.gettempdir()) / "summarize-65534", ignore_errors=True)


def translate_as(prefix: list[str], base: Path, hf: Path) -> subprocess.CompletedProcess[str]:
    """`summarize translate` on the shared copy, after PREFIX, with the usual umask 022."""
    env = cli_env(HF_HOME=str(hf), SUMMARIZE_CONFIG_DIR=str(base / "config"))
    args = ["translate", str(base / "article.txt"), "-f", "json",
            "--translator", str(base / "marian")]  # fmt: skip
    return subprocess.run([*prefix, sys.executable, "-m", "summarize", *args], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
                          preexec_fn=lambda: os.umask(0o022))  # fmt: skip


def test_a_cache_converted_by_root_serves_another_user_as_it_is(shared: Path) -> None:
    """An image built as root, run as a user: the user reads the conversion as it is (was an
    internal error: the conversion was 0700 and its lock file not the user's to open)."""
    prefix = as_nobody()
    hf = shared / "hf"
    made = translate_as([], shared, hf)
    assert made.returncode == 0, made.stderr
    used = translate_as(prefix, shared, hf)
    assert used.returncode == 0, used.stderr
    assert "WARNING" not in used.stderr and "converting" not in used.stderr, used.stderr
    assert not (Path(tempfile.gettempdir()) / "summarize-65534").exists()


@pytest.mark.parametrize("cache_state", ["read-only", "cannot be created", "old 0700"])
def test_a_cache_the_user_cannot_write_converts_into_a_temp_cache(
    cache_state: str, shared: Path
) -> None:
    """No conversion the user can read, and a cache the user cannot write (root's, a
    read-only one, one whose folder cannot be created, or an older version's 0700 one): the
    model is converted into the user's temp cache, with one warning that names HF_HOME.
    Was exit 1 (internal error)."""
    prefix = as_nobody()
    hf = shared / "hf"
    if cache_state == "read-only":
        (hf / "summarize" / "ctranslate2").mkdir(parents=True)
        for path in (hf, hf / "summarize", hf / "summarize" / "ctranslate2"):
            path.chmod(0o755)
    elif cache_state == "cannot be created":
        hf.mkdir(mode=0o755)
        hf.chmod(0o755)
        hf = hf / "root-only" / "hf"
        hf.parent.mkdir(mode=0o700)
    else:
        made = translate_as([], shared, hf)
        assert made.returncode == 0, made.stderr
        for folder in (hf / "summarize" / "ctranslate2").iterdir():
            if folder.is_dir():
                folder.chmod(0o700)
    used = translate_as(prefix, shared, hf)
    assert used.returncode == 0, used.stderr
    warnings = [line for line in used.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "HF_HOME" in warnings[0], used.stderr
    assert "cannot be written" in warnings[0]
    again = translate_as(prefix, shared, hf)
    assert again.returncode == 0 and "converting" not in again.stderr, again.stderr


def test_a_cache_the_user_cannot_read_does_not_break_the_models_listing(shared: Path) -> None:
    prefix = as_nobody()
    hf = shared / "hf"
    (hf / "summarize" / "ctranslate2").mkdir(parents=True)
    hf.chmod(0o755)
    (hf / "summarize").chmod(0o700)
    env = cli_env(HF_HOME=str(hf), SUMMARIZE_CONFIG_DIR=str(shared / "config"))
    proc = subprocess.run([*prefix, sys.executable, "-m", "summarize", "models", "-f", "json"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
