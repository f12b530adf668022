"""The batch folder's index.html: one compact row per article, failures first.

Each row: the headline in English (the link to the brief) and in Arabic, the file, the first
English summary line (or, for a failure, why), the status and when the output was made. The
page is complete without script; a few lines of inline script (allowed by its hash in the
page's Content-Security-Policy, nothing fetched) add a search box, a status filter and sorting
by any column.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol
from urllib.parse import quote

from summarize.render.html import ARABIC_FONTS, html_page
from summarize.terminal import html_text

__all__ = ["INDEX_SCRIPT", "IndexRow", "index_page", "output_href"]


class IndexRow(Protocol):
    """What the index shows of one article (a batch manifest record has these fields)."""

    @property
    def path(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def output(self) -> str | None: ...
    @property
    def error(self) -> str | None: ...
    @property
    def title_ar(self) -> str | None: ...
    @property
    def title_en(self) -> str | None: ...
    @property
    def summary_en(self) -> str | None: ...
    @property
    def finished(self) -> str | None: ...
    @property
    def reused(self) -> bool: ...


# Scoped to the page's body class: the index's first column is td.article, and the brief's
# sticky .article panel rule, when pages shared one stylesheet, piled those cells up at the top.
# Wide: four columns. Under 64rem the time wraps under the date and the last two columns
# narrow; under 40rem each row is a card (headline, summary, then status and time) and the
# column headings (sort buttons, with script) a row of chips.
_CSS = f"""
.index-page {{ max-width: 90rem; }}
.index-page .counts b.failed {{ color: #b91c1c; }}
.index-page .tools {{ display: flex; gap: .75rem; align-items: center; flex-wrap: wrap;
    margin: .75rem 0; }}
.index-page .tools[hidden] {{ display: none; }}
.index-page .tools input {{ flex: 1 1 14rem; min-width: 0; font: inherit; padding: .35rem .5rem; }}
.index-page .tools select {{ font: inherit; padding: .3rem; }}
.index-page .tools output {{ font-size: .85rem; opacity: .75; }}
.index-page table.index {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
.index-page table.index :is(td, th) {{ border-top: 1px solid #8884; padding: .35rem .6rem;
    vertical-align: top; overflow-wrap: anywhere; min-width: 0; line-height: 1.35; }}
.index-page table.index th {{ text-align: left; font-size: .85rem; opacity: .7;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: .5rem .6rem; }}
.index-page table.index th button {{ all: unset; cursor: pointer; }}
.index-page table.index th button::after {{ content: " ↕"; opacity: .4; }}
.index-page table.index th[aria-sort=ascending] button::after {{ content: " ↑"; opacity: 1; }}
.index-page table.index th[aria-sort=descending] button::after {{ content: " ↓"; opacity: 1; }}
.index-page table.index th button:focus-visible {{ outline: 2px solid; }}
.index-page col.c-article {{ width: 42%; }}
.index-page col.c-status {{ width: 8.5rem; }}
.index-page col.c-when {{ width: 9.5rem; }}
.index-page td.article a {{ font-weight: 600; }}
.index-page .ar {{ font-family: {ARABIC_FONTS}; text-align: right; line-height: 1.5; }}
.index-page :is(.file, .one) {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.index-page .file {{ font-size: .8rem; opacity: .65; }}
.index-page .clamp {{ display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2;
    overflow: hidden; }}
.index-page td:is(.status, .when) {{ white-space: nowrap; font-size: .85rem; }}
.index-page .badge {{ display: inline-block; padding: 0 .4rem; border-radius: .6rem;
    border: 1px solid #8886; }}
.index-page tr.failed td {{ background: #dc262614; }}
.index-page tr.failed td:first-child {{ box-shadow: inset 4px 0 #dc2626; }}
.index-page tr.failed .badge {{ background: #dc2626; color: #fff; border-color: #dc2626; }}
.index-page tr.failed .clamp {{ color: #b91c1c; -webkit-line-clamp: 4; }}
@media (prefers-color-scheme: dark) {{
  .index-page :is(tr.failed .clamp, .counts b.failed) {{ color: #f87171; }}
}}
@media (max-width: 64rem) {{
  .index-page col.c-article {{ width: 38%; }}
  .index-page col.c-status {{ width: 6rem; }}
  .index-page col.c-when {{ width: 6.5rem; }}
  .index-page td.when {{ white-space: normal; }}
  .index-page table.index th {{ white-space: normal; }}
  .index-page td.status .note {{ display: block; }}
}}
@media (max-width: 40rem) {{
  .index-page table.index, .index-page table.index :is(tbody, td) {{ display: block; }}
  .index-page table.index colgroup {{ display: none; }}
  .index-page table.index tbody tr {{ display: grid; grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas: "article article" "summary summary" "status when";
      border-top: 1px solid #8884; padding: .4rem 0; }}
  .index-page table.index td {{ border: 0; padding: .15rem .5rem; }}
  .index-page td.article {{ grid-area: article; }}
  .index-page td.summary {{ grid-area: summary; }}
  .index-page td.status {{ grid-area: status; }}
  .index-page td.when {{ grid-area: when; text-align: right; white-space: nowrap; }}
  .index-page td.status .note {{ display: inline; }}
  .index-page table.index thead {{ display: block; }}
  .index-page table.index thead tr {{ display: flex; flex-wrap: wrap; gap: .25rem .75rem; }}
  .index-page table.index th {{ border: 0; padding: .2rem 0; overflow: visible; }}
  .index-page table.index th:not(:has(button)) {{ display: none; }}
  .index-page tr.failed td:first-child {{ box-shadow: none; }}
  .index-page tr.failed {{ box-shadow: inset 4px 0 #dc2626; background: #dc262614; }}
  .index-page tr.failed td {{ background: none; }}
}}
"""

# Search, status filter and column sort. Text from articles is only ever read (textContent),
# never written as markup. Kept short: the page works without it.
INDEX_SCRIPT = """
(() => {
  const table = document.querySelector("table.index"), body = table.tBodies[0];
  const rows = [...body.rows], search = document.getElementById("search");
  const status = document.getElementById("status"), shown = document.getElementById("shown");
  const text = new Map(rows.map((r) => [r, r.textContent.toLowerCase()]));
  document.querySelector(".tools").hidden = false;
  const filter = () => {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let n = 0;
    for (const r of rows) {
      const hit = (!status.value || r.dataset.status === status.value) &&
        words.every((w) => text.get(r).includes(w));
      r.hidden = !hit;
      n += hit;
    }
    shown.value = `${n} of ${rows.length} shown`;
  };
  search.addEventListener("input", filter);
  status.addEventListener("change", filter);
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, col) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.replaceChildren(button);
    button.addEventListener("click", () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      const key = (r) => r.cells[col].dataset.sort ?? r.cells[col].textContent.trim();
      rows.sort((a, b) => dir * key(a).localeCompare(key(b), undefined, {numeric: true}));
      body.append(...rows);
    });
  });
  filter();
})();
"""

_STATUS_ORDER = {"failed": "0", "ok": "1", "reused": "2"}


def _kind(row: IndexRow) -> str:
    """failed, ok (made by this run) or reused (made by an earlier run, kept)."""
    if row.status == "failed":
        return "failed"
    return "reused" if row.reused else "ok"


def _row(r: IndexRow) -> str:
    e = html.escape  # article text (titles, summary) as it is: Arabic keeps its ZWNJ and marks
    kind = _kind(r)
    name = html_text(r.path)  # a file name: a control or U+202E shown as its escape
    label = r.title_en or r.title_ar or r.path
    shown = name if label == r.path else e(label)
    sort_key = html_text(label.casefold()) if label == r.path else e(label.casefold(), quote=True)
    linked = bool(r.output) and kind != "failed"
    head = (
        f'<a href="{e(output_href(r.output or ""), quote=True)}">{shown}</a>' if linked else shown
    )
    if not linked:
        head = f"<strong>{head}</strong>"
    article = [f'<div class="clamp">{head}</div>']
    if r.title_ar and label != r.title_ar:
        title = e(r.title_ar, quote=True)
        article.append(
            f'<div class="ar one" dir="rtl" lang="ar" title="{title}">{e(r.title_ar)}</div>'
        )
    if label != r.path:
        article.append(f'<div class="file" dir="ltr" title="{name}">{name}</div>')
    summary = (r.error or "") if kind == "failed" else (r.summary_en or "")
    status = "ok" if kind == "reused" else kind
    note = ' <span class="note">(earlier run)</span>' if kind == "reused" else ""
    when = r.finished or ""
    shown_time = when.replace("T", " ")[:16]  # the column says UTC
    return (
        f'<tr class="{kind}" data-status="{kind}">'
        f'<td class="article" data-sort="{sort_key}">{"".join(article)}</td>'
        f'<td class="summary"><div class="clamp" lang="en">{e(summary)}</div></td>'
        f'<td class="status" data-sort="{_STATUS_ORDER[kind]}">'
        f'<span class="badge">{e(status)}</span>{note}</td>'
        f'<td class="when" data-sort="{e(when, quote=True)}">'
        f'<time datetime="{e(when, quote=True)}">{e(shown_time)}</time></td></tr>'
    )


def output_href(output: str) -> str:
    """A link to an output, relative to the index, whatever its name holds: every character
    that means something in a URL is %-escaped, and ``./`` keeps a name such as
    ``javascript:x.txt.md`` from being read as a scheme."""
    return "./" + quote(output, safe="/")


def index_page(rows: Sequence[IndexRow]) -> str:
    """The page for ROWS: failed rows first, then in the order given (by path, from batch)."""
    ordered = sorted(rows, key=lambda r: _kind(r) != "failed")
    counts = {k: sum(1 for r in rows if _kind(r) == k) for k in ("ok", "reused", "failed")}
    failed = f"{counts['failed']} failed"
    if counts["failed"]:
        failed = f'<b class="failed">{failed}</b> (listed first)'
    body = (
        f'<h1>Briefs</h1>\n<p class="counts">{len(rows)} articles: {counts["ok"]} done, '
        f"{counts['reused']} reused (made by an earlier run), {failed}.</p>\n"
        '<div class="tools" hidden>'
        '<input type="search" id="search" placeholder="Search titles, summaries and files" '
        'aria-label="Search titles, summaries and files">'
        '<select id="status" aria-label="Show"><option value="">every status</option>'
        '<option value="failed">failed</option><option value="ok">done</option>'
        '<option value="reused">reused</option></select>'
        '<output id="shown" aria-live="polite"></output></div>\n'
        '<table class="index">\n<colgroup><col class="c-article"><col class="c-summary">'
        '<col class="c-status"><col class="c-when"></colgroup>\n'
        "<thead><tr><th>Article</th><th>Summary, first line</th><th>Status</th>"
        "<th>Finished (UTC)</th></tr></thead>\n<tbody>\n"
        + "\n".join(_row(r) for r in ordered)
        + "\n</tbody></table>"
    )
    return html_page("Briefs", body, page="index-page", css=_CSS, script=INDEX_SCRIPT)
