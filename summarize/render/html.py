"""HTML: a self-contained page, English beside Arabic (RTL), nothing fetched.

A brief shows the whole cleaned article beside the summary. Hovering or selecting (clicking,
or Tab to) a summary line highlights its source sentences in the article: plain CSS
(``:has()``), one generated rule per line, so it works with script off. Each line also links
to its sources (``#s-P-I``, highlighted as ``:target``), and marks its failed checks.

The page's Content-Security-Policy allows no script but one: :data:`SCRIPT`, a few fixed
lines (allowed by their sha256) that scroll the article panel to a hovered line's best
source. Nothing from an article can run, and nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import html

from summarize.render.common import check_text, footer, heading, source_label, source_text
from summarize.results import Brief, BriefLine, Result
from summarize.terminal import html_text

__all__ = ["ARABIC_FONTS", "BASE_CSS", "SCRIPT", "html_page", "script_hash", "to_html"]

ARABIC_FONTS = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", '
    '"Geeza Pro", "Segoe UI", "Tahoma", "Arial", sans-serif'
)


#: What every page shares: the colour scheme, the body's measure, the page heading, links.
#: Element selectors only; everything else a page styles is scoped to its own body class
#: (``.result-page``, ``.index-page``, ``.sentences-page``) or, for the digest, to ``dg-``
#: classes, so no rule of one page can reach another (the batch index's ``td.article`` once
#: took the brief's sticky ``.article`` panel rule).
BASE_CSS = """
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 100rem; padding: 0 1rem; line-height: 1.55; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
a { color: inherit; }
@media (max-width: 40rem) { body { margin: 1rem auto; } }
"""

# The brief and the translation page: a result (body class "result-page").
_CSS = f"""
.result-page .ar {{ font-family: {ARABIC_FONTS}; font-size: 1.15em; text-align: right; }}
.result-page h2.ar {{ font-weight: normal; margin-top: 0; }}
.result-page .byline {{ font-size: 1rem; opacity: .75; margin: -.5rem 0 1rem; }}
.result-page table.brief {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
.result-page table.brief :is(td, th) {{ border-top: 1px solid #8884; padding: .5rem .75rem;
    vertical-align: top; overflow-wrap: anywhere; min-width: 0; }}
.result-page table.brief th {{ text-align: left; font-size: .85rem; opacity: .7; }}
.result-page table.brief th.ar {{ text-align: right; }}
.result-page tr.para td {{ border-top: 2px solid #8888; }}
.result-page :is(footer, .warning) {{ font-size: .85rem; opacity: .75; margin-top: 1rem; }}
.result-page .warning {{ color: #b45309; opacity: 1; }}
.result-page .checks {{ list-style: none; margin: .35rem 0 0; padding: 0; font-size: .85rem; }}
.result-page h1 + .checks {{ margin: 0 0 .5rem; }}
.result-page .check {{ color: #b45309; font-weight: 600; }}
.result-page tr.flagged td.en {{ box-shadow: inset 3px 0 #d97706; }}
.result-page .sources {{ font-size: .8rem; opacity: .8; margin: .35rem 0 0; }}
.result-page tr.line {{ cursor: pointer; }}
.result-page tr.line:is(:hover, :focus-within, :target) td {{ background: #8881; }}
.result-page tr.line:focus {{ outline: 2px solid #2563eb; outline-offset: -2px; }}
.result-page .layout {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: 2rem; align-items: start; }}
.result-page .article {{ position: sticky; top: 1rem; max-height: calc(100vh - 2rem);
    overflow: auto; border-left: 1px solid #8884; padding: 0 1rem; }}
.result-page .article h2 {{ font-size: 1rem; font-family: system-ui, sans-serif;
    text-align: left; }}
.result-page .article .hint {{ font-size: .8rem; opacity: .7; text-align: left;
    font-family: system-ui; }}
.result-page .article p {{ margin: 0 0 .8rem; }}
.result-page .pn {{ font-size: .75rem; opacity: .6; font-family: system-ui, sans-serif; }}
.result-page .s {{ border-radius: .2rem; scroll-margin: 4rem; }}
.result-page .s:target {{ background: Mark; color: MarkText; }}
@media (max-width: 60rem) {{
  .result-page .layout {{ grid-template-columns: minmax(0, 1fr); }}
  .result-page .article {{ position: relative; max-height: none; overflow: visible;
      border-left: 0; border-top: 2px solid #8888; padding: 0; }}
}}
@media (max-width: 40rem) {{
  .result-page table.brief, .result-page table.brief :is(tbody, tr, td) {{ display: block;
      width: auto; }}
  .result-page table.brief thead {{ display: none; }}
  .result-page table.brief td.ar {{ border-top: 0; padding-top: 0; }}
}}
"""

SCRIPT = (
    'for(const r of document.querySelectorAll("tr[data-best]")){'
    'const go=()=>{const s=document.getElementById(r.dataset.best),a=s&&s.closest(".article");'
    "if(a&&a.scrollHeight>a.clientHeight)"
    'a.scrollTo({top:s.offsetTop-a.clientHeight/3,behavior:"smooth"})};'
    'r.addEventListener("mouseenter",go);r.addEventListener("focusin",go)}'
)
"""The page's only script: scroll the article panel (when it scrolls on its own, on wide
screens) to the best source of the summary line under the pointer or the keyboard focus."""

# Nothing may be fetched, and no script may run but the page's own (allowed by its hash),
# whatever the article contains.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script: 'sha256-<base64 digest>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def html_page(title: str, body: str, *, page: str, css: str = "", script: str | None = None) -> str:
    """A self-contained page. PAGE is the body's class (the scope of the page's own CSS); CSS
    is added to BASE_CSS; SCRIPT, when given, runs at the end of the body, allowed by its hash
    in the Content-Security-Policy (never 'unsafe-inline')."""
    if script is not None and "</" in script:
        raise ValueError("an inline script must not contain '</'")
    csp = _CSP + (f"; script-src {script_hash(script)}" if script is not None else "")
    tail = f"\n<script>{script}</script>" if script is not None else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f'<body class="{html.escape(page, quote=True)}">\n'
        f"{body}{tail}\n</body>\n</html>\n"
    )


def _sid(paragraph: int, index: int) -> str:
    return f"s-{paragraph}-{index}"


def _checks(line: BriefLine) -> str:
    """The line's failed checks as a list; a figure or a name is isolated (``<bdi>``), so an
    Arabic value reads in its own direction inside the English text."""
    e = html.escape
    if not line.checks:
        return ""
    items = []
    for c in line.checks:
        label, _, value = check_text(c).partition(": ")
        shown = f"<bdi>{e(value)}</bdi>" if c.kind != "weak_source" else e(value)
        items.append(f'<li class="check {e(c.kind)}">⚠ {e(label)}: {shown}</li>')
    return f'<ul class="checks">{"".join(items)}</ul>'


def _source_links(result: Brief, line: BriefLine) -> str:
    e = html.escape
    links = [
        f'<a href="#{_sid(r.paragraph, r.index)}" title="{e(source_text(result, r), quote=True)}">'
        f"{source_label(r)}</a> ({r.score:.2f})"
        for r in line.sources
    ]
    return f'<p class="sources">sources: {", ".join(links)}</p>' if links else ""


# The best source in the system's highlight colour, the others lighter (where color-mix works).
_BEST_SOURCE = "background: Mark; color: MarkText;"
_OTHER_SOURCE = "background: Mark; background: color-mix(in srgb, Mark 40%, transparent);"


def _highlight_css(lines: list[BriefLine]) -> str:
    """One rule per summary line: while it is hovered, focused or the target, its sources are
    marked in the article (the best one strongest). Only numbers go into these selectors."""
    rules = []
    for n, line in enumerate(lines, start=1):
        if not line.sources:
            continue
        when = f".result-page:has(#l{n}:hover, #l{n}:focus-within, #l{n}:target)"
        ids = ", ".join(f"#{_sid(r.paragraph, r.index)}" for r in line.sources)
        best = line.sources[0]
        rules.append(f"{when} :is({ids}) {{ {_OTHER_SOURCE} }}")
        rules.append(f"{when} #{_sid(best.paragraph, best.index)} {{ {_BEST_SOURCE} }}")
    return "\n".join(rules)


def _article(result: Brief) -> str:
    e = html.escape
    paras = []
    for p, sentences in enumerate(result.article):
        spans = " ".join(
            f'<span class="s" id="{_sid(p, i)}">{e(text)}</span>'
            for i, text in enumerate(sentences)
        )
        paras.append(f'<p><span class="pn" dir="ltr">¶{p + 1}</span> {spans}</p>')
    return (
        '<section class="article ar" dir="rtl" lang="ar" aria-label="The article">\n'
        '<h2 dir="ltr" lang="en">The article</h2>\n'
        '<p class="hint" dir="ltr" lang="en">Cleaned, as summarized. Hover over or select a '
        "summary line to highlight its sources here.</p>\n" + "\n".join(paras) + "\n</section>"
    )


def to_html(result: Result) -> str:
    """A self-contained page: English beside Arabic (RTL), sentence by sentence; for a brief,
    the article beside the summary with each line's sources highlighted on hover or focus."""
    e = html.escape
    parts = [f"<h1>{e(heading(result))}</h1>"]
    if result.title is not None:
        parts.append(_checks(result.title))
        parts.append(f'<h2 class="ar" dir="rtl" lang="ar">{e(result.title.ar)}</h2>')
    if result.byline:  # under the headline, as a paper prints it
        parts.append(f'<p class="byline ar" dir="rtl" lang="ar">{e(result.byline)}</p>')
    brief = result if isinstance(result, Brief) else None
    with_article = brief is not None and bool(brief.article)
    if with_article:
        parts.append('<div class="layout">\n<section class="summary" aria-label="The summary">')
    parts.append(
        '<table class="brief">\n<colgroup><col style="width:50%"><col style="width:50%"></colgroup>'
        '\n<thead><tr><th lang="en">English</th><th class="ar" dir="rtl" lang="ar">العربية</th>'
        "</tr></thead>\n<tbody>"
    )
    for gi, group in enumerate(result.groups):
        for li, line in enumerate(group):
            classes = (["para"] if gi and not li else []) + (["flagged"] if line.checks else [])
            attrs = f' class="{" ".join(classes)}"' if classes else ""
            if brief is not None and line.sources:
                best = line.sources[0]
                attrs = (
                    f' id="l{li + 1}" class="{" ".join(["line", *classes])}" tabindex="0"'
                    f' data-best="{_sid(best.paragraph, best.index)}"'
                )
            parts.append(
                f'<tr{attrs}><td class="en" lang="en">{e(line.en)}{_checks(line)}'
                f"{_source_links(brief, line) if brief is not None else ''}</td>"
                f'<td class="ar" dir="rtl" lang="ar">{e(line.ar)}</td></tr>'
            )
    parts.append("</tbody>\n</table>")
    if brief is not None and with_article:
        parts += ["</section>", _article(brief), "</div>"]
    parts += [f'<p class="warning">warning: {e(w)}</p>' for w in result.warnings]
    parts.append(f"<footer>{e(footer(result))}<br>source: {html_text(result.source)}</footer>")
    style = _highlight_css(brief.summary) if brief is not None and with_article else ""
    return html_page(
        heading(result),
        "\n".join(p for p in parts if p),
        page=f"result-page {'brief' if brief is not None else 'translation'}-page",
        css=_CSS + style,
        script=SCRIPT if with_article else None,
    )
