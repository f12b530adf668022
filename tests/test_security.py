"""Security: no remote code, escaped HTML, contained batch outputs, no network when offline.

tests/test_batch.py::test_output_paths_never_escape covers safe_output_path itself ('..',
absolute paths, a symlinked folder); here the same through a whole batch run.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.errors import BatchIncomplete, ModelError
from summarize.render.html import SCRIPT, script_hash
from tests.cli_support import (
    NO_NETWORK_CLI,
    REPO,
    SAMPLES,
    cli_env,
    one_line_error,
    write_fast_registry,
)
from tests.fakes import FakeModels

runner = CliRunner()
SAMPLE = SAMPLES[2]


# -- no remote code ------------------------------------------------------------------------


def test_no_trust_remote_code_in_the_package() -> None:
    """Every mention of trust_remote_code in the package passes False, literally."""
    mentions = 0
    for path in sorted((REPO / "summarize").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"trust_remote_code", text):
            mentions += 1
            after = text[match.end() : match.end() + 20]
            assert re.match(r"\s*=\s*False\b", after), f"{path.name}: trust_remote_code{after}"
    assert mentions >= 2, "the loaders should say trust_remote_code=False explicitly"


# -- HTML output escapes article text --------------------------------------------------

HOSTILE = (
    "قال الوزير <script>alert('xss')</script> إن الخطة جاهزة تماما.\n"
    '<img src=x onerror="alert(1)"> وأضاف أن العمل مستمر في المدن.\n'
    "وأكد أن <a href=javascript:alert(2)>النتائج</a> جيدة </td></tr></table><b>جدا</b>."
)


def _assert_inert(page: str, *, every_line: bool) -> None:
    """No live tag from the article; its text shown escaped (all of it, for a translation).
    The page's own script (render.html.SCRIPT) is the only one, allowed by its hash alone."""
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', page)
    assert csp and csp[1].startswith("default-src 'none'")
    if f"<script>{SCRIPT}</script>" in page:  # the page's own script, allowed by its hash alone
        assert f"script-src {script_hash(SCRIPT)}" in csp[1]
        assert "unsafe" not in csp[1].split("script-src")[1]
    else:  # no script of ours: the policy allows none at all
        assert "script-src" not in csp[1]
    page = page.replace(f"<script>{SCRIPT}</script>", "")
    assert "<script" not in page.lower() and "<img" not in page and "<a href=javascript" not in page
    assert "&lt;script&gt;" in page  # shown as text
    if every_line:
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
        assert "&lt;a href=javascript:alert(2)&gt;" in page
    assert page.count("<table") == page.count("</table>")
    assert "Content-Security-Policy" in page


@pytest.mark.parametrize("command", ["brief", "translate"])
def test_html_output_escapes_article_text(
    command: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    result = runner.invoke(app, [command, str(path), "-f", "html"])
    assert result.exit_code == 0, result.stderr
    _assert_inert(result.stdout, every_line=command == "translate")


def test_batch_html_outputs_and_index_escape_text_and_names(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    title = "<script>alert('title')</script> عنوان <img src=x onerror=alert(3)> الخبر"
    (src / "plain.txt").write_text(f"{title}\n\n{HOSTILE}", encoding="utf-8")
    odd_name = "a<b>\"'&.txt"
    (src / odd_name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out), "-f", "html"])
    assert result.exit_code == 0, result.stderr
    page = (out / "plain.txt.html").read_text(encoding="utf-8")
    _assert_inert(page, every_line=False)
    assert "&lt;img src=x onerror=alert(3)&gt;" in page, "the headline is shown escaped"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index
    # the one script is the page's own (search and sort), allowed by its hash, never the article's
    from summarize.render.html import script_hash
    from summarize.render.index import INDEX_SCRIPT

    assert index.lower().count("<script") == 1 and f"<script>{INDEX_SCRIPT}</script>" in index
    assert f'; script-src {script_hash(INDEX_SCRIPT)}">' in index  # that hash, nothing else
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in index
    assert 'href="./a%3Cb%3E%22%27%26.txt.html"' in index  # %-escaped, then HTML-escaped
    assert ">a&lt;b&gt;&quot;&#x27;&amp;.txt</a>" in index
    assert (out / f"{odd_name}.html").is_file()


# -- batch outputs stay inside the output folder ----------------------------------------


def test_batch_never_writes_through_a_symlink(tmp_path: Path, fake_models: FakeModels) -> None:
    src, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    (src / "sub").mkdir(parents=True)
    outside.mkdir()
    out.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (src / "top.txt").write_text(text, encoding="utf-8")
    (src / "sub" / "x.txt").write_text(text, encoding="utf-8")
    (out / "sub").symlink_to(outside, target_is_directory=True)
    # A symlinked folder inside IN_DIR is not followed either.
    (src / "linked").symlink_to(outside, target_is_directory=True)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    rows = {
        r["path"]: r
        for r in map(json.loads, (out / "manifest.jsonl").read_text("utf-8").splitlines())
    }
    assert set(rows) == {"top.txt", "sub/x.txt"}
    assert rows["sub/x.txt"]["status"] == "failed"
    assert "sub is a symbolic link" in rows["sub/x.txt"]["error"]
    assert rows["top.txt"]["status"] == "ok"
    assert list(outside.iterdir()) == [], "nothing may be written outside the output folder"


# -- no network when offline -----------------------------------------------------------


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Any attempt to resolve or connect is recorded and fails; the test asserts none."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def guard(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkUsed(f"network access attempted: {name}")

        return guard

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts
    assert attempts == [], f"network access was attempted: {attempts}"


def test_no_network_with_hf_hub_offline(
    no_network: list[str],
    tiny_mt5_dir: Path,
    tiny_marian_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    registry = str(write_fast_registry(tmp_path))
    local = ["--translator", str(tiny_marian_dir), "--models", registry]
    for args in (
        ["brief", str(SAMPLE), "-f", "json", "--summarizer", str(tiny_mt5_dir), *local],
        ["translate", str(SAMPLE), "-f", "json", *local],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["models"]
    # An alias that is not cached: refused at once, with the way out, and no connection.
    for args in (
        ["brief", str(SAMPLE)],
        ["translate", str(SAMPLE)],
        ["brief", str(SAMPLE), "--offline"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == ModelError.exit_code, result.stderr
        assert one_line_error(result.stderr)
        assert "not in the local cache and offline mode is on" in result.stderr
        assert "summarize models pull" in result.stderr and "local directory" in result.stderr
    result = runner.invoke(app, ["models", "-f", "json"])
    assert result.exit_code == 0
    assert no_network == []


def test_no_network_with_offline_flag_alone(
    tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--offline without HF_HUB_OFFLINE, in a fresh process (the hub reads it at import)."""
    env = cli_env()
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name)
    registry = str(write_fast_registry(tmp_path))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", NO_NETWORK_CLI, *args, "--offline"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    local = run(
        "translate",
        str(SAMPLE),
        "-f",
        "json",
        "--translator",
        str(tiny_marian_dir),
        "--models",
        registry,
    )
    assert "NETWORK ATTEMPT" not in local.stderr and local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["translation"]
    alias = run("brief", str(SAMPLE))
    assert "NETWORK ATTEMPT" not in alias.stderr, alias.stderr
    assert alias.returncode == ModelError.exit_code and one_line_error(alias.stderr), alias.stderr
    assert "summarize models pull mt5-xlsum" in alias.stderr
