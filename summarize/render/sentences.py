"""`summarize sentences`: the cleaned article, one sentence per line."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict

from summarize.render.html import ARABIC_FONTS, html_page
from summarize.results import SCHEMA
from summarize.text import Document, Sentence, paragraphs
from summarize.text.explain import Decision

__all__ = ["render_decisions", "render_sentences"]

_CSS = f"""
.sentences-page .ar {{ font-family: {ARABIC_FONTS}; font-size: 1.15em; text-align: right; }}
"""


def render_sentences(doc: Document | Sequence[Sentence], fmt: str, source: str = "-") -> str:
    """`summarize sentences`: the headline, then the body one sentence per line, paragraphs
    separated by exactly one blank line. Positions (JSON) number the body only: the headline
    is ``title``, never a paragraph, as in a brief and a translation. A bare list of
    sentences is a document without headline or byline."""
    if not isinstance(doc, Document):
        doc = Document("", None, "", "", "", sentences=list(doc))
    paras = paragraphs(doc.sentences)
    if fmt in ("text", "markdown", "rich"):
        blocks = ["\n".join(s.text for s in p) for p in paras]
        if doc.title:
            blocks.insert(0, doc.title)
        return "\n\n".join(blocks) + ("\n" if blocks else "")
    data = doc.to_dict()
    records: list[dict[str, object]] = list(data["sentences"])  # type: ignore[call-overload]
    if fmt == "jsonl":
        if doc.title:
            records.insert(
                0, {"paragraph": None, "index": None, "text": doc.title, "headline": True}
            )
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        whole = {"schema": SCHEMA, "kind": "sentences", "source": source, **data}
        return json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    body = "\n".join(
        '<p dir="rtl" lang="ar" class="ar">' + "<br>".join(html.escape(s.text) for s in p) + "</p>"
        for p in paras
    )
    if doc.title:
        body = f'<h1 dir="rtl" lang="ar" class="ar">{html.escape(doc.title)}</h1>\n' + body
    return html_page("Sentences", body, page="sentences-page", css=_CSS)


#: What the text output calls each step's decision (``sentences``: split or no split).
_WORDS = {"furniture": "removed", "title": "headline", "run-on": "cut"}


def decision_word(d: Decision) -> str:
    """The word a person reads for D, in the text output and as JSON's ``decision``."""
    if d.step == "sentences":
        return "split" if d.split else "no split"
    return _WORDS.get(d.step, d.step)


def render_decisions(decisions: Sequence[Decision], fmt: str, source: str = "-") -> str:
    """`summarize sentences --explain`: each decision of the text layer and the rule behind it.
    Every format uses the same words: JSON's ``decision`` is the text output's first column."""
    records = [{"decision": decision_word(d), **asdict(d)} for d in decisions]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "json":
        data = {"schema": SCHEMA, "kind": "explain", "source": source, "decisions": records}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for d in decisions:
        text = d.text.replace("\n", "⏎") if d.text else "(none)"
        lines.append(f"{decision_word(d):<10} {d.rule:<28} {text}")
    return "\n".join(lines) + ("\n" if lines else "")
