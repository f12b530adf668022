"""Work hidden behind loading (summarize/pipeline/overlap.py, the engine's brief): the translator
loads beside the summarizer and translates the headline early only when the cores allow; a
batch met again is not run again (BatchMemo); a load that fails still fails the run."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from summarize import Engine
from summarize.backends.base import BatchMemo, TokenizedModel, remember_batches
from summarize.backends.model import BatchDone
from summarize.cpus import CpuSettings
from summarize.errors import ModelError
from summarize.pipeline import engine as engine_module
from summarize.pipeline.overlap import AsideLoad
from summarize.progress import Progress, Throughput
from summarize.registry import load_registry
from tests.fakes import FakeModels
from tests.samples import sample

# -- AsideLoad ---------------------------------------------------------------------------


def test_early_work_runs_while_the_foreground_loads_and_the_foreground_waits_for_it() -> None:
    events: list[str] = []

    def early(model: str) -> None:
        time.sleep(0.2)
        events.append(f"early with {model}")

    aside = AsideLoad(lambda: "model", early=early, threads_of=lambda _: 1, spare=1)
    assert aside.result() == "model"
    time.sleep(0.05)  # the foreground is still "loading"
    aside.foreground_loaded()
    events.append("foreground runs")
    assert events == ["early with model", "foreground runs"] and aside.early_ran


def test_early_work_that_needs_more_threads_than_are_spare_does_not_run() -> None:
    ran: list[str] = []
    aside = AsideLoad(lambda: "m", early=ran.append, threads_of=lambda _: 2, spare=1)
    aside.join()
    aside.foreground_loaded()
    assert ran == [] and not aside.early_ran


def test_early_work_does_not_start_once_the_foreground_has_loaded() -> None:
    release = threading.Event()
    ran: list[str] = []

    def load() -> str:
        release.wait(10)
        return "m"

    aside = AsideLoad(load, early=ran.append, threads_of=lambda _: 1, spare=1)
    aside.foreground_loaded()  # before the model is there: nothing must start after this
    release.set()
    aside.join()
    assert ran == [] and aside.result() == "m"


def test_a_failed_load_is_raised_to_whoever_waits_and_failed_early_work_is_dropped() -> None:
    def fail() -> str:
        raise ModelError("broken model")

    with pytest.raises(ModelError, match="broken model"):
        AsideLoad(fail).result()

    def boom(_: str) -> None:
        raise RuntimeError("early work failed")

    aside = AsideLoad(lambda: "m", early=boom, threads_of=lambda _: 1, spare=4)
    aside.join()
    aside.foreground_loaded()
    assert aside.result() == "m" and not aside.early_ran


# -- BatchMemo -----------------------------------------------------------------------------


class Recording(TokenizedModel):
    """A TokenizedModel whose batches are recorded; each output names its batch."""

    def __init__(self) -> None:
        spec = load_registry().default("translator")
        super().__init__(spec, tokenizer=None, info={"backend": "test"}, cap=512)
        self.ran: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def run_batches(
        self,
        texts: Sequence[str],
        plan: list[list[int]],
        bounds: Sequence[int],
        mins: Sequence[int],
        *,
        on_batch: BatchDone | None = None,
    ) -> list[str]:
        results = [""] * len(texts)
        for batch in plan:
            self.ran.append([texts[i] for i in batch])
            for i in batch:
                results[i] = f"{texts[i]} (with {len(batch) - 1} others, bound {bounds[i]})"
            if on_batch is not None:
                on_batch(batch)
        return results


def test_a_batch_met_again_is_taken_from_the_memo_and_other_batches_still_run() -> None:
    model = Recording()
    headline = "a short headline"
    long_lines = ["one two three four five six seven eight nine ten eleven twelve"] * 2
    assert remember_batches(model)
    early = model.generate([headline], [20])
    heard: list[list[int]] = []
    later = model.generate([*long_lines, headline], [40, 40, 20], on_batch=heard.append)
    assert later[2] == early[0] and model.memo is not None and model.memo.hits == 1
    assert model.ran == [[headline], long_lines]  # the headline ran once
    assert sorted(heard) == [[0, 1], [2]]  # progress hears the remembered batch too


def test_the_memo_is_keyed_by_everything_that_decides_a_batch() -> None:
    model = Recording()
    remember_batches(model)
    model.generate(["a b c"], [20])
    model.generate(["a b c"], [21])  # another bound
    model.generate(["a b c"], [20], [5])  # another minimum
    model.generate(["a b c", "d e f"], [20, 20])  # other neighbours
    assert len(model.ran) == 4


def test_without_remember_batches_every_call_runs_and_the_memo_forgets_the_oldest() -> None:
    model = Recording()
    model.generate(["a b c"], [20])
    model.generate(["a b c"], [20])
    assert len(model.ran) == 2 and model.memo is None
    memo = BatchMemo(size=2)
    for n in range(3):
        memo.put(((str(n), 1, 0),), [str(n)])
    assert memo.get((("0", 1, 0),)) is None and memo.get((("2", 1, 0),)) == ["2"]
    assert not remember_batches(object())  # a plugin's model is left alone


# -- the engine's brief ------------------------------------------------------------------


@pytest.fixture
def aside(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake backend's models count as quick to load, as a converted CTranslate2 model."""
    monkeypatch.setattr(engine_module, "loads_quickly", lambda spec, options: True)


def test_a_translator_that_fails_to_load_beside_fails_the_run_not_an_article(
    fake_models: FakeModels, aside: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = fake_models.load

    def load(spec: Any, options: Any) -> Any:
        if spec.role == "translator":
            raise ModelError("the translator's files are damaged")
        return original(spec, options)

    monkeypatch.setattr(fake_models, "load", load)
    from summarize.backends import register_backend

    register_backend("fake", load)
    with pytest.raises(ModelError, match="damaged"):
        Engine(backend="fake").brief_many(
            [sample("qatar-emir-state-visit-kazakhstan.txt").read_text(encoding="utf-8")] * 2
        )


def test_the_briefs_translator_loads_beside_the_summarizer_with_the_cpus_threads(
    fake_models: FakeModels, aside: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, str] = {}
    original = fake_models.load

    def load(spec: Any, options: Any) -> Any:
        threads[spec.role] = threading.current_thread().name
        return original(spec, options)

    from summarize.backends import register_backend

    register_backend("fake", load)
    monkeypatch.setattr(
        engine_module, "cpu_settings", lambda: CpuSettings(brief_translator="one-worker")
    )
    result = Engine(backend="fake", threads=2).brief(
        sample("qatar-emir-state-visit-kazakhstan.txt").read_text(encoding="utf-8")
    )
    assert result.summary and threads == {
        "translator": "summarize-load",
        "summarizer": threading.main_thread().name,
    }
    by_role = {o.one_batch for o in fake_models.options}
    assert by_role == {True, None}  # the translator one batch at a time; the summarizer by role


def test_one_thread_loads_the_models_one_after_the_other(
    fake_models: FakeModels, aside: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    original = fake_models.load

    def load(spec: Any, options: Any) -> Any:
        threads.append(threading.current_thread().name)
        return original(spec, options)

    from summarize.backends import register_backend

    register_backend("fake", load)
    monkeypatch.setattr(
        engine_module, "cpu_settings", lambda: CpuSettings(brief_translator="workers")
    )
    Engine(backend="fake", threads=1).brief(
        sample("qatar-emir-state-visit-kazakhstan.txt").read_text(encoding="utf-8")
    )
    assert threads == [threading.main_thread().name] * 2
    assert {o.one_batch for o in fake_models.options} == {None}  # workers: the role decides
    # the brief's translator: no more workers than its calls have batches; the summarizer: all
    assert sorted(str(o.call_batches) for o in fake_models.options) == ["2", "None"]


def test_the_translators_threads_follow_the_size_of_its_calls(
    fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A brief's translator is sized for the brief's small calls; a translation's (a whole
    article, many batches) keeps one-thread workers."""
    monkeypatch.setattr(
        engine_module, "cpu_settings", lambda: CpuSettings(brief_translator="workers")
    )
    roles: list[str] = []
    original = fake_models.load

    def load(spec: Any, options: Any) -> Any:
        roles.append(spec.role)
        return original(spec, options)

    from summarize.backends import register_backend

    register_backend("fake", load)
    text = sample("qatar-emir-state-visit-kazakhstan.txt").read_text(encoding="utf-8")
    Engine(backend="fake", threads=8).brief(text)
    Engine(backend="fake", threads=8).translate(text)
    got = [
        (role, o.one_batch, o.call_batches)
        for role, o in zip(roles, fake_models.options, strict=True)
    ]
    assert got == [
        ("translator", None, 2),
        ("summarizer", None, None),
        ("translator", None, None),
    ], got


def test_overlapping_loads_count_as_loading_from_the_first_start_to_the_last_end() -> None:
    now = [0.0]
    t = Throughput(clock=lambda: now[0])
    for at, event in [
        (0.0, Progress("loading summarizer x", 0, 1)),
        (1.0, Progress("loading translator y", 0, 1)),
        (2.0, Progress("loading translator y", 1, 1)),
        (5.0, Progress("loading summarizer x", 1, 1)),
        (9.0, Progress("files", 1, 2, "a", "ok")),
    ]:
        now[0] = at
        t.update(event)
    assert t.loading == 5.0 and t.work_seconds() == 4.0
