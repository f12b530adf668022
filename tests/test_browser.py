"""The HTML brief in a real headless Chromium: RTL Arabic beside English, no script from articles.

Skipped, with the reason, where Playwright or a Chromium binary is not available.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from tests.fakes import FakeModels

pytestmark = pytest.mark.browser
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    'قال المسؤول <script>window.__pwned = 1; document.title = "PWNED"</script> إن الخطة جاهزة.\n'
    'وأضاف <img src=x onerror="document.body.dataset.pwned = 1"> أن العمل مستمر.\n'
    "وختم بأن النتائج ستعلن قريبا."
)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        except Exception as e:  # a chromium that cannot start here is a skip, not a failure
            pytest.skip(f"chromium cannot start here: {str(e).splitlines()[0]}")
        yield b
        b.close()


def render_html(tmp_path: Path, command: str) -> Path:
    result = CliRunner().invoke(app, [command, "-", "-f", "html"], input=HOSTILE)
    assert result.exit_code == 0, result.stderr
    page = tmp_path / f"{command}.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


@pytest.mark.parametrize("command", ["translate", "brief"])
def test_html_renders_rtl_arabic_beside_english(
    command: str, browser: Any, tmp_path: Path, fake_models: FakeModels
) -> None:
    path = render_html(tmp_path, command)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    rows = page.evaluate(
        """() => [...document.querySelectorAll('table.brief tbody tr')].map(tr => {
            const en = tr.querySelector('td.en'), ar = tr.querySelector('td.ar');
            const e = en.getBoundingClientRect(), a = ar.getBoundingClientRect();
            return {en: en.textContent, ar: ar.textContent,
                    dir: getComputedStyle(ar).direction, align: getComputedStyle(ar).textAlign,
                    enLeft: e.left, arLeft: a.left, enTop: e.top, arTop: a.top};
        })"""
    )
    assert rows, "the brief table has rows"
    for row in rows:
        assert row["en"].strip() and row["ar"].strip()
        assert row["dir"] == "rtl" and row["align"] == "right"
        assert row["arLeft"] > row["enLeft"] and row["arTop"] == row["enTop"], "side by side"
    # nothing from the article ran, and the page fetched nothing but itself
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.body.dataset.pwned") is None
    assert page.title() != "PWNED"
    assert [u for u in requests if u != path.as_uri()] == []
    if command == "translate":
        shown = " ".join(r["ar"] for r in rows)
        assert "<script>" in shown and "onerror=" in shown, "hostile markup shows as text"
    page.screenshot(path=str(tmp_path / f"{command}.png"))
    page.close()


def test_batch_index_renders_and_links(
    browser: Any, tmp_path: Path, fake_models: FakeModels
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(HOSTILE, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(app, ["batch", str(src), "-o", str(out), "-f", "html"])
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    statuses = page.evaluate(
        "() => [...document.querySelectorAll('tbody tr td:last-child')].map(td => td.textContent)"
    )
    assert sorted(statuses) == ["failed", "ok"]
    page.click("text=a.txt")
    assert page.url.endswith("/a.txt.html")
    assert page.evaluate("() => document.querySelectorAll('td.ar[dir=rtl]').length") >= 1
    assert page.evaluate("() => window.__pwned") is None
    page.close()
