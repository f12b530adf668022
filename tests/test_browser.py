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
from tests.samples import sample, sample_paths

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
        "() => [...document.querySelectorAll('tbody tr td.status')].map(td => td.textContent)"
    )
    assert statuses == ["failed", "ok"], "failures first"
    page.click("text=a.txt")
    assert page.url.endswith("/a.txt.html")
    assert page.evaluate("() => document.querySelectorAll('td.ar[dir=rtl]').length") >= 1
    assert page.evaluate("() => window.__pwned") is None
    page.close()


# -- the brief with its sources: highlighting, layout at 1200 and 400 px -------------------

INTERVIEW = sample("tokayev-sco-interview-with-lang-switcher.txt")
CICA = sample("kazakhstan-cica-opinion-glued-stops.txt")  # the fake summary fuses 2 sentences
LONG_TOKEN = "https://example.org/" + "a" * 300
LONG = (
    f"{LONG_TOKEN} قال الوزير إن الخطة جاهزة وإن العمل سيبدأ في 2025 بمشاركة 27 دولة.\n"
    f"وأضاف أن الرابط {'ب' * 200} يشرح التفاصيل كلها للمواطنين في كل المدن.\n"
    "وختم بأن النتائج ستعلن قريبا بعد انتهاء الاجتماع الوزاري الموسع."
)
HIGHLIGHTED = "el => getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)'"


def write_page(tmp_path: Path, name: str, args: list[str], text: str | None = None) -> Path:
    result = CliRunner().invoke(app, [*args, "-f", "html"], input=text)
    assert result.exit_code == 0, result.stderr
    page = tmp_path / f"{name}.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


def sources_of(page: Any, line: str) -> list[str]:
    """The ids of the article sentences a summary line links to, best first."""
    return page.eval_on_selector_all(
        f"#{line} .sources a", "links => links.map(a => a.hash.slice(1))"
    )


def lit(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".article .s", f"spans => spans.filter({HIGHLIGHTED}).map(s => s.id)"
    )


@pytest.mark.parametrize(
    ("script", "args"),
    [
        (True, [str(INTERVIEW), "--summarizer", "extractive", "--sentences", "3"]),
        (False, [str(INTERVIEW), "--summarizer", "extractive", "--sentences", "3"]),
        (True, [str(CICA)]),
    ],
    ids=["extractive", "extractive-no-script", "abstractive"],
)
def test_hovering_or_selecting_a_line_highlights_its_sources(
    script: bool, args: list[str], browser: Any, tmp_path: Path, fake_models: FakeModels
) -> None:
    path = write_page(tmp_path, "sources", ["brief", *args])
    extractive = "extractive" in args
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    assert lit(page) == [], "nothing is highlighted before a line is chosen"
    lines = page.eval_on_selector_all("tr.line", "rows => rows.map(r => r.id)")
    assert lines == (["l1", "l2", "l3"] if extractive else ["l1"])
    for line in lines:
        page.hover(f"#{line} td.ar")
        assert sorted(lit(page)) == sorted(sources_of(page, line)) != []
    if not extractive:
        assert len(sources_of(page, "l1")) == 2, "a fused line lights both its sources"
    page.hover("h1")
    assert lit(page) == []
    page.click(f"#{lines[-1]} td.ar")  # selected: stays highlighted when the pointer leaves
    page.hover("h1")
    assert sorted(lit(page)) == sorted(sources_of(page, lines[-1]))
    # RTL intact: the article and every Arabic cell run right to left
    assert page.eval_on_selector(".article", "el => getComputedStyle(el).direction") == "rtl"
    assert page.eval_on_selector_all(
        "td.ar", "tds => tds.every(td => getComputedStyle(td).direction === 'rtl')"
    )
    # the article panel scrolls on its own to the last line's source, far down the article:
    # the page's one script ran under its CSP hash (and nothing else would)
    if extractive:
        page.hover(f"#{lines[-1]} td.ar")
        page.wait_for_timeout(800)
        scrolled = page.eval_on_selector(".article", "a => a.scrollTop")
        assert (scrolled > 0) is script
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert [u for u in requests if u != path.as_uri()] == []
    page.screenshot(path=str(tmp_path / "sources.png"))
    context.close()


@pytest.mark.parametrize("command", ["brief", "translate"])
def test_long_tokens_wrap_and_columns_stack_on_narrow_screens(
    command: str, browser: Any, tmp_path: Path, fake_models: FakeModels
) -> None:
    extra = ["--summarizer", "extractive", "--sentences", "3"] if command == "brief" else []
    path = write_page(tmp_path, command, [command, "-", *extra], LONG)
    for width in (1200, 400):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(path.as_uri())
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        cells = page.eval_on_selector_all(
            "table.brief tbody tr",
            """rows => rows.map(tr => {
                const en = tr.querySelector('td.en'), ar = tr.querySelector('td.ar');
                const e = en.getBoundingClientRect(), a = ar.getBoundingClientRect();
                return {en: en.textContent, enRight: e.right, enBottom: e.bottom, arLeft: a.left,
                        arTop: a.top, arRight: a.right, enFits: en.scrollWidth <= en.clientWidth,
                        arFits: ar.scrollWidth <= ar.clientWidth};
            })""",
        )
        assert any(LONG_TOKEN[:40] in c["en"] for c in cells), "the long token is in English"
        for c in cells:
            assert c["enFits"] and c["arFits"], "nothing spills out of its cell"
            assert c["arRight"] <= width
            if width == 1200:
                assert c["enRight"] <= c["arLeft"] + 0.5, "side by side, English never over Arabic"
            else:
                assert c["enBottom"] <= c["arTop"] + 0.5, "stacked: English above its Arabic"
        if command == "brief":
            table = page.eval_on_selector("table.brief", "t => t.getBoundingClientRect().bottom")
            article = page.eval_on_selector(".article", "a => a.getBoundingClientRect()")
            if width == 400:
                assert article["top"] >= table, "the article comes below the summary"
            else:
                assert article["left"] >= page.eval_on_selector(
                    "table.brief", "t => t.getBoundingClientRect().right"
                ), "the article beside the summary"
        page.screenshot(path=str(tmp_path / f"{command}-{width}.png"), full_page=True)
        page.close()


ROWS = 500


def index_of(out: Path, samples_dir: Path) -> Path:
    """OUT/index.html for a batch of ROWS articles, as the batch writes it: every 50th failed,
    every 4th reused from an earlier run; article 123 has a headline no other has."""
    from summarize.batch.manifest import Manifest, Record
    from summarize.batch.runner import write_index
    from summarize.fileio import Folder

    heads = [p.read_text(encoding="utf-8").splitlines()[0] for p in sample_paths(samples_dir)]
    folder = Folder(out)
    manifest = Manifest(folder, "manifest.jsonl")
    for i in range(ROWS):
        rel = f"2026/{i:03d}.txt"
        if i % 50 == 7:
            manifest.append(
                Record(rel, "0" * 64, "failed", error=f"{rel} has almost no Arabic (2% of its letters)",
                       finished=f"2026-11-25T10:{i % 60:02d}:00Z")
            )  # fmt: skip
            continue
        (out / f"{rel}.md").parent.mkdir(parents=True, exist_ok=True)
        (out / f"{rel}.md").write_text(f"# brief {i}\n", encoding="utf-8")
        title_en = (
            "Quokka festival opens in Perth" if i == 123 else f"EN({i}): officials met on Monday"
        )
        manifest.append(
            Record(rel, "0" * 64, "ok", output=f"{rel}.md", title_ar=heads[i % len(heads)],
                   title_en=title_en, summary_en=f"EN({i}): the talks went on late into the night. " * 4,
                   finished=f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z", reused=i % 4 == 0)
        )  # fmt: skip
    return write_index(folder)


def visible_rows(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('table.index tbody tr')]
            .filter(tr => !tr.hidden && tr.offsetHeight > 0)
            .map(tr => ({status: tr.dataset.status, when: tr.querySelector('time').dateTime,
                         title: tr.querySelector('td.article').textContent}))"""
    )


def test_index_of_500_articles_loads_fast_searches_filters_and_sorts(
    browser: Any, tmp_path: Path, samples_dir: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    index = index_of(out, samples_dir)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri())
    loaded_ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert loaded_ms < 3000, f"{ROWS} articles took {loaded_ms:.0f} ms to load"
    page.screenshot(path=str(tmp_path / "index.png"))  # kept out of the repo, with the test's files
    assert problems == [], "the script runs under the page's CSP, without errors"
    assert requests == [index.as_uri()], "nothing fetched"

    rows = visible_rows(page)
    assert len(rows) == ROWS and page.input_value("#search") == ""
    assert [r["status"] for r in rows[:10]] == ["failed"] * 10, "failures listed first"
    assert (
        page.evaluate("() => document.getElementById('shown').value") == f"{ROWS} of {ROWS} shown"
    )
    header = page.text_content("p.counts")
    assert (
        header
        == f"{ROWS} articles: 365 done, 125 reused (made by an earlier run), 10 failed (listed first)."
    )
    # compact: a row is a few lines, and the status column is narrow beside the summary
    height = page.evaluate("() => document.querySelector('table.index tbody').offsetHeight")
    assert height / ROWS < 120, f"{height / ROWS:.0f} px per row"
    widths = page.evaluate(
        "() => [...document.querySelectorAll('table.index th')].map(th => th.offsetWidth)"
    )
    assert widths[2] < widths[1] / 3, widths
    failed_bg, ok_bg = page.evaluate(
        """() => ['tr.failed td', 'tr.ok td'].map(s =>
            getComputedStyle(document.querySelector(s)).backgroundColor)"""
    )
    assert failed_bg != ok_bg, "failed rows are marked"

    page.fill("#search", "quokka perth")
    rows = visible_rows(page)
    assert len(rows) == 1 and "Quokka festival opens in Perth" in rows[0]["title"]
    page.fill("#search", "كازاخستان")
    arabic = len(visible_rows(page))
    assert 0 < arabic < ROWS
    page.fill("#search", "")
    page.select_option("#status", "failed")
    assert [r["status"] for r in visible_rows(page)] == ["failed"] * 10
    page.select_option("#status", "reused")
    assert {r["status"] for r in visible_rows(page)} == {"reused"}
    page.select_option("#status", "")

    page.click("th:has-text('Finished')")
    when = [r["when"] for r in visible_rows(page)]
    assert when == sorted(when)
    assert page.get_attribute("th:has-text('Finished')", "aria-sort") == "ascending"
    page.click("th:has-text('Finished')")
    assert [r["when"] for r in visible_rows(page)] == sorted(when, reverse=True)
    page.click("th:has-text('Status')")
    assert visible_rows(page)[0]["status"] == "failed"

    page.click("text=Quokka festival opens in Perth")
    assert page.url.endswith("/2026/123.txt.md")
    assert problems == []
    page.close()


def test_index_is_readable_without_script(browser: Any, tmp_path: Path, samples_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    index = index_of(out, samples_dir)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(index.as_uri())
    assert not page.is_visible("#search"), "no search box that would do nothing"
    rows = visible_rows_without_script(page)
    assert len(rows) == ROWS and rows[:10] == ["failed"] * 10
    assert page.is_visible("text=Quokka festival opens in Perth")
    page.screenshot(path=str(tmp_path / "index-no-script.png"))
    context.close()


def visible_rows_without_script(page: Any) -> list[str]:
    """The rows' statuses, read by Playwright itself (the page runs no script)."""
    return [row.get_attribute("data-status") for row in page.query_selector_all("tbody tr")]
