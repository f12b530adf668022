"""Run-on text: a "sentence" over 80 words (bullet runs joined by « - » or «•», a label's colon,
long «،» chains) is cut for the models at its strongest internal boundary, so that no summary
line and no translation unit is a run-on; `explain` shows each cut."""

from __future__ import annotations

import pytest

import summarize
from summarize.chunking import model_units, split_for_models
from summarize.text import RUN_ON_WORDS, Sentence, explain, read_document, split_run_on
from tests import corpora
from tests.fakes import FakeModels

CLAUSE = "وأكد المسؤول في تصريحه أمس أن العمل في المشروع يسير وفق الجدول المحدد له"  # 14 words


def chain(n: int, sep: str = "، ") -> str:
    return sep.join([CLAUSE] * n) + "."


def words(text: str) -> int:
    return len(text.split())


def test_a_short_sentence_is_one_piece() -> None:
    text = chain(3)
    assert split_run_on(text) == [(text, "")]


@pytest.mark.parametrize("n", [6, 10, 22])
def test_a_comma_chain_is_cut_into_pieces_that_tile_it(n: int) -> None:
    text = chain(n)
    pieces = split_run_on(text)
    assert "".join(p for p, _ in pieces) == text
    assert all(words(p) <= RUN_ON_WORDS for p, _ in pieces)
    assert {r for _, r in pieces[1:]} == {"comma-chain"}
    assert all(p.rstrip().endswith(("،", ".")) for p, _ in pieces)


def test_a_bullet_or_dash_run_is_cut_at_every_item() -> None:
    items = [f"البند رقم {k} يتضمن تطوير الخدمات المقدمة للمواطنين في المنطقة" for k in range(9)]
    for mark, rule in (("•", "bullet"), ("-", "dash-run")):
        text = "وتشمل الخطة ما يلي " + " ".join(f"{mark} {item}" for item in items)
        pieces = split_run_on(text)
        assert [r for _, r in pieces] == ["", *[rule] * 9], mark
        assert pieces[3][0].startswith(f"{mark} البند رقم 2")


def test_asides_ranges_and_quotes_are_not_dash_cuts() -> None:
    text = (
        chain(3, sep="، ")[:-1]
        + "، فيما حمله - رعاه الله - تحياته له خلال الفترة 2015 - 2016، "
        + chain(4)
    )
    assert all(r != "dash-run" for _, r in split_run_on(text))


def test_a_label_colon_is_a_cut_but_a_quotation_is_not() -> None:
    body = " ".join([CLAUSE] * 7)
    labelled = split_run_on(f"الموقف الأمريكي في الخليج: {body}.")
    assert labelled[1][1] == "label-colon" and labelled[0][0] == "الموقف الأمريكي في الخليج: "
    quoted = split_run_on(f"وقال الوزير: {body}.")
    assert all(r != "label-colon" for _, r in quoted)


def test_units_keep_their_sentence_and_mark_list_items() -> None:
    items = " ".join(
        f"- البند {k} يتضمن تطوير الخدمات المقدمة للمواطنين في المنطقة" for k in range(9)
    )
    sentences = [Sentence("جملة قصيرة.", 0, 11, 0), Sentence("وتشمل الخطة " + items, 12, 0, 0)]
    units = model_units(sentences)
    assert units[0].text == "جملة قصيرة." and units[0].sentence == 0
    assert {u.sentence for u in units[1:]} == {1}
    assert [u.list_item for u in units[1:]] == [False, *[True] * 9]


def test_split_for_models_tiles_and_fits() -> None:
    text = chain(20)
    pieces = split_for_models(text, lambda t: len(t.split()) + 2, 40)
    assert "".join(pieces) == text
    assert all(words(p) <= RUN_ON_WORDS and words(p) + 2 <= 40 for p in pieces)


def test_explain_shows_each_cut() -> None:
    decisions = [d for d in explain(chain(12)) if d.step == "run-on"]
    assert decisions and all(d.rule == "comma-chain" and d.split for d in decisions)
    assert all("‖" in d.text for d in decisions)


def test_no_translation_unit_and_no_summary_line_is_a_run_on(fake_models: FakeModels) -> None:
    article = f"عنوان الخبر هنا\n\n{CLAUSE}.\n{chain(22)}\n{CLAUSE} في العام المقبل."
    translation = summarize.translate(article, backend="fake")
    units = fake_models.loaded["translator"].calls[-1]
    assert max(words(u) for u in units) <= RUN_ON_WORDS
    assert len(translation.translation[1]) == 1  # the run-on is still one sentence, one line
    brief = summarize.Engine(summarizer="extractive", backend="fake", sentences=5).brief(article)
    assert all(words(line.ar) <= RUN_ON_WORDS for line in brief.summary)
    positions = {(s.paragraph, s.index) for line in brief.summary for s in line.sources}
    assert (1, 0) in positions  # a piece's source is its sentence


def test_corpus_run_ons_are_cut_for_the_models() -> None:
    """On the shared corpora: every piece of every sentence is at most 80 words."""
    corpora.require("saudinewsnet")
    longest = 0
    for article in corpora.saudinewsnet() + corpora.ant():
        for sentence in read_document(article.page()).sentences:
            pieces = split_run_on(sentence.text)
            assert "".join(p for p, _ in pieces) == sentence.text
            longest = max(longest, *(words(p) for p, _ in pieces))
    assert longest <= RUN_ON_WORDS
