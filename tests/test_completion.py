"""Shell completion (typer's own, for bash, zsh and fish) and help that cuts nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from summarize.cli import app

runner = CliRunner()


def complete(
    shell: str, words: str, cword: int | None = None, cwd: Path | None = None
) -> list[str]:
    """What the shell's completion function gets back from `summarize` for WORDS (in CWD)."""
    env = {**os.environ, "_SUMMARIZE_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(cword)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run(
        [sys.executable, "-m", "summarize"],
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip("\n").split("\n")


# typer reads the shell from the parent process; this switch (typer's own, for tests) makes it
# take the shell named on the command line instead.
NAMED_SHELL = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


@pytest.mark.parametrize(
    ("shell", "written"),
    [
        ("bash", ".bash_completions/summarize.sh"),
        ("zsh", ".zfunc/_summarize"),
        ("fish", ".config/fish/completions/summarize.fish"),
    ],
)
def test_completion_script_for_each_shell(shell: str, written: str, tmp_path: Path) -> None:
    env = {**os.environ, **NAMED_SHELL, "HOME": str(tmp_path)}
    shown, installed = (
        subprocess.run(
            [sys.executable, "-m", "summarize", option, shell],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for option in ("--show-completion", "--install-completion")
    )
    assert shown.returncode == 0, shown.stderr
    assert "_SUMMARIZE_COMPLETE" in shown.stdout and f"complete_{shell}" in shown.stdout
    assert installed.returncode == 0, installed.stderr
    assert f"complete_{shell}" in (tmp_path / written).read_text(encoding="utf-8")


def test_completion_of_commands_options_keys_and_models() -> None:
    assert "brief" in complete("bash", "summarize br", 1)
    assert "--summarizer" in complete("bash", "summarize brief --summ", 2)
    assert complete("bash", "summarize config set pr", 3) == ["precision"]
    assert complete("bash", "summarize models remove ara", 3) == ["arabart"]
    zsh = "\n".join(complete("zsh", "summarize models re"))
    assert '"remove"' in zsh
    fish = complete("fish", "summarize config s")
    assert any(line.startswith("set\t") for line in fish)


def test_completion_offers_the_models_of_each_role_and_folders(tmp_path: Path) -> None:
    """--summarizer and --translator: the aliases of that role, then folders (a model folder
    whole, any other with '/' to go on); the built-in extractive summarizer only where a
    summarizer goes, never to `models pull` or `models remove` (nothing to download or free)."""
    (tmp_path / "demo" / "mt5").mkdir(parents=True)
    (tmp_path / "demo" / "mt5" / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "demo" / "notes").mkdir()
    (tmp_path / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "de\nfake").mkdir()  # a line break in a name: never offered
    (tmp_path / "article.txt").write_text("نص", encoding="utf-8")
    summarizers = complete("bash", "summarize brief --summarizer ", 3, cwd=tmp_path)
    assert summarizers[:3] == ["mt5-xlsum", "arabart", "extractive"]
    assert set(summarizers[3:]) == {"deep/", "demo/"}, "folders, not files nor hidden ones"
    translators = complete("bash", "summarize translate --translator ", 3, cwd=tmp_path)
    assert translators[:2] == ["opus-mt-ar-en", "opus-mt-tc-big-ar-en"]
    assert "extractive" not in translators and "mt5-xlsum" not in translators
    assert complete("bash", "summarize batch in --translator de", 4, cwd=tmp_path) == [
        "deep/",
        "demo/",
    ]
    assert complete("bash", "summarize brief --summarizer demo/", 3, cwd=tmp_path) == [
        "demo/mt5",
        "demo/notes/",
    ]
    assert complete("bash", "summarize brief --summarizer .h", 3, cwd=tmp_path) == [".hidden/"]
    assert complete("bash", "summarize config set translator opus-mt-t", 4) == [
        "opus-mt-tc-big-ar-en"
    ]
    zsh = "\n".join(complete("zsh", "summarize brief --translator opus"))
    assert "opus-mt-ar-en" in zsh and "opus-mt-tc-big-ar-en" in zsh
    for command in ("remove", "pull"):
        offered = complete("bash", f"summarize models {command} ", 3)
        assert "extractive" not in offered and {"mt5-xlsum", "opus-mt-ar-en"} <= set(offered)
    # a registry given earlier on the line is the one completed from
    registry = tmp_path / "mine.toml"
    text = (Path(__file__).resolve().parent.parent / "models.toml").read_text(encoding="utf-8")
    registry.write_text(text.replace("[models.arabart", "[models.my-bart"), encoding="utf-8")
    mine = complete("bash", f"summarize brief --models {registry} --summarizer my", 5)
    assert mine == ["my-bart"]


def _paths(command: Any, path: list[str]) -> list[list[str]]:
    """PATH and the paths of every command under COMMAND."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _paths(sub, [*path, name])
    return found


def test_help_cuts_no_description() -> None:
    """At 80 columns, no command list shortens a description with '...'."""
    paths = _paths(typer.main.get_command(app), [])
    assert ["config", "set"] in paths and ["models", "remove"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (path, result.stderr)
        listed = result.stdout.partition("\nCommands:")[2]
        assert "..." not in listed and "…" not in listed, (path, result.stdout)
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout
