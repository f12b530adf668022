"""A digest as one self-contained page: a card per story, English beside Arabic (RTL).

Each card has the story's headline in both languages, its outlets, its summary lines (each
with its sources, highlighted while the line is hovered or focused, and its failed checks),
the figures its articles disagree on (marked, and marked again where a summary line says
one), and its articles. A search box (every word must match: headlines, summaries, outlets,
file names) and a filter for the stories whose articles disagree come from a few lines of
inline script, allowed by its hash in the page's Content-Security-Policy: nothing is fetched,
and without script the page is the same list of stories.

All of the page's own rules are scoped to ``dg-`` classes (its body is ``dg-page``), and the
brief's rules live only in the brief's page, so no rule of the brief page (its ``.article``
panel, its tables) reaches a digest, nor the reverse.
"""

from __future__ import annotations

import html
import re

from summarize.render.digest_common import (
    check_label,
    counts,
    source_label,
    story_heading,
    story_meta,
)
from summarize.render.html import ARABIC_FONTS, html_page
from summarize.stories.result import Digest, Story, StoryLine
from summarize.terminal import html_text

__all__ = ["DIGEST_SCRIPT", "digest_html"]

_CSS = f"""
.dg-top {{ margin-bottom: 1rem; }}
.dg-counts {{ font-size: .9rem; opacity: .8; margin: .25rem 0; }}
.dg-tools {{ display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center;
             margin: .75rem 0 1rem; }}
.dg-tools[hidden] {{ display: none; }}
.dg-tools input[type=search] {{ flex: 1 1 16rem; min-width: 0; font: inherit;
                                 padding: .35rem .5rem; }}
.dg-tools output {{ font-size: .85rem; opacity: .75; }}
.dg-story {{ border: 1px solid #8886; border-radius: .5rem; padding: .75rem 1rem;
             margin: 0 0 1rem; min-width: 0; }}
.dg-story[hidden] {{ display: none; }}
.dg-story.dg-disputed {{ border-left: 4px solid #d97706; }}
.dg-pair {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
            gap: .25rem 1.5rem; align-items: start; }}
.dg-pair > * {{ min-width: 0; overflow-wrap: anywhere; }}
.dg-ar {{ font-family: {ARABIC_FONTS}; font-size: 1.1em; text-align: right; }}
.dg-head h2 {{ font-size: 1.15rem; margin: 0; line-height: 1.4; }}
.dg-head h2.dg-ar {{ font-weight: 600; }}
.dg-rank {{ font-size: .8rem; opacity: .6; margin-right: .35rem; }}
.dg-meta {{ font-size: .85rem; opacity: .75; margin: .35rem 0 .5rem; }}
.dg-lines {{ list-style: none; margin: .5rem 0; padding: 0; }}
.dg-line {{ border-top: 1px solid #8884; padding: .45rem .25rem; border-radius: .25rem; }}
.dg-line:hover, .dg-line:focus-within {{ background: #8881; }}
.dg-line:focus {{ outline: 2px solid #2563eb; outline-offset: -2px; }}
.dg-flagged .dg-en {{ box-shadow: inset 3px 0 #d97706; padding-left: .5rem; }}
.dg-checks {{ list-style: none; margin: .3rem 0 0; padding: 0; font-size: .85rem;
              color: #b45309; font-weight: 600; }}
.dg-src {{ list-style: none; margin: .35rem 0 0; padding: 0; font-size: .8rem; opacity: .8; }}
.dg-src li {{ padding: .1rem .35rem; border-radius: .2rem; }}
.dg-line:hover .dg-src li, .dg-line:focus-within .dg-src li {{ background: Mark; color: MarkText;
                                                             opacity: 1; }}
.dg-path {{ font-family: ui-monospace, monospace; font-size: .85em; }}
.dg-fig {{ background: #f59e0b55; color: inherit; border-radius: .2rem; padding: 0 .1rem;
           font-weight: 700; }}
.dg-disputes {{ background: #f59e0b1f; border: 1px solid #d9770688; border-radius: .4rem;
                padding: .5rem .75rem; margin: .5rem 0; }}
.dg-disputes h3 {{ font-size: .95rem; margin: 0 0 .25rem; color: #b45309; }}
.dg-disputes ul {{ margin: 0; padding-left: 1.25rem; }}
.dg-disputes li {{ margin: .2rem 0; }}
.dg-about {{ font-family: {ARABIC_FONTS}; }}
.dg-articles {{ font-size: .85rem; margin-top: .5rem; }}
.dg-articles ul {{ margin: .25rem 0 0; padding-left: 1.25rem; }}
.dg-outlet {{ font-weight: 600; }}
.dg-note {{ font-size: .85rem; color: #b45309; margin: .5rem 0 0; }}
.dg-skipped {{ font-size: .85rem; }}
@media (prefers-color-scheme: dark) {{
  .dg-checks, .dg-disputes h3, .dg-note {{ color: #fbbf24; }}
}}
@media (max-width: 40rem) {{
  .dg-pair {{ grid-template-columns: minmax(0, 1fr); }}
  .dg-story {{ padding: .5rem .6rem; }}
}}
"""

# Search and the disagreement filter. Story text is only read (textContent), never written.
DIGEST_SCRIPT = (
    "(()=>{const q=document.getElementById('dg-q'),only=document.getElementById('dg-only'),"
    "out=document.getElementById('dg-shown'),"
    "cards=[...document.querySelectorAll('article.dg-story')],"
    "texts=cards.map(c=>c.textContent.toLowerCase());"
    "const run=()=>{const words=q.value.toLowerCase().split(/\\s+/).filter(Boolean);let n=0;"
    "cards.forEach((c,i)=>{const ok=words.every(w=>texts[i].includes(w))&&"
    "(!only.checked||c.classList.contains('dg-disputed'));c.hidden=!ok;if(ok)n++});"
    "out.value=n+' of '+cards.length+' stories shown'};"
    "q.addEventListener('input',run);only.addEventListener('change',run);"
    "document.getElementById('dg-tools').hidden=false;run()})()"
)

e = html.escape


def _marked(text: str, figures: list[str]) -> str:
    """TEXT escaped, with each of FIGURES (as written) in it marked."""
    wanted = sorted({f for f in figures if f.strip()}, key=len, reverse=True)
    if not wanted:
        return e(text)
    pattern = re.compile("|".join(re.escape(f) for f in wanted))
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [e(text[last : m.start()]), f'<mark class="dg-fig">{e(m.group())}</mark>']
        last = m.end()
    return "".join([*out, e(text[last:])])


def _list(css_class: str, items: str, label: str = "") -> str:
    """ITEMS (``<li>`` elements) as a list of CSS_CLASS, or nothing when there are none."""
    if not items:
        return ""
    aria = f' aria-label="{label}"' if label else ""
    return f'<ul class="{css_class}"{aria}>{items}</ul>'


def _line(line: StoryLine, figures: list[str], story: int, n: int) -> str:
    checks = "".join(f"<li>⚠ {e(check_label(c))}</li>" for c in line.checks)
    sources = "".join(
        f'<li><span class="dg-path">{e(source_label(s))}</span> '
        f'<q class="dg-ar" dir="rtl" lang="ar">{e(s.text)}</q></li>'
        for s in line.sources
    )
    flagged = " dg-flagged" if line.checks else ""
    return (
        f'<li class="dg-line{flagged}" id="dg-l{story}-{n}" tabindex="0">'
        f'<div class="dg-pair"><div class="dg-en" lang="en">{e(line.en)}'
        f"{_list('dg-checks', checks)}</div>"
        f'<div class="dg-ar" dir="rtl" lang="ar">{_marked(line.ar, figures)}</div></div>'
        f"{_list('dg-src', sources, 'sources')}</li>"
    )


def _story(story: Story, rank: int) -> str:
    figures = [v.text for d in story.disagreements for v in d.values]
    disputed = " dg-disputed" if story.disagreements else ""
    title_ar = story.title.ar if story.title is not None else ""
    title_checks = "".join(
        f"<li>⚠ {e(check_label(c))}</li>" for c in (story.title.checks if story.title else [])
    )
    parts = [
        f'<article class="dg-story{disputed}" id="dg-s{rank}">',
        '<header class="dg-head"><div class="dg-pair">'
        f'<h2 lang="en"><span class="dg-rank">{rank}.</span>{e(story_heading(story, rank))}</h2>'
        f'<h2 class="dg-ar" dir="rtl" lang="ar">{_marked(title_ar, figures)}</h2></div>'
        f"{_list('dg-checks', title_checks)}"
        f'<p class="dg-meta">{e(story_meta(story))}</p></header>',
    ]
    if story.disagreements:
        items = []
        for d in story.disagreements:
            values = " · ".join(
                f'<mark class="dg-fig"><bdi>{e(v.text)}</bdi></mark> '
                f'(<span class="dg-outlet">{e(v.outlet or "")}</span>'
                f'{", " if v.outlet else ""}<span class="dg-path">{html_text(v.path)}</span>)'
                for v in d.values
            )
            items.append(
                f'<li>{e(d.kind)}, «<bdi class="dg-about" dir="rtl" lang="ar">{e(d.about)}'
                f"</bdi>»: {values}</li>"
            )
        parts.append(
            '<section class="dg-disputes" aria-label="Figures the articles disagree on">'
            f"<h3>⚠ Figures the articles disagree on</h3><ul>{''.join(items)}</ul></section>"
        )
    if story.summary:
        lines = "".join(_line(line, figures, rank, n) for n, line in enumerate(story.summary, 1))
        parts.append(f'<ol class="dg-lines">{lines}</ol>')
    articles = "".join(
        "<li>"
        + (f'<span class="dg-outlet">{e(a.outlet)}</span> · ' if a.outlet else "")
        + (f"{e(a.published)} · " if a.published else "")
        + (f'<span class="dg-ar" dir="rtl" lang="ar">{e(a.title)}</span> ' if a.title else "")
        + f'<span class="dg-path">{_link(a.url, a.path)}</span></li>'
        for a in story.articles
    )
    parts.append(
        f'<details class="dg-articles"{" open" if len(story.articles) > 1 else ""}>'
        f"<summary>{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}"
        f"</summary><ul>{articles}</ul></details>"
    )
    parts += [f'<p class="dg-note">warning: {e(w)}</p>' for w in story.warnings]
    parts.append("</article>")
    return "\n".join(parts)


def _link(url: str | None, text: str) -> str:
    """TEXT, linked to URL when it is a web address (nothing else becomes a link)."""
    if url and re.match(r"https?://", url, re.I):
        return f'<a href="{e(url, quote=True)}" rel="noreferrer noopener">{html_text(text)}</a>'
    return html_text(text)  # a file name: controls shown as escapes


def digest_html(digest: Digest) -> str:
    """The digest as one self-contained page (see the module's doc)."""
    parts = [
        '<header class="dg-top"><h1>Digest</h1>',
        f'<p class="dg-counts">{e(counts(digest))}</p></header>',
        '<div class="dg-tools" id="dg-tools" hidden>'
        '<input type="search" id="dg-q" placeholder="Search headlines, summaries, outlets, files"'
        ' aria-label="Search the stories">'
        '<label><input type="checkbox" id="dg-only"> only stories whose articles disagree</label>'
        '<output id="dg-shown" for="dg-q dg-only"></output></div>',
        '<main class="dg-stories">',
        *(_story(story, rank) for rank, story in enumerate(digest.stories, start=1)),
        "</main>",
    ]
    if digest.skipped:
        skipped = "".join(
            f'<li><span class="dg-path">{html_text(s.path)}</span>: {e(s.error)}</li>'
            for s in digest.skipped
        )
        parts.append(
            f'<details class="dg-skipped"><summary>{len(digest.skipped)} input(s) skipped'
            f"</summary><ul>{skipped}</ul></details>"
        )
    parts += [f'<p class="dg-note">warning: {e(w)}</p>' for w in digest.warnings]
    models = " · ".join(f"{m.role}: {m.name}" for m in digest.models)
    parts.append(f'<p class="dg-counts">{e(models)}</p>')
    return html_page("Digest", "\n".join(parts), page="dg-page", css=_CSS, script=DIGEST_SCRIPT)
