"""Rendering results: a rich table for terminals, and text, Markdown, JSON, JSON Lines, HTML.

Renderers take a ``Result`` and return a string (rich draws straight to its console).
Article text is always escaped for the target format.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any, Literal

from summarize.pipeline import Result
from summarize.registry import short_revision
from summarize.text import Sentence, paragraphs

Format = Literal["rich", "text", "markdown", "json", "jsonl", "html"]
FORMATS: tuple[str, ...] = ("text", "markdown", "json", "jsonl", "html")
ARABIC_FONTS = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", '
    '"Geeza Pro", "Segoe UI", "Tahoma", "Arial", sans-serif'
)


def footer(result: Result) -> str:
    """One line of stats: words, sentences, chunks, reduce rounds, models, seconds."""
    s = result.stats
    parts = [_count(s.words, "word"), _count(s.sentences, "sentence")]
    if result.kind == "brief":
        parts += [_count(s.chunks, "chunk"), _count(s.reduce_rounds, "reduce round")]
    else:
        parts.append(_count(s.paragraphs, "paragraph"))
    for m in result.models:
        rev = f"@{short_revision(m.revision)}" if m.revision else ""
        parts.append(f"{m.role}: {m.name}{rev}")
    if "total_s" in result.timings:
        parts.append(f"{result.timings['total_s']:.1f} s")
    return " · ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def heading(result: Result) -> str:
    if result.title is not None:
        return result.title.en or result.title.ar
    return "Brief" if result.kind == "brief" else "Translation"


# -- text -----------------------------------------------------------------------------------


def to_text(result: Result) -> str:
    """Plain text: each Arabic sentence with its English under it, paragraphs kept."""
    out: list[str] = []
    if result.title is not None:
        out += [result.title.ar, result.title.en, "=" * min(60, max(8, len(result.title.en))), ""]
    groups = [result.summary] if result.kind == "brief" else result.translation
    n = 0
    for group in groups:
        for line in group:
            n += 1
            out.append(f"{n}. {line.ar}")
            out.append(f"{' ' * (len(str(n)) + 2)}{line.en}")
        out.append("")
    out += [f"-- {footer(result)}"]
    out += [f"warning: {w}" for w in result.warnings]
    return "\n".join(out) + "\n"


# -- Markdown -------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, line breaks folded, markup characters escaped."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(result: Result) -> str:
    """Markdown: a two-column table, Arabic right-aligned beside English, then the footer."""
    out = [f"# {_md_cell(heading(result))}", ""]
    if result.title is not None:
        out += [f"**{_md_cell(result.title.ar)}**", ""]
    groups = [result.summary] if result.kind == "brief" else result.translation
    for i, group in enumerate(groups):
        if not group:
            continue
        if i:
            out.append("")
        out += ["| English | العربية |", "|:--|--:|"]
        out += [f"| {_md_cell(line.en)} | {_md_cell(line.ar)} |" for line in group]
    if not any(groups):
        out.append("_No summary was produced._")
    out += ["", f"_{_md_cell(footer(result))}_"]
    out += [f"> **warning:** {_md_cell(w)}" for w in result.warnings]
    return "\n".join(out) + "\n"


# -- JSON -----------------------------------------------------------------------------------


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_jsonl(result: Result, extra: dict[str, Any] | None = None) -> str:
    data = {**(extra or {}), **result.to_dict()}
    return json.dumps(data, ensure_ascii=False) + "\n"


# -- HTML -----------------------------------------------------------------------------------

_CSS = f"""
:root {{ color-scheme: light dark; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; line-height: 1.55; }}
h1 {{ font-size: 1.5rem; margin-bottom: .25rem; }}
.ar {{ font-family: {ARABIC_FONTS}; font-size: 1.15em; text-align: right; }}
h2.ar {{ font-weight: normal; margin-top: 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td, th {{ border-top: 1px solid #8884; padding: .5rem .75rem; vertical-align: top; }}
th {{ text-align: left; font-size: .85rem; opacity: .7; }}
th.ar {{ text-align: right; }}
tr.para td {{ border-top: 2px solid #8888; }}
footer, .warning {{ font-size: .85rem; opacity: .75; margin-top: 1rem; }}
.warning {{ color: #b45309; opacity: 1; }}
a {{ color: inherit; }}
"""

# No script may run and nothing may be fetched, whatever the article contains.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def to_html(result: Result) -> str:
    """A self-contained page: English beside Arabic (RTL), sentence by sentence."""
    e = html.escape
    parts = [f"<h1>{e(heading(result))}</h1>"]
    if result.title is not None:
        parts.append(f'<h2 class="ar" dir="rtl" lang="ar">{e(result.title.ar)}</h2>')
    parts.append(
        '<table class="brief">\n<colgroup><col style="width:50%"><col style="width:50%"></colgroup>'
        '\n<thead><tr><th lang="en">English</th><th class="ar" dir="rtl" lang="ar">العربية</th>'
        "</tr></thead>\n<tbody>"
    )
    groups = [result.summary] if result.kind == "brief" else result.translation
    for gi, group in enumerate(groups):
        for li, line in enumerate(group):
            cls = ' class="para"' if gi and not li else ""
            parts.append(
                f'<tr{cls}><td class="en" lang="en">{e(line.en)}</td>'
                f'<td class="ar" dir="rtl" lang="ar">{e(line.ar)}</td></tr>'
            )
    parts.append("</tbody>\n</table>")
    parts += [f'<p class="warning">warning: {e(w)}</p>' for w in result.warnings]
    parts.append(f"<footer>{e(footer(result))}<br>source: {e(result.source)}</footer>")
    return html_page(heading(result), "\n".join(parts))


# -- rich -----------------------------------------------------------------------------------


def print_rich(result: Result, console: Any, *, bidi: bool = False) -> None:
    """A side-by-side table on the terminal, Arabic column right-aligned.

    With BIDI, Arabic is wrapped to its column, then each line is reshaped and put in visual
    order, for terminals that show Arabic reversed and unjoined (no bidi support).
    """
    from rich.table import Table

    # Two equal columns: the table spends 7 cells on borders and padding.
    arabic_width = max(10, (console.width - 7) // 2)
    ar = (lambda text: visual_arabic(text, arabic_width)) if bidi else (lambda text: text)
    table = Table(
        title=heading(result),
        caption=footer(result),
        show_lines=True,
        expand=True,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column(ar("العربية"), justify="right", ratio=1, overflow="fold", no_wrap=bidi)
    if result.title is not None:
        table.add_row(
            f"[bold]{_rich_escape(result.title.en)}[/]",
            f"[bold]{_rich_escape(ar(result.title.ar))}[/]",
        )
    for line in result.lines:
        table.add_row(_rich_escape(line.en), _rich_escape(ar(line.ar)))
    console.print(table)
    for w in result.warnings:
        console.print(f"[yellow]warning:[/] {_rich_escape(w)}")


def visual_arabic(text: str, width: int) -> str:
    """TEXT wrapped to WIDTH, each line reshaped (joined letters) and in visual order."""
    import textwrap

    from summarize.errors import SummarizeError

    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:
        raise SummarizeError(
            "--bidi needs two small packages: pip install 'summarize[terminal]'"
        ) from None
    lines = textwrap.wrap(text, width=width) or [""]
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in lines)


def _rich_escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def render(result: Result, fmt: str) -> str:
    """Render RESULT in a string format (everything but 'rich')."""
    renderers = {
        "text": to_text,
        "markdown": to_markdown,
        "json": to_json,
        "jsonl": to_jsonl,
        "html": to_html,
    }
    return renderers[fmt](result)


# -- sentences ------------------------------------------------------------------------------


def render_sentences(sentences: Sequence[Sentence], fmt: str, source: str = "-") -> str:
    """`summarize sentences`: one per line, paragraphs separated by exactly one blank line."""
    paras = paragraphs(sentences)
    if fmt in ("text", "markdown", "rich"):
        return "\n\n".join("\n".join(s.text for s in p) for p in paras) + ("\n" if paras else "")
    records = [
        {"paragraph": pi, "index": si, "text": s.text}
        for pi, p in enumerate(paras)
        for si, s in enumerate(p)
    ]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        data = {
            "schema": "summarize/1",
            "kind": "sentences",
            "source": source,
            "sentences": records,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    body = "\n".join(
        '<p dir="rtl" lang="ar" class="ar">' + "<br>".join(html.escape(s.text) for s in p) + "</p>"
        for p in paras
    )
    return html_page("Sentences", body)
