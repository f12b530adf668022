"""What a run produces: a Brief or a Translation, both a Result, whose JSON is the documented
shape byte for byte; and the one Task type that names what a run makes."""

from __future__ import annotations

import json

import pytest

import summarize
from summarize.evaluation.references import scored_task
from summarize.results import Brief, BriefLine, ModelInfo, Result, Stats, Translation
from summarize.tasks import Task
from summarize.trust import Check, SourceRef
from tests.fakes import FakeModels
from tests.samples import sample

# Made by the single Result class tagged by a `kind` string, before the two types (with the
# "byline" the text work added since): the JSON must not move by a byte.
BRIEF_JSON = (
    '{"schema": "summarize/1", "kind": "brief", "source": "x.txt", "encoding": "utf-8", '
    '"published": "2026-01-02", "byline": null, "title": {"ar": "ع", "en": "T", "checks": '
    '[{"kind": "k", '
    '"value": "v"}]}, "summary": [{"ar": "أ", "en": "a", "sources": [{"paragraph": 0, '
    '"index": 1, "score": 0.5}], "checks": [{"kind": "lost_in_translation", "value": "27"}]}, '
    '{"ar": "ب", "en": "b", "sources": [], "checks": []}], "stats": {"words": 3, '
    '"sentences": 0, "paragraphs": 0, "chunks": 0, "reduce_rounds": 0, "summary_sentences": 0, '
    '"removed_lines": ["r"]}, "models": [{"role": "translator", "name": "n", "hub_id": "h", '
    '"revision": "r", "license": "MIT", "backend": "fake", "device": "cpu", "precision": '
    '"fp32"}], "timings": {"total_s": 1.0}, "warnings": ["w"], "article": [["s1", "s2"], '
    '["s3"]]}'
)
TRANSLATION_JSON = (
    '{"schema": "summarize/1", "kind": "translation", "source": "x.txt", "encoding": "utf-8", '
    '"published": "2026-01-02", "byline": null, "title": {"ar": "ع", "en": "T", "checks": '
    '[{"kind": "k", '
    '"value": "v"}]}, "translation": [{"paragraph": 0, "index": 0, "ar": "أ", "en": "a", '
    '"checks": [{"kind": "lost_in_translation", "value": "27"}]}, {"paragraph": 1, "index": 0, '
    '"ar": "ب", "en": "b", "checks": []}, {"paragraph": 1, "index": 1, "ar": "أ", "en": "a", '
    '"checks": [{"kind": "lost_in_translation", "value": "27"}]}], "stats": {"words": 3, '
    '"sentences": 0, "paragraphs": 0, "chunks": 0, "reduce_rounds": 0, "summary_sentences": 0, '
    '"removed_lines": ["r"]}, "models": [{"role": "translator", "name": "n", "hub_id": "h", '
    '"revision": "r", "license": "MIT", "backend": "fake", "device": "cpu", "precision": '
    '"fp32"}], "timings": {"total_s": 1.0}, "warnings": ["w"]}'
)


def shared() -> dict[str, object]:
    return {
        "stats": Stats(words=3, removed_lines=["r"]),
        "models": [ModelInfo("translator", "n", "h", "r", "MIT", "fake", "cpu", "fp32")],
        "timings": {"total_s": 1.0},
        "warnings": ["w"],
        "published": "2026-01-02",
    }


LINE = BriefLine("أ", "a", [SourceRef(0, 1, 0.5)], [Check("lost_in_translation", "27")])
TITLE = BriefLine("ع", "T", [], [Check("k", "v")])


def brief() -> Brief:
    summary = [LINE, BriefLine("ب", "b")]
    return Brief(
        "x.txt", "utf-8", TITLE, summary=summary, article=[["s1", "s2"], ["s3"]], **shared()
    )  # type: ignore[arg-type]


def translation() -> Translation:
    paragraphs = [[LINE], [BriefLine("ب", "b"), LINE]]
    return Translation("x.txt", "utf-8", TITLE, translation=paragraphs, **shared())  # type: ignore[arg-type]


def test_the_json_is_the_documented_shape_byte_for_byte() -> None:
    assert json.dumps(brief().to_dict(), ensure_ascii=False) == BRIEF_JSON
    assert json.dumps(translation().to_dict(), ensure_ascii=False) == TRANSLATION_JSON


def test_each_type_shows_and_locates_its_own_lines() -> None:
    assert [line.en for line in brief().lines] == ["a", "b"]
    assert brief().groups == [[LINE, BriefLine("ب", "b")]]
    assert [len(g) for g in translation().groups] == [1, 2]
    assert brief().failures() == ["title: k v", "line 1: lost_in_translation 27"]
    assert translation().failures() == [
        "title: k v",
        "paragraph 1 sentence 1: lost_in_translation 27",
        "paragraph 2 sentence 2: lost_in_translation 27",
    ]


def test_result_is_the_common_base_and_not_a_result_of_its_own() -> None:
    assert summarize.Result is Result and summarize.Brief is Brief
    assert isinstance(brief(), summarize.Result) and isinstance(translation(), Result)
    assert (Brief.kind, Translation.kind) == ("brief", "translation")
    with pytest.raises(TypeError):
        Result("x.txt", "utf-8", None)  # type: ignore[abstract]


def test_the_api_returns_the_type_of_its_task(fake_models: FakeModels) -> None:
    text = sample("tokayev-sco-interview-with-lang-switcher.txt").read_text(encoding="utf-8")
    engine = summarize.Engine(backend="fake")
    assert isinstance(engine.brief(text), Brief)
    assert isinstance(engine.translate(text), Translation)
    by_name = dict(engine.run_many("translate", [text]))
    by_task = dict(engine.run_many(Task.translate, [text]))
    assert isinstance(by_name[0], Translation) and isinstance(by_task[0], Translation)
    with pytest.raises(ValueError, match="'brief' or 'translate'"):
        list(engine.run_many("summary", [text]))


def test_one_task_type_with_evals_names_kept() -> None:
    assert Task.of("brief") is Task.brief and Task.of(Task.translate) is Task.translate
    assert Task.brief.roles == ("summarizer", "translator")
    assert Task.translate.roles == ("translator",)
    # `eval summarize` scores the brief task's summarizer; its JSON says "summarize"
    assert scored_task("summarize") is Task.brief and scored_task("translate") is Task.translate
    assert scored_task(Task.brief) is Task.brief
