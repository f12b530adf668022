"""The digest page in a real headless Chromium, at 400 and 1,200 px: cards that fit, Arabic
RTL beside English (stacked when narrow), the disagreement marked, search and filter working
under the page's CSP, and no rule of the brief page reaching it.

Skipped, with the reason, where Playwright or a Chromium binary is not available.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from tests import test_browser
from tests.digest_support import STORY, day_folder
from tests.fakes import FakeModels

pytestmark = pytest.mark.browser


browser = test_browser.browser  # its module-scoped headless Chromium, skipped where none
LONG_NAME = "x" * 180 + ".txt"


def digest_page(tmp_path: Path) -> Path:
    day = day_folder(tmp_path)
    long_story = "\n\n".join(
        [
            "صالة جديدة لمطار الملك خالد الدولي",
            "أعلنت هيئة الطيران المدني افتتاح صالة جديدة في مطار الملك خالد الدولي بطاقة "
            "استيعابية تبلغ ثلاثة ملايين مسافر سنويا، ويشرحها الرابط https://example.org/"
            + "a"
            * 300,
        ]
    )
    (day / "other" / LONG_NAME).write_text(long_story, encoding="utf-8")
    out = tmp_path / "digest.html"
    result = CliRunner().invoke(app, ["digest", str(day), "--outlet-from-folder", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


BOXES = """() => [...document.querySelectorAll('.dg-pair')].filter(p => p.offsetParent).map(p => {
    const [en, ar] = p.children, e = en.getBoundingClientRect(), a = ar.getBoundingClientRect();
    return {enW: e.width, arW: a.width, enRight: e.right, enBottom: e.bottom, arLeft: a.left,
            arTop: a.top, arRight: a.right, dir: getComputedStyle(ar).direction,
            fits: en.scrollWidth <= en.clientWidth + 1 && ar.scrollWidth <= ar.clientWidth + 1};
})"""


@pytest.mark.parametrize("width", [1200, 400])
def test_cards_fit_and_arabic_sits_beside_or_below_english(
    width: int,
    browser: Any,
    tmp_path: Path,
    fake_models: FakeModels,
) -> None:
    path = digest_page(tmp_path)
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    boxes = page.evaluate(BOXES)
    assert len(boxes) >= 7, "a headline pair per story and a pair per summary line"
    for b in boxes:
        assert b["enW"] > 40 and b["arW"] > 40, "no column squeezed to nothing"
        assert b["fits"], "nothing spills out of its column"
        assert b["arRight"] <= width and b["dir"] == "rtl"
        if width == 1200:
            assert b["enRight"] <= b["arLeft"] + 0.5, "side by side, never over each other"
        else:
            assert b["enBottom"] <= b["arTop"] + 0.5, "stacked: English above its Arabic"
    cards = page.eval_on_selector_all(
        "article.dg-story",
        "cs => cs.map(c => c.getBoundingClientRect()).map(r => [r.top, r.bottom, r.right])",
    )
    for (_, bottom, right), (next_top, _, _) in zip(cards, cards[1:], strict=False):
        assert bottom <= next_top and right <= width, "cards never overlap"
    assert problems == [] and requests == [path.as_uri()], "script ran under the CSP, no fetch"
    page.screenshot(path=str(tmp_path / f"digest-{width}.png"), full_page=True)
    page.close()


def test_search_and_the_disagreement_filter(
    browser: Any,
    tmp_path: Path,
    fake_models: FakeModels,
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(digest_page(tmp_path).as_uri())
    shown = "() => [...document.querySelectorAll('article.dg-story')].filter(c => !c.hidden).length"
    total = page.evaluate(shown)
    assert total == 7 and page.is_visible("#dg-q")
    page.fill("#dg-q", "sabq/shortened")
    assert page.evaluate(shown) == 1
    page.fill("#dg-q", "")
    page.check("#dg-only")
    assert page.evaluate(shown) == 1
    first = page.text_content("article.dg-story:not([hidden])") or ""
    assert all(p in first for p in STORY)
    assert page.input_value("#dg-q") == "" and "1 of 7 stories shown" in page.text_content(
        "#dg-shown"
    )
    marks = page.eval_on_selector_all(".dg-disputes mark", "ms => ms.map(m => m.textContent)")
    assert marks == ["1200", "1200", "1020"]
    highlighted = page.eval_on_selector(
        ".dg-disputes mark", "m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'"
    )
    assert highlighted
    page.close()


def test_the_page_only_styles_its_own_classes(tmp_path: Path, fake_models: FakeModels) -> None:
    """The brief's rules (.article, .layout, tables…) share the base page: the digest uses none
    of their classes, and every rule of its own is scoped to a dg- class or id."""
    page = digest_page(tmp_path).read_text(encoding="utf-8")
    classes = {c for attr in re.findall(r'class="?([^">]+)', page) for c in attr.split()}
    assert classes and all(c.startswith("dg-") for c in classes), classes
    from summarize.render.digest_html import _CSS

    for rule in re.findall(r"([^{}]+)\{", _CSS):
        selector = rule.strip()
        if selector.startswith("@media"):
            continue
        assert all(".dg-" in part for part in selector.split(",")), selector
