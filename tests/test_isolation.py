"""The test session never writes into the real home (issue: a Ray test left a model cache and
a cluster token there). conftest points every per-user folder at a temporary one for the whole
session and fails the run if the real home changed; these tests check both halves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.home import HomeSnapshot, isolate_home


def test_every_per_user_folder_points_into_the_session_home(
    session_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for key in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        assert Path(os.environ[key]).is_relative_to(session_home), key
    # each test also gets a Hugging Face cache of its own (conftest's _offline_env)
    assert Path(os.environ["HF_HOME"]).is_relative_to(tmp_path_factory.getbasetemp())
    assert Path(os.environ["RAY_TMPDIR"]).is_relative_to(session_home)
    assert Path.home().is_relative_to(session_home)


def test_a_subprocess_writes_its_config_into_the_session_home(session_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SUMMARIZE_CONFIG_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "summarize", "config", "path"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(done.stdout.strip()).is_relative_to(session_home)


def test_the_snapshot_sees_what_a_run_would_leave_behind(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "huggingface").mkdir(parents=True)
    (home / ".cache" / "pip").mkdir()
    snapshot = HomeSnapshot.take(home)
    assert snapshot.changes() == []
    (home / ".cache" / "pip" / "wheel").write_text("another process")  # not ours: ignored
    assert snapshot.changes() == []
    conversion = home / ".cache" / "huggingface" / "summarize" / "ctranslate2" / "m-int8"
    conversion.mkdir(parents=True)
    (conversion / "model.bin").write_bytes(b"x")
    (home / ".ray").mkdir()
    (home / ".ray" / "auth_token").write_text("secret")
    (home / ".cache" / "pip-tools").mkdir()  # another process's: reported, not ours
    changes, ours = snapshot.changes(), snapshot.ours()
    assert {"new: .ray", "new: .ray/auth_token"} <= set(changes) & set(ours)
    assert "new: .cache/pip-tools" in changes and "new: .cache/pip-tools" not in ours
    assert "new: .cache/huggingface/summarize/ctranslate2/m-int8/model.bin" in changes


def test_isolate_home_creates_every_folder(tmp_path: Path) -> None:
    env = isolate_home(tmp_path)
    assert all(Path(v).is_dir() for v in env.values())
    assert env["HF_HOME"].startswith(env["HOME"])
