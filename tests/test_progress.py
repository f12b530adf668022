"""What a person sees while work runs: stage progress that moves as batches finish, an honest
time left, and log lines that never glue onto the spinner's line."""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarize.cli.common import setup_logging, stage_progress
from summarize.progress import Progress
from tests.fakes import FakeModels

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def screen_lines(text: str) -> list[str]:
    """TEXT as lines, control sequences gone; a carriage return starts a line over."""
    return [line for line in re.split(r"[\r\n]", ANSI.sub("", text)) if line.strip()]


def test_log_lines_never_glue_onto_the_spinner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `… loading the checkpoint (1 s) 1/3summarize: converted marian in 3 s`. The log
    handler held the stderr it was made with and wrote behind the spinner's back."""
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    setup_logging(False)
    with stage_progress(False) as update:
        assert update is not None, "a terminal gets a spinner"
        update(Progress("converting marian to CTranslate2", 1, 3))
        logging.getLogger("summarize").info("converted marian in 3 s")
        logging.getLogger("summarize").warning("a warning, too")
        update(Progress("converting marian to CTranslate2", 2, 3))
    lines = screen_lines(err.getvalue())
    assert "summarize: converted marian in 3 s" in lines, lines
    assert "summarize: WARNING: a warning, too" in lines, lines
    assert any("converting marian to CTranslate2 1/3" in line for line in lines), lines


# -- the events: as model batches finish ------------------------------------------------------


def long_article(words: int) -> str:
    """An Arabic article of about WORDS words: the samples' sentences over and over, in
    paragraphs, each sentence made distinct by a number."""
    from tests.samples import SAMPLES

    sentences = [
        s.strip() + "."
        for path in SAMPLES
        for s in path.read_text(encoding="utf-8").replace("\n", " ").split(".")
        if len(s.split()) > 6
    ]
    out, count, n = [], 0, 0
    while count < words:
        sentence = f"{sentences[n % len(sentences)][:-1]} {n}."
        out.append(sentence + ("\n\n" if n % 5 == 4 else " "))
        count += len(sentence.split())
        n += 1
    return "".join(out)


def stage_events(events: list[Progress], stage: str) -> list[tuple[int, int]]:
    return [(e.done, e.total) for e in events if e.stage == stage]


def test_a_long_brief_reports_as_map_batches_finish(fake_models: FakeModels) -> None:
    """Before: `summarizing 0/98` for the whole map round, then `98/98`."""
    import summarize

    events: list[Progress] = []
    engine = summarize.Engine(backend="fake", progress=events.append)
    brief = engine.brief(long_article(20_000))
    chunks = brief.stats.chunks
    assert chunks > 30
    summarizing = stage_events(events, "summarizing")
    assert summarizing[0] == (0, chunks) and summarizing[-1] == (chunks, chunks)
    assert [done for done, _ in summarizing] == [*range(0, chunks, 4), chunks]  # every batch
    assert {e.unit for e in events if e.stage == "summarizing"} == {"chunks"}
    translating = stage_events(events, "translating")
    lines = len(brief.summary) + (brief.title is not None)
    assert translating[0] == (0, lines) and translating[-1] == (lines, lines)
    assert len(translating) == 1 + -(-lines // 4), "one event per batch of the fake's 4"
    for stage in ("summarizing", "translating"):
        done = [d for d, _ in stage_events(events, stage)]
        assert done == sorted(done), "progress never goes back"


def test_reduce_rounds_report_per_batch_too(fake_models: FakeModels) -> None:
    """A summarizer whose partial summaries stay long: each reduce round is its own stage,
    reported batch by batch."""
    import summarize

    events: list[Progress] = []
    summarize.Engine(backend="fake", progress=events.append).brief(long_article(20_000))
    rounds = sorted({e.stage for e in events if e.stage.startswith("reduce round")})
    assert rounds, [e.stage for e in events]
    for stage in rounds:
        done = [d for d, _ in stage_events(events, stage)]
        total = stage_events(events, stage)[0][1]
        assert done[0] == 0 and done[-1] == total and len(done) == 1 + -(-total // 4)


def test_a_split_sentence_counts_once_all_its_pieces_are_translated() -> None:
    from summarize.progress import per_batch

    events: list[Progress] = []
    # texts 0, 1 and 2 are pieces of sentence 0; text 3 is sentence 1; sentence 2 is empty
    finished = per_batch(events.append, "translating", [0, 0, 0, 1], 3, "sentences")
    assert finished is not None
    finished([3, 0])
    finished([1])
    finished([2])
    assert [(e.done, e.total) for e in events] == [(1, 3), (2, 3), (2, 3), (3, 3)]
    assert per_batch(None, "translating", [0], 1, "sentences") is None, "nobody listens"


def test_real_backends_report_each_batch(tiny_mt5_dir: Path, tiny_marian_dir: Path) -> None:
    """The shared batching of the built-in backends (CTranslate2 by default, transformers
    for the reference path) calls on_batch once per planned batch, with its indices."""
    from summarize.backends import LoadOptions, load_model
    from summarize.backends.base import plan_batches
    from summarize.registry import resolve

    for backend in ("ctranslate2", "transformers"):
        options = LoadOptions(backend=backend, threads=1, precision="fp32")
        model = load_model(resolve(str(tiny_marian_dir), "translator", _registry()), options)
        texts = [" ".join(["كلمة"] * (1 + i % 17)) for i in range(70)]
        heard: list[Sequence[int]] = []
        out = model.generate(texts, [4] * len(texts), on_batch=heard.append)
        lengths = [model.count_tokens(t) for t in texts]
        plan = plan_batches(lengths, model.max_batch, model.max_batch_tokens, [4] * len(texts))
        assert len(out) == len(texts) and len(heard) == len(plan) > 1, backend
        assert sorted(i for b in heard for i in b) == list(range(len(texts)))


def _registry() -> Any:
    from summarize.registry import load_registry

    return load_registry()


# -- the time left, and the line a person reads ----------------------------------------------


def test_the_time_left_comes_from_the_stage_own_pace() -> None:
    from summarize.progress import StageClock

    now = [100.0]
    clock = StageClock(lambda: now[0])
    assert clock.update(Progress("summarizing", 0, 98)) is None, "no guess before a unit"
    now[0] += 0.5
    assert clock.update(Progress("summarizing", 6, 98)) is None, "nor in the first second"
    now[0] += 9.5  # 10 s for 12 chunks: 86 left take about 72 s
    assert clock.update(Progress("summarizing", 12, 98)) == pytest.approx(10 * 86 / 12)
    now[0] += 30
    assert clock.update(Progress("summarizing", 98, 98)) is None, "done: nothing left to say"
    assert clock.update(Progress("reduce round 1", 0, 12)) is None, "a new stage starts over"
    now[0] += 4
    assert clock.update(Progress("reduce round 1", 6, 12)) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0.2, "about 1 s left"), (42.4, "about 42 s left"), (150, "about 2 min left"),
     (3725, "about 1 h 02 min left")],
)  # fmt: skip
def test_time_left_reads_like_a_person_says_it(seconds: float, said: str) -> None:
    from summarize.progress import time_left

    assert time_left(seconds) == said


def test_the_spinner_line_names_units_and_time_left() -> None:
    from summarize.cli.common import stage_line

    event = Progress("summarizing", 12, 98, unit="chunks")
    assert stage_line(event, 72.0) == "summarizing 12/98 chunks · about 1 min left"
    assert stage_line(Progress("translating", 0, 40, unit="sentences"), None) == (
        "translating 0/40 sentences"
    )
    assert stage_line(Progress("loading translator opus-mt-ar-en", 0, 1), None) == (
        "loading translator opus-mt-ar-en"
    )


@pytest.mark.parametrize("width", [80, 120])
def test_the_batch_bar_cuts_the_file_name_never_the_counts(width: int) -> None:
    """Before, at 80 columns: `batch ━━━━ 5/5 100% 156… 0:00… ETA` and the time wrapped."""
    from rich.console import Console

    from summarize.cli.batch import file_progress

    out = Terminal()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    name = "tokayev-sco-interview-with-lang-switcher-" * 3 + ".txt"
    with file_progress(console, quiet=False) as update:
        assert update is not None
        update(Progress("files", 0, 500))
        update(Progress("files", 1, 500, name, "ok"))
        update(Progress("files", 2, 500, name, "ok"))
    last = screen_lines(out.getvalue())[-1]
    assert len(last) <= width and last.startswith("batch "), last
    assert re.search(r" 2/500 .*files/min \d+:\d\d:\d\d ETA \d+:\d\d:\d\d tokayev-sco", last), last
    assert last.endswith("…"), "the name is what gives way"
