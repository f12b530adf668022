"""Every HTML page at 400, 800 and 1,200 px in headless Chromium: the batch index (500 rows),
a brief, a translation, a digest and the sentences page. No overlapping cells, no zero-width
column, nothing wider than the window, at the top and scrolled half way down (a sticky rule
that leaks piles cells up there); and each page's own CSS is scoped to it, so no rule of one
page reaches another.

The layout tests are skipped, with the reason, where Playwright or a Chromium binary is not
available; the scoping test needs neither.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests import test_browser
from tests.fakes import FakeModels
from tests.samples import sample

browser = test_browser.browser  # its module-scoped headless Chromium, skipped where none
WIDTHS = (400, 800, 1200)
INTERVIEW = sample("tokayev-sco-interview-with-lang-switcher.txt")
LONG_NAME = "تقرير-" * 8 + "x" * 120 + ".txt"  # no space to break at; under 255 bytes

# The checks, run in the page: what is wrong with its layout now, as a list of sentences.
LAYOUT = """() => {
  const W = window.innerWidth, problems = [];
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const clipped = el => {  // inside a box that clips or scrolls: its own overflow is fine
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '');
  const page = document.documentElement.scrollWidth;
  if (page > W) problems.push(`the page is ${page} px wide in a ${W} px window`);
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el) || clipped(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > W + 1 || r.left < -1)) {
      problems.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    }
  }
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // table rows (cells, and headings) and the digest's English/Arabic pairs
  const groups = [...document.querySelectorAll('tr, .dg-pair')].filter(shown).map(row => ({
    row, cells: [...row.children].filter(shown)}));
  for (const {row, cells} of groups) {
    const box = row.getBoundingClientRect();
    cells.forEach((cell, i) => {
      const c = cell.getBoundingClientRect();
      if (c.width < 24) problems.push(`${name(cell)} is ${c.width.toFixed(1)} px wide`);
      if (c.top < box.top - 1 || c.bottom > box.bottom + 1) {
        problems.push(`${name(cell)} sits outside its row (${Math.round(c.top)} vs ${Math.round(box.top)})`);
      }
      cells.slice(i + 1).forEach(other => {
        if (overlap(c, other.getBoundingClientRect())) {
          problems.push(`${name(cell)} overlaps ${name(other)}`);
        }
      });
    });
  }
  // rows of one table never overlap one another
  for (const table of document.querySelectorAll('table')) {
    const rows = [...table.rows].filter(shown).map(r => r.getBoundingClientRect());
    rows.slice(1).forEach((r, i) => {
      if (overlap(rows[i], r)) problems.push(`rows ${i} and ${i + 1} of table.${table.className} overlap`);
    });
  }
  return [...new Set(problems)].slice(0, 20);
}"""


cli_page = test_browser.write_page  # the page a command writes with -f html, in TMP/NAME.html


def index_page(tmp_path: Path, samples_dir: Path) -> Path:
    """The index of 500 articles (test_browser's), and rows that push its columns: a file name
    with no place to break, a very long Arabic headline, a long failure."""
    from summarize.batch.manifest import Manifest, Record
    from summarize.batch.runner import write_index
    from summarize.fileio import Folder

    out = tmp_path / "out"
    out.mkdir()
    test_browser.index_of(out, samples_dir)
    folder = Folder(out)
    manifest = Manifest(folder, "manifest.jsonl")
    (out / f"{LONG_NAME}.md").write_text("# x\n", encoding="utf-8")
    title = "رئيس كازاخستان يدعو إلى توسيع علاقات منظمة شنغهاي للتعاون مع المنظمات الأخرى " * 3
    manifest.append(
        Record(LONG_NAME, "0" * 64, "ok", output=f"{LONG_NAME}.md", title_ar=title,
               summary_en="word " * 80, finished="2026-11-30T10:00:00Z")
    )  # fmt: skip
    manifest.append(
        Record("z/" + LONG_NAME, "0" * 64, "failed", error="x" * 400,
               finished="2026-11-30T10:00:00Z")
    )  # fmt: skip
    return write_index(folder)


def build(kind: str, tmp_path: Path, samples_dir: Path) -> Path:
    if kind == "index":
        return index_page(tmp_path, samples_dir)
    if kind == "brief":
        args = ["brief", str(INTERVIEW), "--summarizer", "extractive", "--sentences", "4"]
        return cli_page(tmp_path, kind, args)
    if kind == "brief-long-tokens":
        args = ["brief", "-", "--summarizer", "extractive", "--sentences", "3"]
        return cli_page(tmp_path, kind, args, test_browser.LONG)
    if kind == "translation":
        return cli_page(tmp_path, kind, ["translate", str(INTERVIEW)])
    if kind == "sentences":
        return cli_page(tmp_path, kind, ["sentences", str(INTERVIEW)])
    from tests.test_digest_browser import digest_page

    return digest_page(tmp_path)


KINDS = ["index", "brief", "brief-long-tokens", "translation", "digest", "sentences"]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_page_lays_out_at_each_width(
    kind: str,
    width: int,
    browser: Any,
    tmp_path: Path,
    samples_dir: Path,
    fake_models: FakeModels,
) -> None:
    path = build(kind, tmp_path, samples_dir)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    assert page.evaluate(LAYOUT) == [], f"{kind} at {width} px, at the top"
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.evaluate(f"() => window.scrollTo(0, {height // 2})")
    assert page.evaluate(LAYOUT) == [], f"{kind} at {width} px, scrolled half way"
    page.close()


@pytest.mark.browser
def test_the_index_first_column_is_not_the_brief_panel(
    browser: Any, tmp_path: Path, samples_dir: Path
) -> None:
    """The bug itself: td.article took the brief's sticky .article rule. Every cell of the
    first column scrolls with its row, and at 400 px the summary has room."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(index_page(tmp_path, samples_dir).as_uri())
    assert page.eval_on_selector("td.article", "td => getComputedStyle(td).position") == "static"
    page.set_viewport_size({"width": 400, "height": 900})
    widths = page.eval_on_selector_all(
        "tbody tr:nth-child(-n+20) td.summary", "tds => tds.map(td => td.offsetWidth)"
    )
    assert min(widths) > 300, widths
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["brief", "translation"])
def test_a_narrow_result_stacks_each_line_across_the_whole_width(
    kind: str, browser: Any, tmp_path: Path, samples_dir: Path, fake_models: FakeModels
) -> None:
    """At 400 px English and Arabic stack, each as wide as the page, not half of it."""
    page = browser.new_page(viewport={"width": 400, "height": 900})
    page.goto(build(kind, tmp_path, samples_dir).as_uri())
    room = page.evaluate("() => document.querySelector('h1').getBoundingClientRect().width")
    widths = page.eval_on_selector_all(
        "table.brief td", "tds => tds.map(td => td.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 0.95 * room, (room, widths)
    page.close()


# -- every page's CSS is its own -------------------------------------------------------------


def selectors(css: str) -> list[str]:
    """Every selector of CSS (inside @media blocks too), split at top-level commas."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, stack, text = [], [], ""
    for ch in css:
        if ch == "{":
            head, text = text.strip(), ""
            stack.append("at" if head.startswith("@") else "rule")
            if not head.startswith("@"):
                found += split_top_level(head)
        elif ch == "}":
            stack.pop()
            text = ""
        elif ch == ";" and stack and stack[-1] == "rule":
            text = ""
        else:
            text += ch
    return found


def split_top_level(selector: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in selector:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return [*parts, current.strip()]


SCOPES = {
    "index": ".index-page",
    "brief": ".result-page",
    "translation": ".result-page",
    "digest": ".dg-",
    "sentences": ".sentences-page",
}


@pytest.mark.parametrize("kind", list(SCOPES))
def test_each_page_styles_only_itself(
    kind: str, tmp_path: Path, samples_dir: Path, fake_models: FakeModels
) -> None:
    """Every rule of a page is the shared base (element selectors: body, h1, a) or scoped to
    the page's body class (the digest: to its dg- classes); the brief's rules are only in
    result pages. Before, every page carried the brief's stylesheet."""
    from summarize.render.html import BASE_CSS

    html = build(kind, tmp_path, samples_dir).read_text(encoding="utf-8")
    (style,) = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert style.startswith(BASE_CSS)
    base = selectors(BASE_CSS)
    assert all(re.fullmatch(r":root|[a-z][a-z0-9]*", s) for s in base), base
    own = selectors(style[len(BASE_CSS) :])
    assert own, "the page has its own rules"
    scope = SCOPES[kind]
    assert [s for s in own if not s.startswith(scope)] == [], kind
    body = re.search(r'<body class="([^"]+)"', html)
    assert body is not None and scope.strip(".").rstrip("-") in body[1], body
    if kind not in ("brief", "translation"):
        assert ".result-page" not in style and "table.brief" not in style, "no brief rule here"


def test_selectors_are_read_as_the_browser_reads_them() -> None:
    css = "a, b:is(.x, .y) { c: d; } @media (max-width: 1px) { .p .q { e: f; } } /* g { } */"
    assert selectors(css) == ["a", "b:is(.x, .y)", ".p .q"]
