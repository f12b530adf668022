"""One numbering: a brief's source {paragraph, index}, the positions of `translate` and those of
`sentences` name the same sentence of the same text, whatever the layout of the article (with
or without a headline, paragraphs by blank lines or one a line). Real articles: ANT fixtures
(tests/data/ant) always; SaudiNewsNet from ../shared/corpora when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import summarize
from summarize.render.sentences import render_sentences
from tests import corpora
from tests.fakes import FakeModels

ANT = Path(__file__).resolve().parent / "data" / "ant" / "articles.jsonl"
# (headline, gap after the headline, gap between paragraphs)
LAYOUTS = [
    (True, "\n\n", "\n"),
    (True, "\n", "\n"),
    (True, "\n\n", "\n\n"),
    (True, "\n", "\n\n"),
    (False, "", "\n"),
    (False, "", "\n\n"),
]


def _ant() -> list[corpora.CorpusArticle]:
    rows = [json.loads(line) for line in ANT.read_text(encoding="utf-8").splitlines()]
    return [corpora.CorpusArticle(r["id"], r["section"], r["title"], "", r["text"]) for r in rows]


def _saudinewsnet() -> list[corpora.CorpusArticle]:
    """Four articles of each outlet that has line breaks in its copy, and two of the others."""
    corpora.require("saudinewsnet")
    picked: dict[str, list[corpora.CorpusArticle]] = {}
    for a in corpora.saudinewsnet():
        lines = len([x for x in a.body.split("\n") if x.strip()])
        want = 4 if lines >= 3 else 2
        group = picked.setdefault(a.source + str(lines >= 3), [])
        if len(group) < want and len(a.body.split()) < 600:
            group.append(a)
    return [a for group in picked.values() for a in group]


def _text(article: corpora.CorpusArticle, headline: bool, gap: str, paragraphs: str) -> str:
    body = "\n".join(x.strip() for x in article.body.split("\n") if x.strip())
    body = body.replace("\n", paragraphs)
    return f"{article.title.strip()}{gap}{body}" if headline else body


def _check(text: str, engine: summarize.Engine) -> None:
    doc = engine.sentences(text)
    listed = json.loads(render_sentences(doc, "json"))
    by_position = {(r["paragraph"], r["index"]): r["text"] for r in listed["sentences"]}
    brief = engine.brief(text).to_dict()
    translation = engine.translate(text).to_dict()
    # the same headline, never numbered
    assert (
        listed["title"]
        == (brief["title"] or {}).get("ar")
        == (translation["title"] or {}).get("ar")
    )
    assert all(r["text"] != listed["title"] for r in listed["sentences"][:1]) or not listed["title"]
    # the brief's article, the translation and the sentences list: one numbering
    assert {
        (p, i): s for p, para in enumerate(brief["article"]) for i, s in enumerate(para)
    } == by_position
    assert {(r["paragraph"], r["index"]): r["ar"] for r in translation["translation"]} == (
        by_position
    )
    for line in brief["summary"]:  # an extractive line is its sentence, or a piece of a run-on
        source = line["sources"][0]
        assert line["ar"] in by_position[(source["paragraph"], source["index"])]


@pytest.mark.parametrize(("headline", "gap", "paragraphs"), LAYOUTS)
def test_ant_articles_one_numbering(
    headline: bool, gap: str, paragraphs: str, fake_models: FakeModels
) -> None:
    engine = summarize.Engine(summarizer="extractive", backend="fake", sentences=4)
    for article in _ant():
        _check(_text(article, headline, gap, paragraphs), engine)


@pytest.mark.parametrize(("headline", "gap", "paragraphs"), LAYOUTS)
def test_saudinewsnet_articles_one_numbering(
    headline: bool, gap: str, paragraphs: str, fake_models: FakeModels
) -> None:
    engine = summarize.Engine(summarizer="extractive", backend="fake", sentences=4)
    articles = _saudinewsnet()
    assert len(articles) >= 20
    for article in articles:
        _check(_text(article, headline, gap, paragraphs), engine)


def test_the_headline_break_does_not_change_the_paragraphs() -> None:
    """The convention is decided once per document: a headline followed by a blank line or by
    a single line break numbers the body the same way."""
    for article in _ant():
        body = _text(article, False, "", "\n")
        blank = summarize.sentences(_text(article, True, "\n\n", "\n"))
        single = summarize.sentences(_text(article, True, "\n", "\n"))
        alone = summarize.sentences(body)
        assert blank.title == single.title == article.title.strip()
        assert [(s.text, s.paragraph) for s in blank.sentences] == [
            (s.text, s.paragraph) for s in single.sentences
        ]
        assert [(s.text, s.paragraph) for s in alone.sentences] == [
            (s.text, s.paragraph) for s in blank.sentences
        ]
