"""Speed work never changes an output: the same input and settings give the same bytes as the
code recorded in tests/data/reference-outputs.json: tools/reference_outputs.py wrote it from
main's code at 8eb3037, without this branch's speed work (the brief's translator loading beside
the summarizer, the headline translated early, the brief translator's threads, per-CPU compute
types). It was first recorded from 5371722; main's text changes since (read_document's one
numbering, furniture and run-on cuts) changed three samples' outputs, so it was recorded again
from main, never from this branch.

CTranslate2's output depends on the batch an input is decoded in (its neighbours, padding, the
vocabulary map of their pieces), so these tests also show that the recorded outputs would catch
a change of batch composition: they are not equal by accident of the tiny models.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from summarize import Engine, read_article
from summarize.backends import base
from summarize.cpus import CpuSettings
from tests.samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
RECORDED = json.loads((REPO / "tests" / "data" / "reference-outputs.json").read_text("utf-8"))
sys.path.insert(0, str(REPO / "tools"))
from reference_outputs import model_digest, outputs, short_registry  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tiny_marian_dir: Path, tiny_mt5_dir: Path) -> dict[str, Path]:
    found = {"marian": model_digest(tiny_marian_dir), "mt5": model_digest(tiny_mt5_dir)}
    assert found == RECORDED["models"], (
        "the tiny models are not the ones the outputs were recorded with (summarize/devmodels.py "
        "changed?): record them again from the commit you trust (tools/reference_outputs.py)"
    )
    return {"marian": tiny_marian_dir, "mt5": tiny_mt5_dir}


def differences(config: str, name: str, task: str, result: Any) -> list[str]:
    """Where RESULT's lines differ from the recorded ones, named (empty: the same bytes)."""
    want, got = RECORDED["outputs"][config][name][task], outputs(result)
    found = []
    for key in want:
        if want[key] != got.get(key):
            lines = want[key] if isinstance(want[key], list) else [want[key]]
            others = got.get(key) if isinstance(got.get(key), list) else [got.get(key)]
            changed = [i for i, (a, b) in enumerate(zip(lines, others, strict=False)) if a != b]
            found.append(f"{name} {task} {key}: lines {changed or 'count'} differ")
    return found


def engine(tiny: dict[str, Path], **keywords: Any) -> Engine:
    return Engine(summarizer=str(tiny["mt5"]), translator=str(tiny["marian"]), **keywords)


@pytest.mark.parametrize("threads", [None, 1], ids=["default-threads", "one-thread"])
def test_default_path_outputs_are_the_recorded_ones(
    tiny: dict[str, Path], threads: int | None
) -> None:
    """Each sample on its own engine, as a command runs it: brief (translator loaded beside the
    summarizer, headline translated early when the cores allow) and translate."""
    found = []
    for path in SAMPLES:
        for task in ("brief", "translate"):
            run = getattr(engine(tiny, threads=threads), task)
            found += differences("default", path.name, task, run(read_article(str(path))))
    assert not found


def test_outputs_do_not_depend_on_the_brief_translators_threads(
    tiny: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other thread plan a CPU's row can choose for a brief's translator: one worker with
    every thread (so no headline is translated early on two cores)."""
    from summarize.pipeline import engine as engine_module

    monkeypatch.setattr(
        engine_module, "cpu_settings", lambda: CpuSettings(brief_translator="one-worker")
    )
    found = []
    for path in SAMPLES:
        one = engine(tiny)
        found += differences("default", path.name, "brief", one.brief(read_article(str(path))))
        assert one.translator.info["threads"].startswith("1x")
    assert not found


@pytest.mark.parametrize("threads", [2, 4])
def test_batch_of_briefs_gives_each_article_its_recorded_outputs(
    tiny: dict[str, Path], threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several briefs at once: the summarizer gets two workers (the threads shared out among
    them) and two articles run at once, each decoded in the batches it has alone."""
    from summarize.pipeline import engine as engine_module

    at_once: list[int] = []
    as_completed = engine_module._as_completed

    def recording(one: Any, n: int, workers: int) -> Any:
        at_once.append(workers)
        return as_completed(one, n, workers)

    monkeypatch.setattr(engine_module, "_as_completed", recording)
    articles = [read_article(str(p)) for p in SAMPLES]
    several = engine(tiny, threads=threads)
    results = several.brief_many(articles)
    assert several.summarizer.model.info["threads"] == f"2x{threads // 2}"  # type: ignore[attr-defined]
    assert at_once == [2]
    found = []
    for path, result in zip(SAMPLES, results, strict=True):
        found += differences("default", path.name, "brief", result)
    assert not found


def test_reference_path_outputs_are_the_recorded_ones(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    """transformers fp32 (its translator also loads beside the summarizer), short outputs."""
    registry = short_registry(tmp_path)
    found = []
    for name in RECORDED["outputs"]["reference"]:
        for task in ("brief", "translate"):
            one = engine(tiny, backend="transformers", precision="fp32", registry=registry)
            result = getattr(one, task)(read_article(str(REPO / "samples" / name)))
            found += differences("reference", name, task, result)
    assert not found


def test_the_headline_translated_early_is_the_one_the_brief_uses(
    tiny: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With three threads (one-thread translator workers), the headline is translated while the
    summarizer loads, and the brief's own call takes it from there (when the headline is a batch
    of its own) instead of translating it again. The tiny summarizer loads in a blink, so here
    its load waits until the headline's translation has begun, as the real one's 585 MB take
    longer."""
    from summarize.pipeline import engine as engine_module

    warm = engine(tiny)  # both converted once: a first use converts in the foreground
    assert warm.translator and warm.summarizer
    early_started = threading.Event()
    real_load_model, real_early = engine_module.load_model, engine_module._translate_early

    def load_model(spec: Any, options: Any) -> Any:
        if spec.role == "summarizer":
            early_started.wait(30)  # the headline's translation has begun beside this load
        return real_load_model(spec, options)

    def translate_early(headline: str) -> Any:
        early = real_early(headline)

        def run(model: Any) -> None:
            early_started.set()
            early(model)

        return run

    monkeypatch.setattr(engine_module, "load_model", load_model)
    monkeypatch.setattr(engine_module, "_translate_early", translate_early)
    reused = 0
    for path in SAMPLES:
        article = read_article(str(path))
        (early_started.clear if engine_module.prepare(article).title else early_started.set)()
        one = engine(tiny, threads=3)
        result = one.brief(article)
        assert not differences("default", path.name, "brief", result)
        memo = getattr(one.translator, "memo", None)
        reused += bool(memo and memo.hits)
    assert reused >= 3  # the samples' headlines are shorter than their summary lines
    early_started.set()
    two = engine(tiny, threads=2)  # two cores: nothing is translated early
    two.brief(read_article(str(SAMPLES[0])))
    assert getattr(two.translator, "memo", None) is None


def test_a_changed_batch_composition_would_be_caught(
    tiny: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sentence of an article in one batch (other neighbours, other padding, another
    vocabulary map): the recorded outputs tell the difference."""

    def one_batch(lengths: Any, *args: Any, **kwargs: Any) -> list[list[int]]:
        return [list(range(len(lengths)))]

    monkeypatch.setattr(base, "plan_batches", one_batch)
    found = []
    for path in SAMPLES:
        found += differences(
            "default", path.name, "translate", engine(tiny).translate(read_article(str(path)))
        )
    assert found


def test_ctranslate2_decodes_the_planned_batches_and_never_splits_them(
    tiny: dict[str, Path],
) -> None:
    """Uneven lengths are handled by the planner (length-sorted batches within a token budget,
    a new batch where a text's bound falls below 0.8 of the batch's first), never by
    CTranslate2's own rebatching (``max_batch_size`` with ``batch_type="tokens"`` regroups a
    batch by its own sum of lengths: other neighbours, other outputs; bench/run.py's (j)
    measures it as an arm). Each planned batch is one asynchronous call with max_batch_size 0."""
    one = engine(tiny)
    model = one.translator
    calls: list[tuple[int, int]] = []
    real = model.model.translate_batch

    class Spy:
        def translate_batch(self, source: list[list[str]], **options: Any) -> Any:
            calls.append((len(source), options["max_batch_size"]))
            assert options["asynchronous"] is True
            return real(source, **options)

    model.model = Spy()
    texts = ["قال الوزير إن " * n + "انتهى." for n in (1, 1, 2, 9, 9, 30)]
    bounds = [16, 16, 24, 60, 60, 120]
    lengths = [model.count_tokens(t) for t in texts]
    plan = base.plan_batches(
        lengths, model.max_batch, model.max_batch_tokens, bounds, model.min_bound_ratio
    )
    assert len(plan) > 1  # uneven bounds are not decoded together
    model.generate(texts, bounds)
    assert calls == [(len(batch), 0) for batch in plan]
