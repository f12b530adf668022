"""The documented Python API: the README's example runs as written (on the demo models), and
`result.to_dict()` is exactly the CLI's `-f json` for the same input and options."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarize
from summarize.cli import app
from tests.fakes import FakeModels
from tests.samples import SAMPLES_DIR, sample

REPO = Path(__file__).resolve().parent.parent
SAMPLE = sample("tokayev-sco-interview-with-lang-switcher.txt")


def readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- python-api-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "README.md has no Python API example after <!-- python-api-example -->"
    return match[1]


def without_timings(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "timings"}


@pytest.fixture
def demo_cwd(tmp_path: Path, tiny_mt5_dir: Path, tiny_marian_dir: Path) -> Path:
    """A folder laid out as after `summarize models demo demo/` in a checkout."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mt5").symlink_to(tiny_mt5_dir)
    (tmp_path / "demo" / "marian").symlink_to(tiny_marian_dir)
    (tmp_path / "samples").symlink_to(SAMPLES_DIR)
    return tmp_path


def test_readme_example_runs_as_written_and_matches_the_cli(
    demo_cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo_cwd)
    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_example(), "README.md", "exec"), namespace)  # noqa: S102
    result = namespace["result"]
    assert isinstance(result, summarize.Result) and result.summary
    assert printed.getvalue().count("|") >= len(result.summary)
    cli = CliRunner().invoke(
        app,
        ["brief", "samples/tokayev-sco-interview-with-lang-switcher.txt", "--summarizer",
         "demo/mt5", "--translator", "demo/marian", "-f", "json"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.stderr
    assert without_timings(json.loads(cli.stdout)) == without_timings(namespace["data"])  # type: ignore[arg-type]


def test_one_call_helpers_and_errors(fake_models: FakeModels) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    brief = summarize.brief(text, backend="fake")
    assert brief.kind == "brief" and brief.summary and brief.source == "-"
    translation = summarize.translate(text, backend="fake", source="sco.txt")
    assert translation.kind == "translation" and translation.source == "sco.txt"
    doc = summarize.sentences(text)
    assert doc.title == brief.title.ar  # type: ignore[union-attr]
    assert [[s.text for s in p] for p in summarize.text.paragraphs(doc.sentences)] == brief.article
    with pytest.raises(summarize.NotArabic) as caught:
        summarize.brief("The minister said the plan is ready.", backend="fake")
    assert caught.value.exit_code == 6


def test_run_many_streams_each_article_with_its_index(fake_models: FakeModels) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    engine = summarize.Engine(backend="fake")
    seen = list(engine.run_many("translate", [text, "English only.", text]))
    assert sorted(i for i, _ in seen) == [0, 1, 2]
    by_index = dict(seen)
    assert isinstance(by_index[1], summarize.NotArabic)
    assert by_index[0].to_dict()["translation"] == by_index[2].to_dict()["translation"]  # type: ignore[union-attr]


def test_a_path_is_read_as_a_file_and_a_str_is_the_text(
    fake_models: FakeModels, tmp_path: Path
) -> None:
    """A pathlib.Path names the article's file (read as read_article reads it); a str is the
    text itself; anything else is a TypeError that says what an article can be."""
    engine = summarize.Engine(backend="fake")
    by_path = engine.brief(SAMPLE).to_dict()
    by_file = engine.brief(summarize.read_article(str(SAMPLE))).to_dict()
    assert without_timings(by_path) == without_timings(by_file)
    assert by_path["source"] == str(SAMPLE)
    assert summarize.sentences(SAMPLE) == summarize.sentences(SAMPLE.read_text(encoding="utf-8"))
    missing = tmp_path / "gone.txt"
    results = engine.brief_many([SAMPLE, missing])  # a path that cannot be read: its error
    assert isinstance(results[0], summarize.Brief)
    assert isinstance(results[1], summarize.SummarizeError) and "gone.txt" in str(results[1])
    with pytest.raises(TypeError, match="an article is an Article, its text"):
        engine.translate(b"bytes")  # type: ignore[arg-type]


def test_progress_events_reach_a_library_caller(fake_models: FakeModels) -> None:
    events: list[summarize.Progress] = []
    summarize.Engine(backend="fake", progress=events.append).brief(SAMPLE.read_text("utf-8"))
    stages = [e.stage for e in events]
    assert stages[0].startswith("loading") and "summarizing" in stages and "translating" in stages
    assert os.environ.get("SUMMARIZE_BACKEND") == "fake"  # the fixture's, for the CLI
