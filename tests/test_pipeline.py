"""The pipeline's own pieces: preparation, de-duplication, map-reduce and batching (fake backend)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.articles import Article
from summarize.errors import EmptyInput, NotArabic
from summarize.pipeline import Engine, prepare
from summarize.pipeline.mapreduce import MAX_REDUCE_ROUNDS
from summarize.pipeline.summary import dedupe_sentences
from tests.fakes import FakeModels
from tests.samples import sample

REPO = Path(__file__).resolve().parent.parent


def article(text: str, title: str | None = None) -> Article:
    return Article(text=text, source="test", encoding="utf-8", title=title)


def test_dedupe_drops_exact_and_near_repeats_and_keeps_order() -> None:
    sentences = [
        "وقع البلدان اتفاقية للتعاون الاقتصادي في العاصمة.",
        "وقع البلدان اتفاقية للتعاون الاقتصادي في العاصمة!",  # same words, other punctuation
        "وقع البلدان اليوم اتفاقية للتعاون الاقتصادي في العاصمة.",  # one word more: 7/8 overlap
        "وناقش الجانبان الأوضاع الإقليمية.",
    ]
    assert dedupe_sentences(sentences) == [sentences[0], sentences[3]]
    assert dedupe_sentences(sentences, threshold=1.0) == [sentences[0], sentences[2], sentences[3]]


def test_prepare_takes_the_headline_out_of_the_body() -> None:
    text = (sample("kazakhstan-regional-hub-with-page-counters.txt")).read_text("utf-8")
    prepared = prepare(article(text))
    assert prepared.title == "كازاخستان تعزز العلاقات مع زعماء الدول المجاورة"
    assert not prepared.text.startswith(prepared.title)
    assert prepared.removed == ["0", "133"]
    assert all(s.text == prepared.text[s.start : s.end] for s in prepared.sentences)


def test_prepare_uses_an_html_title_when_the_text_has_no_headline() -> None:
    body = "قال الوزير إن الاجتماع كان مثمرا. وأضاف أن البلدين سيوقعان اتفاقية جديدة."
    assert prepare(article(body, title="الوزير يشيد بالاجتماع")).title == "الوزير يشيد بالاجتماع"
    assert prepare(article(body, title="Site name | News")).title is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   \n\n ", EmptyInput),
        ("0\n133\nRu En", EmptyInput),
        ("Hello world. All English.", NotArabic),
    ],
)
def test_prepare_refuses_what_is_not_an_arabic_article(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        prepare(article(text))


def test_brief_many_isolates_a_bad_article(fake_models: FakeModels) -> None:
    good = (sample("qatar-emir-state-visit-kazakhstan.txt")).read_text("utf-8")
    results = Engine(backend="fake").brief_many(
        [article(good), article("English only."), article(good)]
    )
    assert isinstance(results[1], NotArabic)
    assert results[0].summary == results[2].summary != []  # type: ignore[union-attr]
    # one call per good article: articles never share a model batch
    assert len(fake_models.loaded["summarizer"].calls) == 2


def test_reduce_rounds_stop_when_a_round_does_not_help(fake_models: FakeModels) -> None:
    """A summarizer that returns its input unchanged never shrinks: the rounds are capped."""
    engine = Engine(backend="fake")
    model = engine.summarizer.model  # type: ignore[attr-defined]
    model.generate = lambda texts, *a, **k: list(texts)  # type: ignore[method-assign]
    model.spec = model.spec.__class__(**{**vars(model.spec), "max_input_tokens": 30})
    text = "\n".join(
        f"قال المسؤول رقم {i} إن العمل في المشروع مستمر حتى نهاية العام." for i in range(20)
    )
    result = engine.brief(article(text))
    assert result.stats.reduce_rounds == MAX_REDUCE_ROUNDS
    assert any("still exceed one chunk" in w for w in result.warnings)
