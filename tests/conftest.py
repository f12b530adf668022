"""Shared fixtures: tiny random-weight models of the real architectures, built offline.

Other test modules rely on these fixture names: ``tiny_marian_dir``, ``tiny_mt5_dir``,
``tiny_bart_dir``, ``samples_dir`` and the autouse ``_offline_env``. Rename with care.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from summarize import devmodels
from tests.home import HomeSnapshot, isolate_home
from tests.samples import SAMPLES_DIR, sample_paths

# The fake model backend (tests/fakes.py) provides the `fake_models` fixture.
pytest_plugins = ["tests.fakes"]

REPO_ROOT = Path(__file__).resolve().parent.parent

_SESSION_HOME: dict[str, object] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Before any test (and any subprocess, Ray worker or library a test starts): HOME, the
    XDG folders, HF_HOME and Ray's temp folder point into one temporary folder for the whole
    session, so nothing a test runs can write into the real home (a model cache, a Ray token).
    The real home is snapshotted here and checked at the end (``pytest_sessionfinish``)."""
    if hasattr(config, "workerinput"):  # pragma: no cover - no xdist here; keep it harmless
        return
    real_home = Path(os.environ.get("HOME") or Path.home())
    root = Path(tempfile.mkdtemp(prefix="summarize-tests-"))
    _SESSION_HOME["root"] = root
    _SESSION_HOME["real"] = real_home
    _SESSION_HOME["snapshot"] = HomeSnapshot.take(real_home)
    os.environ.update(isolate_home(root))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run (under CI=true) when a test wrote where this tool or its libraries write in
    the real home (a model cache, a Ray token, a config); other changes are only reported."""
    snapshot = _SESSION_HOME.get("snapshot")
    if not isinstance(snapshot, HomeSnapshot):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    ours, changed = snapshot.ours(), snapshot.changes()
    others = [c for c in changed if c not in ours]
    if others and reporter is not None:  # another process on this machine, most likely
        lines = "\n".join(f"  {c}" for c in others[:20])
        reporter.write_line(f"note: the real home changed during the tests:\n{lines}")
    if ours:
        lines = "\n".join(f"  {c}" for c in ours[:20])
        message = f"the tests wrote into the real home ({snapshot.home}):\n{lines}"
        # In CI nothing else runs, so this is a test's doing: fail. On a developer's machine a
        # `summarize` run in another terminal writes the same folders: say so loudly instead.
        strict = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
        if reporter is not None:
            level = "ERROR" if strict else "WARNING (fails under CI=true)"
            reporter.write_line(f"{level}: {message}", red=True)
        if strict:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    root = _SESSION_HOME.get("root")
    if isinstance(root, Path):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reaches the network, the user's Hugging Face cache or the user's config file
    (nor the environment variables that override it), and output width is fixed."""
    from summarize.config import ENV_DIR, KEYS

    monkeypatch.setenv(ENV_DIR, str(tmp_path_factory.mktemp("config")))
    for key in KEYS.values():
        monkeypatch.delenv(key.env, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    sample_paths()  # an empty or missing folder fails here, not silently later
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def session_home() -> Path:
    """The temporary folder that stands in for HOME during the whole session."""
    root = _SESSION_HOME.get("root")
    assert isinstance(root, Path)
    return root


@pytest.fixture(scope="session")
def _dev_models_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("devmodels")


@contextmanager
def _offline_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What ``_offline_env`` does, for the session fixtures it cannot serve."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home_build")))
        yield


@pytest.fixture(scope="session")
def tiny_marian_dir(_dev_models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny MarianMT (opus-mt-ar-en layout): Arabic in, English-looking pieces out."""
    with _offline_build(tmp_path_factory):
        return devmodels.build_marian(_dev_models_root / "marian")


@pytest.fixture(scope="session")
def tiny_mt5_dir(_dev_models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny mT5 summarizer (mT5_multilingual_XLSum layout)."""
    with _offline_build(tmp_path_factory):
        return devmodels.build_mt5(_dev_models_root / "mt5")


@pytest.fixture(scope="session")
def tiny_bart_dir(_dev_models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BART summarizer (AraBART layout, BARThez tokenizer)."""
    with _offline_build(tmp_path_factory):
        return devmodels.build_bart(_dev_models_root / "bart")


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    """A file outside every folder under test that nothing may change."""
    from tests.cli_support import VICTIM_TEXT

    path = tmp_path / "victim.txt"
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    yield path
    assert path.read_text(encoding="utf-8") == VICTIM_TEXT, "a file outside OUT was changed"


@pytest.fixture
def fast_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped registry with greedy, very short generation (tests.cli_support), one thread."""
    from tests.cli_support import write_fast_registry

    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    return write_fast_registry(tmp_path)
