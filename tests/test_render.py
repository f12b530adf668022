"""Renderers: the terminal table (plain and --bidi), escaping, and the footer."""

from __future__ import annotations

import io

from rich.console import Console

from summarize.render import print_rich, visual_arabic
from summarize.render.common import footer
from summarize.render.markdown import to_markdown
from summarize.results import Brief, BriefLine, Stats

SENTENCE = (
    "قال الوزير إن الاجتماع كان مثمرا وإن البلدين سيوقعان اتفاقية جديدة للتعاون في مجال الطاقة."
)


def result() -> Brief:
    return Brief(
        source="x.txt",
        encoding="utf-8",
        title=BriefLine("عنوان الخبر", "The headline"),
        summary=[BriefLine(SENTENCE, "The minister said the meeting was fruitful.")],
        stats=Stats(words=120, sentences=6, paragraphs=2, chunks=1, reduce_rounds=0),
        timings={"total_s": 3.25},
    )


def terminal(width: int = 100) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=width, color_system=None), buffer


def test_visual_arabic_wraps_first_then_reorders_each_line() -> None:
    import arabic_reshaper

    lines = visual_arabic(SENTENCE, 30).split("\n")
    assert len(lines) > 2 and all(len(line) <= 30 for line in lines)
    # pure Arabic reads right to left: each visual line is its reshaped logical line reversed,
    # and the first visual line holds the sentence's first words
    first = arabic_reshaper.reshape("قال الوزير")
    assert lines[0].endswith(first[::-1])
    assert "3.5" in visual_arabic("بلغ النمو 3.5 في المئة", 40), "numbers keep their order"


def test_terminal_table_plain_and_bidi() -> None:
    import arabic_reshaper

    console, buffer = terminal()
    print_rich(result(), console)
    plain = buffer.getvalue()
    assert "قال الوزير" in plain and "The minister said" in plain and "3.2 s" in plain
    console, buffer = terminal()
    print_rich(result(), console, bidi=True)
    shaped = buffer.getvalue()
    assert "قال الوزير" not in shaped, "logical-order Arabic is gone"
    assert arabic_reshaper.reshape("الوزير")[::-1] in shaped
    assert "The minister said" in shaped


def test_footer_counts_and_plurals() -> None:
    text = footer(result())
    assert text.startswith("120 words · 6 sentences · 1 chunk · 0 reduce rounds")
    assert text.endswith("3.2 s")
    r = result()
    r.timings = {}
    assert not footer(r).endswith(" s"), "batch outputs carry no seconds"


def test_markdown_escapes_markup_in_cells() -> None:
    r = result()
    r.summary = [BriefLine("نص | فيه <script>alert(1)</script> و*نجوم*", "a | b")]
    md = to_markdown(r)
    row = next(line for line in md.splitlines() if "script" in line)
    assert "\\|" in row and "\\<script\\>" in row and "\\*" in row
    assert row.count(" | ") == 1


def test_terminal_brief_shows_the_english_headline_once() -> None:
    """The headline is the table's first row, in both languages: not a title above it too."""
    console, buffer = terminal()
    print_rich(result(), console)
    screen = buffer.getvalue()
    assert screen.count("The headline") == 1 and screen.count("عنوان الخبر") == 1
    untitled = result()
    untitled.title = None
    console, buffer = terminal()
    print_rich(untitled, console)
    assert buffer.getvalue().count("Brief") == 1, "a result without a headline is still named"


def test_the_byline_is_shown_under_the_headline_in_every_brief_a_person_reads() -> None:
    from summarize.render.html import to_html
    from summarize.render.text import to_text

    r = result()
    r.byline = "جدة - واس"
    console, buffer = terminal()
    print_rich(r, console)
    rows = buffer.getvalue().splitlines()
    headline = next(i for i, row in enumerate(rows) if "عنوان الخبر" in row)
    assert "جدة - واس" in rows[headline + 1], "under the Arabic headline, in its cell"
    md = to_markdown(r).splitlines()
    assert md[md.index("**عنوان الخبر**") + 2] == "_byline:_ جدة - واس"
    page = to_html(r)
    assert page.index("عنوان الخبر</h2>") < page.index('<p class="byline ar" dir="rtl"')
    assert page.index('dir="rtl" lang="ar">جدة - واس</p>') < page.index("<table")
    text = to_text(r).splitlines()
    assert text[:4] == ["عنوان الخبر", "The headline", "============", "byline: جدة - واس"]
    r.byline = None
    assert "byline" not in to_markdown(r) and "byline" not in to_text(r)
    assert 'class="byline' not in to_html(r)
