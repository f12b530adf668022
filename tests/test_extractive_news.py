"""The extractive summarizer on real news: it starts with the lead, and never picks a byline, a
dateline, an interview or question-and-answer turn, a sub-heading, a list item or a run-on.
Judged leads: tests/data/leads (README there); the corpora: ../shared/corpora."""

from __future__ import annotations

import json
from pathlib import Path

from summarize.chunking import model_units
from summarize.pipeline.extractive import MIN_WORDS, is_turn, summary_units
from summarize.text import RUN_ON_WORDS, furniture_rule, normalize, read_document
from summarize.text.bylines import is_byline
from tests import corpora

LEADS = Path(__file__).resolve().parent / "data" / "leads" / "judged.jsonl"

LEAD = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في منطقة الباحة بسعة مئتي سرير."
REST = [
    "وأوضح المتحدث باسم الوزارة أن المستشفى الجديد في الباحة سيخدم مئتي ألف نسمة.",
    "* هل ترى أن مستشفى الباحة الجديد سيخدم المنطقة كلها؟",
    "- نعم، مستشفى الباحة الجديد سيخدم المنطقة كلها بمئتي سرير ومئتي طبيب.",
    "وتضم الوزارة في منطقة الباحة أربعة مستشفيات أخرى تخدم سكان المنطقة كلهم.",
]


def _fragment(text: str) -> bool:
    """A sub-heading or a few words (as the summarizer defines them)."""
    n = len(text.split())
    return n < MIN_WORDS or n < 10 and text.rstrip("\"'”’»)")[-1:] not in ".!?؟…"


def _lines(text: str, n: int) -> list[str]:
    return [u.text for u in summary_units(read_document(text).sentences, n)]


def test_the_lead_comes_first_and_turns_are_left_out() -> None:
    lines = _lines("\n".join([LEAD, *REST]), 3)
    assert lines[0] == LEAD
    assert not any(is_turn(line) for line in lines)


def test_a_turn_is_taken_only_when_nothing_else_is_left() -> None:
    assert len(_lines("\n".join([LEAD, *REST]), 5)) == 5


def test_the_first_line_is_the_judged_lead() -> None:
    """On 113 articles of 10 Saudi outlets and 9 Tunisian sections (docs/text-rules.md)."""
    corpora.require("saudinewsnet")
    articles = {a.id: a for a in corpora.saudinewsnet() + corpora.ant()}
    rows = [json.loads(line) for line in LEADS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 100
    hits = 0
    for row in rows:
        article = articles[row["id"]]
        first = _lines(article.page(), 2)[0]
        at = normalize(article.body).find(first)
        hits += row["start"] <= at < row["end"]
    assert hits / len(rows) >= 0.95, f"{hits}/{len(rows)}"


def test_no_byline_dateline_turn_heading_list_item_or_run_on_on_any_corpus_article() -> None:
    corpora.require("saudinewsnet")
    for article in corpora.saudinewsnet() + corpora.ant():
        doc = read_document(article.page())
        units = model_units(doc.sentences)
        lines = summary_units(doc.sentences, 3)
        proper = [u for u in units if not (u.list_item or is_turn(u.text) or _fragment(u.text))]
        for k, unit in enumerate(lines):
            text = unit.text
            assert text[:1] not in "-–—*•" and not text.startswith(("س:", "ج:")), article.id
            assert len(text.split()) <= RUN_ON_WORDS, article.id
            assert furniture_rule(text) is None, (article.id, text)
            if len(proper) >= len(lines):  # something better was there
                assert not is_byline(text, alone=True), (article.id, text)
                lead_question = unit is lines[0] and k == 0  # a column may open with a question
                assert not unit.list_item and (lead_question or not is_turn(text)), article.id
                assert not _fragment(text), (article.id, text)
