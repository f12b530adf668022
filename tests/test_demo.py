"""`summarize models demo DIR`: tiny offline models from any install, and the command to try them."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarize.errors import ModelError, OutputError
from tests.samples import sample

REPO = Path(__file__).resolve().parent.parent


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, module: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *(["-m", "summarize"] if module else []), *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=600,
    )  # fmt: skip


@pytest.mark.slow
def test_demo_builds_and_its_printed_command_works(tmp_path: Path) -> None:
    demo = tmp_path / "demo models"  # a space: the printed command must quote it
    built = run("models", "demo", str(demo))
    assert built.returncode == 0, built.stderr
    command = built.stdout.strip()
    assert command.startswith("summarize brief ") and "--summarizer" in command
    assert "random weights" in built.stderr
    args = shlex.split(command)[1:]
    brief = run(*args, "-f", "json", "--threads", "1")
    assert brief.returncode == 0, brief.stderr
    data = json.loads(brief.stdout)
    assert data["summary"] and data["title"]["ar"]
    # building again reuses what is there
    again = run("models", "demo", str(demo))
    assert again.returncode == 0 and again.stdout == built.stdout


def test_demo_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    (tmp_path / "marian").mkdir()
    (tmp_path / "marian" / "notes.txt").write_text("mine")
    done = run("models", "demo", str(tmp_path))
    assert done.returncode == OutputError.exit_code
    assert (
        done.stderr.count("\n") <= 4
        and "summarize: error: cannot build the demo models" in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert (tmp_path / "marian" / "notes.txt").read_text() == "mine"


def test_a_translator_given_as_summarizer_is_refused(tiny_marian_dir: Path, tmp_path: Path) -> None:
    article = sample("qatar-emir-state-visit-kazakhstan.txt")
    done = run(
        "brief",
        str(article),
        "--summarizer",
        str(tiny_marian_dir),
        "--translator",
        str(tiny_marian_dir),
    )
    assert done.returncode == ModelError.exit_code
    assert "which translates; --summarizer needs a summarization model" in done.stderr


@pytest.mark.parametrize("summarizer", ["tiny_mt5_dir", "tiny_bart_dir"])
def test_a_summarizer_given_as_translator_is_refused(
    summarizer: str, request: pytest.FixtureRequest
) -> None:
    """Before: it ran, and printed Arabic-script "English". Refused before any work, both for
    translate and for the translator of a brief."""
    folder = str(request.getfixturevalue(summarizer))
    article = str(sample("qatar-emir-state-visit-kazakhstan.txt"))
    for args in (["translate", article], ["brief", article, "--summarizer", "extractive"]):
        done = run(*args, "--translator", folder)
        assert done.returncode == ModelError.exit_code and done.stdout == "", done.stderr
        assert (
            "which summarizes rather than translates; --translator needs a translation model"
            in (done.stderr)
        )


def test_a_translation_fine_tune_of_a_summarizing_architecture_is_a_translator() -> None:
    from summarize.backends.hub import _translates

    assert not _translates({"model_type": "mt5"}) and not _translates({"model_type": "bart"})
    assert _translates({"model_type": "marian"}) and _translates({"model_type": "mbart"})
    tasks = {"translation_ar_to_en": {"max_length": 256}}
    assert _translates({"model_type": "mt5", "task_specific_params": tasks})
    assert not _translates({"model_type": "bart", "task_specific_params": {"summarization": {}}})


@pytest.mark.slow
def test_demo_works_from_a_plain_wheel_install(tmp_path: Path) -> None:
    """Not editable: the corpus the demo trains on must ship inside the package."""
    source = tmp_path / "src"
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "wheel"), str(source)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheel").glob("summarize-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    shutil.rmtree(source)  # nothing of the checkout is left to lean on
    env = {**os.environ, "PYTHONPATH": str(site)}
    home = tmp_path / "elsewhere"
    home.mkdir()
    where = run(
        "-c", "import summarize; print(summarize.__file__)", env=env, cwd=home, module=False
    )
    assert where.stdout.startswith(str(site)), "the wheel install, not the checkout, is what runs"
    demo = run("models", "demo", str(tmp_path / "demo"), env=env, cwd=home)
    assert demo.returncode == 0, demo.stderr
    html = run(*shlex.split(demo.stdout)[1:], "-f", "html", "--threads", "1", env=env, cwd=home)
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!DOCTYPE html>") and 'dir="rtl"' in html.stdout
