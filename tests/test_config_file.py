"""The config file as a file: one that cannot be read, one that is not a file, parallel writers,
a linked dotfile, and values checked the same way wherever they come from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize import config
from summarize.cli import app
from tests.cli_support import REPO, cli_env, folder, one_line_error
from tests.fakes import FakeModels

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def at_default_place(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Use the platform's config folder under HOME (no SUMMARIZE_CONFIG_DIR); its config.toml."""
    monkeypatch.delenv(config.ENV_DIR)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    path = home / ".config" / "summarize" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


# -- a config file that cannot be read, or is not a file -------------------------------------


def _deep() -> str:
    return "threads = " + "[" * 30_000 + "]" * 30_000 + "\n"  # under the 64 KiB cap


ODD_FILES = {
    "fifo": None,
    "directory": None,
    "huge": "# " + "x" * 70_000 + "\n",
    "deep nesting": _deep(),
    "5,000 digits": "threads = " + "1" * 5_000 + "\n",
    "not UTF-8": 'translator = "caf\xe9"\n',
}
ODD_MESSAGES = {
    "fifo": "is a FIFO, socket or device, not a regular file",
    "directory": "is a directory, not a regular file",
    "huge": "is over 64 KiB; is it a config file?",
    "deep nesting": "not usable TOML (nested too deeply)",
    "5,000 digits": "not usable TOML (a number too long)",
    "not UTF-8": "is not UTF-8 (byte 18)",
}


def plant(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        text = ODD_FILES[kind]
        assert text is not None
        path.write_bytes(text.encode("latin-1") if kind == "not UTF-8" else text.encode())


@pytest.mark.parametrize("kind", list(ODD_FILES))
def test_a_named_config_file_that_is_not_a_config_is_one_error_at_once(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SUMMARIZE_CONFIG_DIR names the file: whatever it is, one line, exit 2, no hang (a FIFO
    hung every command) and no internal error (deep nesting, a huge number)."""
    monkeypatch.setenv(config.ENV_DIR, str(tmp_path))
    plant(tmp_path / "config.toml", kind)
    code, _, err = run("config", "list")
    assert code == 2 and one_line_error(err), err
    assert ODD_MESSAGES[kind] in err and str(tmp_path / "config.toml") in err


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_config_folder_that_is_not_a_folder_is_said_so(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SUMMARIZE_CONFIG_DIR naming a file or a FIFO: `config set` said `File exists`."""
    named = tmp_path / "cfg"
    if kind == "fifo":
        os.mkfifo(named)
    else:
        named.write_text("x", encoding="utf-8")
    monkeypatch.setenv(config.ENV_DIR, str(named))
    code, _, err = run("config", "set", "threads", "2")
    assert code == 10 and one_line_error(err), err
    assert f"{named} is not a folder; set SUMMARIZE_CONFIG_DIR to a folder of your own" in err


@pytest.mark.parametrize("kind", ["fifo", "directory", "huge"])
def test_an_unreadable_config_at_the_default_place_is_a_warning(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_models: FakeModels
) -> None:
    """At the default place, a file that cannot be read is one warning, and commands run
    without it; a file that reads but is wrong (deep nesting) stays an error: it is the user's."""
    path = at_default_place(monkeypatch, tmp_path / "home")
    plant(path, kind)
    sample = REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt"
    result = runner.invoke(app, ["translate", str(sample), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert f"cannot read the config file {path}" in result.stderr
    assert "going on without it" in result.stderr and config.ENV_DIR in result.stderr


def _as_nobody() -> list[str] | None:
    """A prefix that runs a command as user 65534 (mode bits then apply), or None."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("setpriv"):
        return None
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]


def test_a_home_the_user_cannot_read_is_no_reason_to_fail(tmp_path: Path) -> None:
    """`docker --user`, `sudo -u` keeping HOME: the config folder is another user's (0700).
    Every command runs, with one warning; `config set` says which folder to set (exit 10); a
    config the user named with SUMMARIZE_CONFIG_DIR that cannot be read is an error (exit 2).
    Was exit 2 on every model command."""
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("needs root and setpriv to run as another user")
    base = Path(tempfile.mkdtemp(prefix="summarize-nobody-"))  # pytest's are 0700 root
    try:
        _run_as_nobody(prefix, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run_as_nobody(prefix: list[str], base: Path) -> None:
    base.chmod(0o755)
    home = base / "home"
    (home / ".config" / "summarize").mkdir(parents=True)
    (home / ".config" / "summarize" / "config.toml").write_text("threads = 2\n")
    (home / ".config").chmod(0o700)
    article = base / "a.txt"
    shutil.copy(REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt", article)
    article.chmod(0o644)
    (base / "hf").mkdir(mode=0o777)
    (base / "hf").chmod(0o777)
    env = cli_env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), HF_HOME=str(base / "hf"))
    env.pop(config.ENV_DIR, None)

    def summarize(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "summarize", *args],
                              capture_output=True, text=True, env={**env, **extra},
                              cwd=REPO, timeout=120, check=False)  # fmt: skip

    if summarize("--version").returncode != 0:
        pytest.skip("user 65534 cannot run this checkout's Python")
    proc = summarize("sentences", str(article))
    assert proc.returncode == 0, proc.stderr
    for args in (("config", "list"), ("models", "-f", "json")):
        proc = summarize(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stderr.count("cannot read the config file") == 1, proc.stderr
        assert "Permission denied" in proc.stderr and proc.stderr.startswith("summarize: WARN")
    proc = summarize("config", "set", "threads", "3")
    assert proc.returncode == 10 and one_line_error(proc.stderr), proc.stderr
    assert config.ENV_DIR in proc.stderr
    named = summarize("config", "list", **{config.ENV_DIR: str(home / ".config" / "summarize")})
    assert named.returncode == 2 and one_line_error(named.stderr), named.stderr
    assert "cannot read the config file" in named.stderr


# -- writers -----------------------------------------------------------------------------------


def test_parallel_config_set_loses_no_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three `config set` at once, each reading the file slowly: every key lands (the read,
    change and replace happen under one lock). Without the lock each read the file before
    the others wrote, and the last writer won."""
    path = tmp_path / "config.toml"
    slow_read = config.load_raw

    def load_slowly(*args: Any, **kwargs: Any) -> dict[str, Any]:
        values = slow_read(*args, **kwargs)
        time.sleep(0.2)
        return values

    monkeypatch.setattr(config, "load_raw", load_slowly)
    wanted = {"precision": "int8", "threads": "3", "backend": "transformers"}
    errors: list[BaseException] = []

    def set_one(key: str, value: str) -> None:
        try:
            config.set_value(key, value, path)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    workers = [threading.Thread(target=set_one, args=item) for item in wanted.items()]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert tomllib.loads(path.read_text()) == {"precision": "int8", "threads": 3,
                                               "backend": "transformers"}  # fmt: skip


def test_a_linked_config_file_is_updated_through_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dotfiles setup links config.toml to a file in a repository: the link stays a link,
    its target gets the setting (was replaced by a plain copy)."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "summarize.toml"
    target.write_text('precision = "fp32"\n')
    folder_ = tmp_path / "cfg"
    folder_.mkdir()
    (folder_ / "config.toml").symlink_to(target)
    monkeypatch.setenv(config.ENV_DIR, str(folder_))
    assert run("config", "set", "threads", "2")[0] == 0
    assert (folder_ / "config.toml").is_symlink()
    assert tomllib.loads(target.read_text()) == {"precision": "fp32", "threads": 2}
    assert run("config", "unset", "precision")[0] == 0
    assert (folder_ / "config.toml").is_symlink()
    assert tomllib.loads(target.read_text()) == {"threads": 2}
    assert sorted(p.name for p in folder_.iterdir()) == ["config.toml"]


# -- values: one check where they are set and where they are read ----------------------------

HUGE = "99999999999999999999999"
THREADS_MESSAGE = "must be a whole number of threads, 1 or more (at most 1024)"


@pytest.mark.parametrize("value", [HUGE, "²", "0", "-1", "1025", "2.5", ""])
def test_threads_are_checked_the_same_from_flag_environment_and_file(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_models: FakeModels
) -> None:
    """`config set threads 9999…` was accepted (then every command converted again and
    failed), SUMMARIZE_THREADS=² was an internal error. Now each is one line, exit 2, with one
    message wherever it comes from."""
    sample = REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt"
    code, _, err = run("config", "set", "--", "threads", value)
    assert code == 2 and THREADS_MESSAGE in err, err
    if value:
        monkeypatch.setenv("SUMMARIZE_THREADS", value)
        code, _, err = run("translate", str(sample), "-f", "json")
        assert code == 2 and one_line_error(err), err
        assert f"SUMMARIZE_THREADS {THREADS_MESSAGE}" in err
        monkeypatch.delenv("SUMMARIZE_THREADS")
    literal = value if value.lstrip("-").isdecimal() else json.dumps(value)
    (Path(os.environ[config.ENV_DIR]) / "config.toml").write_text(f"threads = {literal}\n")
    code, _, err = run("translate", str(sample), "-f", "json")
    assert code == 2 and THREADS_MESSAGE in err, err
    (Path(os.environ[config.ENV_DIR]) / "config.toml").unlink()
    if value.lstrip("-").isdecimal():
        code, _, err = run("translate", str(sample), "-f", "json", f"--threads={value}")
        assert code == 2 and f"--threads {THREADS_MESSAGE}" in err, err


def test_a_model_setting_must_name_a_model(tmp_path: Path) -> None:
    """`config set translator EMPTY_DIR` was accepted; a folder is checked as loading would."""
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("config", "set", "translator", str(empty))
    assert code == 2 and one_line_error(err), err
    assert "has no config.json, so it is not a transformers model directory" in err
    assert not (Path(os.environ[config.ENV_DIR]) / "config.toml").exists()


def _not_a_folder(path: Path, kind: str) -> Path:
    if kind == "a FIFO":
        os.mkfifo(path)
    elif kind == "a socket":
        import socket

        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "a character device":
        return Path(os.devnull)
    else:
        path.write_text("{}", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["a regular file", "a FIFO", "a socket", "a character device"])
@pytest.mark.parametrize("role", ["summarizer", "translator"])
def test_a_model_setting_that_is_not_a_folder_says_what_it_is(
    kind: str, role: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    """`config set summarizer FIFO` said "FIFO is a file": it says what is there, and that a
    model is a folder, at once (nothing is opened); the same from the flag."""
    if kind == "a socket" and len(str(tmp_path / "m")) > 100:
        pytest.skip("the temp folder's path is too long for a Unix socket")
    path = _not_a_folder(tmp_path / "m", kind)
    expected = f"{path} is {kind}, not a folder; a local model is a model folder"
    code, _, err = run("config", "set", role, str(path))
    assert code == 2 and one_line_error(err) and expected in err, err
    assert not (Path(os.environ[config.ENV_DIR]) / "config.toml").exists()
    sample = REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt"
    code, _, err = run("brief", str(sample), f"--{role}", str(path), "-f", "json")
    assert code == 8 and one_line_error(err) and expected in err, err


def _listed(*args: str) -> tuple[int, dict[str, dict[str, Any]], str]:
    code, out, err = run("config", "list", "-f", "json", *args)
    return code, {s["key"]: s for s in json.loads(out)["settings"]}, err


BAD_SETTINGS = {  # (the variable or file line, the key, its value as given, exit, message)
    "threads from the environment": (
        "SUMMARIZE_THREADS=abc", "threads", "abc", 2,
        "the environment variable SUMMARIZE_THREADS must be a whole number of threads"),
    "threads from the file": (
        'threads = "abc"', "threads", "abc", 2, "threads in the config file"),
    "an empty translator variable": (
        "SUMMARIZE_TRANSLATOR=", "translator", "", 2,
        "the environment variable SUMMARIZE_TRANSLATOR is set but empty; unset it"),
    "a registry that does not exist": (
        "SUMMARIZE_MODELS=missing.toml", "registry", "missing.toml", 9,
        "model registry missing.toml does not exist"),
    "a summarizer the registry does not know": (
        "SUMMARIZE_SUMMARIZER=nope", "summarizer", "nope", 8, "unknown summarizer 'nope'"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_SETTINGS))
def test_config_list_lists_a_bad_value_with_its_source_and_marks_it_invalid(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config list` is where a user looks when a command fails on a setting: it failed on a
    bad environment value (SUMMARIZE_THREADS=abc) and listed nothing. Now every setting is
    listed, the bad one with its value as given, its source and its error, and the command
    ends as any command would on it (one line, that error's exit code)."""
    given, key, value, exit_code, message = BAD_SETTINGS[case]
    if "=" in given and given.startswith("SUMMARIZE_"):
        name, _, raw = given.partition("=")
        monkeypatch.setenv(name, raw)
        source, origin = "env", name
    else:
        path = Path(os.environ[config.ENV_DIR]) / "config.toml"
        path.write_text(given + "\n", encoding="utf-8")
        source, origin = "config", str(path)
    code, rows, err = _listed()
    assert code == exit_code and one_line_error(err) and message in err, err
    assert list(rows) == list(config.KEYS)
    bad = rows.pop(key)
    assert (bad["value"], bad["source"], bad["origin"]) == (value, source, origin)
    assert message in bad["error"]
    assert all(row["error"] is None for row in rows.values()), rows
    code, out, err = run("config", "list", "-f", "text")
    line = next(row for row in out.splitlines() if row.startswith(key))
    assert code == exit_code and "(invalid)" in line and origin in line, out
    assert sum("(invalid)" in row for row in out.splitlines()) == 1, out


def test_config_list_shows_a_bad_file_value_even_where_the_environment_overrides_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bad value in the file stops every command, overridden or not, before any other bad
    value: the list shows it, and ends on it, as a command would."""
    path = Path(os.environ[config.ENV_DIR]) / "config.toml"
    path.write_text('threads = "abc"\n', encoding="utf-8")
    monkeypatch.setenv("SUMMARIZE_THREADS", "2")
    monkeypatch.setenv("SUMMARIZE_TRANSLATOR", "")
    code, rows, err = _listed()
    assert code == 2 and one_line_error(err), err
    assert err.startswith("summarize: error: threads in the config file"), err
    assert err.rstrip().endswith("(and 1 more invalid, listed above)"), err
    assert (rows["threads"]["value"], rows["threads"]["source"]) == ("abc", "config")
    assert rows["translator"]["error"] and rows["translator"]["value"] == ""
    sample = str(REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt")
    assert err.startswith(run("translate", sample)[2].rstrip()), "the error a command stops on"


def test_config_list_of_good_settings_marks_none_and_exits_0() -> None:
    code, rows, err = _listed()
    assert code == 0 and err == "" and all(row["error"] is None for row in rows.values())


@pytest.mark.parametrize("key", ["translator", "threads", "format"])
def test_an_empty_value_is_refused_the_same_from_flag_environment_and_file(
    key: str, monkeypatch: pytest.MonkeyPatch, fake_models: FakeModels
) -> None:
    """`SUMMARIZE_TRANSLATOR=` (set but empty, most often `=$NAME` of an unset NAME) counted
    as unset, while an empty flag or file value was an error. Now all three are one line,
    exit 2, the variable's saying how to unset it."""
    sample = REPO / "samples" / "qatar-emir-state-visit-kazakhstan.txt"
    variable, flag = config.KEYS[key].env, config.KEYS[key].flag
    monkeypatch.setenv(variable, "")
    code, _, err = run("translate", str(sample))
    assert code == 2 and one_line_error(err), err
    assert f"the environment variable {variable} is set but empty; unset it" in err
    monkeypatch.setenv(variable, "  ")
    assert run("translate", str(sample))[0] == 2
    monkeypatch.delenv(variable)
    path = Path(os.environ[config.ENV_DIR]) / "config.toml"
    path.write_text(f'{key} = ""\n', encoding="utf-8")
    code, _, err = run("translate", str(sample))
    assert code == 2 and one_line_error(err) and f"{key} in the config file" in err, err
    path.unlink()
    code, _, err = run("translate", str(sample), f"{flag}=")  # typer's own check, or ours
    assert code == 2 and flag in err, err


@pytest.mark.parametrize("pattern", ["", "  ", "sub/*.txt"])
def test_a_glob_that_matches_no_name_is_a_usage_error(
    pattern: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    """`--glob ''` ran "0 of 0" and exited 0."""
    src, out = folder(tmp_path, ["a.txt"]), tmp_path / "out"
    code, _, err = run("batch", str(src), "-o", str(out), "--glob", pattern)
    assert code == 2 and one_line_error(err) and "--glob" in err, err
    assert not out.exists()
