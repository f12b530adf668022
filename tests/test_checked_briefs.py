"""Briefs a reader can check, wired end to end on the fake backend (tier b): every line's
sources and checks in JSON, the marks of every format, ``--strict`` and its exit code (one
document and JSON Lines), the extractive summarizer as a registry entry of its own kind.

The fake translator writes 'EN(<n words>): <first word>', so it loses every figure of its
Arabic and adds the count n; a test that needs a faithful translator sets
``fake_models.english``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import summarize
from summarize.batch.runner import settings_key
from summarize.cli import app
from summarize.errors import BatchIncomplete, ChecksFailed, RegistryError, UsageError
from summarize.pipeline.checking import checked_summary, weak_source_warning
from summarize.registry import load_registry, parse_registry, resolve
from summarize.render import print_rich, render
from summarize.results import Brief, BriefLine, checks_failed
from summarize.tasks import Task
from summarize.trust import Check, SourceRef
from tests.fakes import FakeModels
from tests.samples import sample
from tests.trust_support import INTERVIEW, NAMES, QATAR, article

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
SHIPPED = (REPO / "models.toml").read_text(encoding="utf-8")
DIGITS = re.compile(r"[0-9٠-٩]")


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def brief_json(*args: str) -> dict:
    code, out, err = run("brief", *args, "-f", "json")
    assert code == 0, err
    return json.loads(out)


# -- JSON: sources and checks of every line --------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("summarizer", ["mt5-xlsum", "extractive"])
def test_every_summary_line_has_sources_pointing_at_real_sentences(
    name: str, summarizer: str, fake_models: FakeModels
) -> None:
    data = brief_json(str(sample(name)), "--summarizer", summarizer)
    cleaned = article(name)
    # the article in the JSON is the cleaned article the summary was made from
    assert [s for para in data["article"] for s in para] == [s.text for s in cleaned.sentences]
    assert data["summary"]
    for line in data["summary"]:
        assert set(line) == {"ar", "en", "sources", "checks"}
        assert 1 <= len(line["sources"]) <= 3
        scores = [s["score"] for s in line["sources"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        for source in line["sources"]:
            assert set(source) == {"paragraph", "index", "score"}
            assert data["article"][source["paragraph"]][source["index"]].strip()
        for check in line["checks"]:
            assert set(check) == {"kind", "value"} and check["value"]
    if data["title"] is not None:
        assert set(data["title"]) == {"ar", "en", "checks"}


@pytest.mark.parametrize("name", NAMES)
def test_extractive_lines_are_exact_source_sentences_with_score_one(
    name: str, fake_models: FakeModels
) -> None:
    data = brief_json(str(sample(name)), "--summarizer", "extractive")
    assert len(data["summary"]) == data["stats"]["summary_sentences"] == 2  # the registry's
    for line in data["summary"]:
        (source,) = line["sources"]
        assert source["score"] == 1.0
        assert data["article"][source["paragraph"]][source["index"]] == line["ar"]
        kinds = {c["kind"] for c in line["checks"]}
        assert not kinds & {"weak_source", "unsupported_number", "unsupported_name"}
    summarizer = data["models"][0]
    assert summarizer["name"] == "extractive" and summarizer["backend"] == "builtin"
    assert summarizer["hub_id"] is None and summarizer["license"] == "Apache-2.0"
    assert "summarizer" not in fake_models.loaded, "no summarizer model is loaded"
    assert data["stats"]["chunks"] == 0


def test_sentences_chooses_how_many_and_only_for_the_extractive_summarizer(
    fake_models: FakeModels,
) -> None:
    data = brief_json(str(sample(QATAR)), "--summarizer", "extractive", "--sentences", "4")
    indices = [(s["sources"][0]["paragraph"], s["sources"][0]["index"]) for s in data["summary"]]
    assert len(indices) == 4 and indices == sorted(indices), "in article order"
    code, _, err = run("brief", str(sample(QATAR)), "--sentences", "3")
    assert code == UsageError.exit_code
    assert "--sentences applies to the extractive summarizer" in err and "mt5-xlsum" in err
    code, _, err = run("translate", str(sample(QATAR)), "--sentences", "3")
    assert code == 2 and "--sentences" in err
    with pytest.raises(UsageError):
        summarize.Engine(summarizer="arabart", sentences=2)
    engine = summarize.Engine(summarizer="extractive", sentences=3)
    assert engine.summarizer_spec.sentences == 3


def test_translation_lines_carry_checks_and_their_position(fake_models: FakeModels) -> None:
    fake_models.english = lambda ar: DIGITS.sub("", ar)  # a translator that drops digits
    code, out, err = run("translate", str(sample(QATAR)), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    for line in data["translation"]:
        assert set(line) == {"paragraph", "index", "ar", "en", "checks"}
        lost = {c["value"] for c in line["checks"] if c["kind"] == "lost_in_translation"}
        assert {c["kind"] for c in line["checks"]} <= {"lost_in_translation"}
        for figure in re.findall(r"\d+", line["ar"]):
            assert any(figure in value for value in lost), (figure, lost)
    positions = [(line["paragraph"], line["index"]) for line in data["translation"]]
    assert positions[:3] == [(0, 0), (1, 0), (2, 0)] and len(set(positions)) == len(positions)


def test_a_weakly_supported_line_gets_a_check_and_a_warning() -> None:
    job = article(INTERVIEW)
    foreign = "أعلنت الحكومة المصرية عن خطة جديدة لدعم قطاع السياحة في الأقصر وأسوان."
    faithful = job.sentences[0].text
    lines = checked_summary([(faithful, "x"), (foreign, "y")], job)
    assert not [c for c in lines[0].checks if c.kind == "weak_source"]
    (weak,) = [c for c in lines[1].checks if c.kind == "weak_source"]
    assert float(weak.value) < 0.5 and lines[1].sources, "a weak line still names its best"
    (warning,) = weak_source_warning(lines)
    assert warning.startswith("summary line 2 (") and "check against the article" in warning
    # the warning names the brackets the share is in: parentheses
    assert "brackets" not in warning and "(the share it supports in parentheses)" in warning


# -- --strict: a distinct exit code; JSON Lines per line ---------------------------------


def test_strict_exits_13_after_writing_the_whole_output(fake_models: FakeModels) -> None:
    qatar = str(sample(QATAR))
    code, out, _ = run("brief", qatar, "--summarizer", "extractive", "-f", "json")
    assert code == 0, "without --strict failed checks do not change the exit code"
    code, out, err = run("brief", qatar, "--summarizer", "extractive", "-f", "json", "--strict")
    assert code == ChecksFailed.exit_code == 13
    data = json.loads(out)  # the output is complete
    assert any(line["checks"] for line in data["summary"])
    assert err.count("\n") == 1 and "check(s) failed" in err and "lost_in_translation" in err
    code, _, err = run("translate", qatar, "-f", "markdown", "--strict")
    assert code == 13 and "paragraph 1 sentence 1:" in err


def test_strict_passes_when_no_check_fails(fake_models: FakeModels) -> None:
    fake_models.english = lambda ar: ar  # keeps every figure, adds none
    for command in ("brief", "translate"):
        extra = ["--summarizer", "extractive"] if command == "brief" else []
        code, _, err = run(command, str(sample(QATAR)), *extra, "--strict")
        assert code == 0, err


def test_strict_jsonl_marks_each_failing_line_and_goes_on(fake_models: FakeModels) -> None:
    fake_models.english = lambda ar: DIGITS.sub("", ar)
    with_figure = "قال الوزير إن 27 دولة شاركت في القمة التي عقدت في العاصمة هذا الأسبوع."
    without = "قال الوزير إن الدول شاركت في القمة التي عقدت في العاصمة هذا الأسبوع."
    records = [{"id": "a", "text": with_figure}, {"id": "b", "text": without}]
    stream = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    args = ["brief", "-", "--input", "jsonl", "--summarizer", "extractive", "--strict"]
    code, out, err = run(*args, input=stream)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == ChecksFailed.exit_code and "1 of 2 JSON Lines records failed their checks" in err
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["exit_code"] == 13 and "lost_in_translation 27" in rows[0]["error"]
    assert rows[0]["summary"][0]["checks"] == [{"kind": "lost_in_translation", "value": "27"}]
    assert "error" not in rows[1] and rows[1]["summary"]
    # a record that fails outright outranks failed checks: the stream's code is then 11
    stream += json.dumps({"id": "c", "text": "hello world"}) + "\n"
    code, out, _ = run(*args, input=stream)
    assert code == BatchIncomplete.exit_code and len(out.splitlines()) == 3
    # without --strict, the same stream has no error for a failed check
    code, out, _ = run(*args[:-1], input=stream)
    assert code == BatchIncomplete.exit_code
    assert "error" not in json.loads(out.splitlines()[0])


# -- what people see: marks and sources in every format ----------------------------------


def checked_result() -> Brief:
    source = "وتضم منظمة سيكا 27 دولة عضوا، وتسعى إلى تعزيز التعاون في آسيا."
    other = "وتأسست المنظمة عام 1992 بمبادرة من كازاخستان."
    line = BriefLine(
        "تضم منظمة سيكا 27 دولة وتأسست عام 1992.",
        "CICA has member states and was founded in 1992.",
        [SourceRef(0, 1, 0.71), SourceRef(1, 0, 0.4)],
        [Check("lost_in_translation", "27")],
    )
    return Brief(
        source="x.txt",
        encoding="utf-8",
        title=BriefLine("عنوان الخبر", "The headline"),
        summary=[line, BriefLine(other, "Founded in 1992.", [SourceRef(1, 0, 1.0)])],
        article=[["جملة أولى.", source], [other]],
    )


def test_markdown_marks_the_line_and_quotes_its_sources_in_footnotes() -> None:
    md = render(checked_result(), "markdown")
    row = next(line for line in md.splitlines() if line.startswith("| CICA"))
    assert "⚠ **lost in translation: 27**" in row and row.endswith("[^1] |")
    assert "[^1]: sources: ¶1.2 (0.71) وتضم منظمة سيكا 27 دولة" in md
    assert "· ¶2.1 (0.40) وتأسست المنظمة عام 1992" in md
    assert "[^2]: sources: ¶2.1 (1.00)" in md
    assert "1 failed check" in md


def test_text_marks_checks_and_lists_sources_when_asked() -> None:
    plain = render(checked_result(), "text")
    assert "   ⚠ lost in translation: 27" in plain and "¶1.2" not in plain
    with_sources = render(checked_result(), "text", sources=True)
    assert "   ¶1.2 (0.71) وتضم منظمة سيكا 27 دولة" in with_sources


def test_terminal_table_marks_checks_and_shows_sources_with_the_option() -> None:
    for sources in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=True, width=140, color_system=None)
        print_rich(checked_result(), console, sources=sources)
        table = buffer.getvalue()
        assert "⚠ lost in translation: 27" in table
        assert ("¶1.2 (0.71)" in table) is sources
        assert ("وتضم منظمة سيكا 27" in table) is sources


def test_cli_sources_option_and_marks_through_every_format(fake_models: FakeModels) -> None:
    qatar = str(sample(QATAR))
    base = ["brief", qatar, "--summarizer", "extractive", "--sentences", "3"]
    code, out, _ = run(*base, "-f", "text", "--sources")
    assert code == 0 and "¶1.1 (1.00) بدأ أمير قطر" in out and "⚠ lost in translation" in out
    code, out, _ = run(*base, "-f", "markdown")
    assert "⚠ **lost in translation: " in out and "[^1]: sources: ¶1.1 (1.00)" in out
    code, out, _ = run(*base, "-f", "html")
    assert '<li class="check lost_in_translation">⚠ lost in translation: <bdi>' in out
    assert 'id="s-0-0"' in out and 'href="#s-0-0"' in out


def test_checks_failed_names_lines_and_counts() -> None:
    result = checked_result()
    failed = checks_failed(result)
    assert isinstance(failed, ChecksFailed) and failed.exit_code == 13
    assert str(failed) == "x.txt: 1 check(s) failed on 1 line(s): line 1: lost_in_translation 27"
    result.summary[0].checks = []
    assert checks_failed(result) is None


# -- the extractive summarizer in the registry ---------------------------------------------


def test_registry_has_an_extractive_entry_of_its_own_kind() -> None:
    registry = load_registry()
    spec = resolve("extractive", "summarizer", registry)
    assert spec.kind == "extractive" and spec.builtin and spec.sentences == 2
    assert spec.hub_id is None and spec.revision is None and spec.license == "Apache-2.0"
    assert all(s.kind == "seq2seq" for n, s in registry.models.items() if n != "extractive")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('kind = "extractive"\nhub_id = "a/b"', "models.x.hub_id is not a field of an extractive"),
        ('kind = "extractive"\nsentences = 0', "models.x.sentences must be at least 1"),
        ('kind = "abstractive"', "models.x.kind must be one of seq2seq, extractive"),
    ],
)
def test_extractive_entries_are_validated(entry: str, problem: str) -> None:
    text = SHIPPED + f'\n[models.x]\nrole = "summarizer"\nlicense = "MIT"\n{entry}\n'
    with pytest.raises(RegistryError, match=re.escape(problem)):
        parse_registry(text)
    translator = (
        SHIPPED + '\n[models.x]\nrole = "translator"\nkind = "extractive"\nlicense = "MIT"\n'
    )
    with pytest.raises(RegistryError, match="must be summarizer for kind extractive"):
        parse_registry(translator)


def test_a_local_directory_never_takes_the_extractive_kind(tmp_path: Path) -> None:
    text = SHIPPED.replace('summarizer = "mt5-xlsum"', 'summarizer = "extractive"', 1)
    registry = parse_registry(text)
    assert registry.default("summarizer").kind == "extractive"
    spec = resolve(str(tmp_path), "summarizer", registry)
    assert spec.kind == "seq2seq" and spec.path == tmp_path.resolve()
    assert spec.generation == registry.models["mt5-xlsum"].generation


def test_models_pull_skips_the_built_in_summarizer() -> None:
    code, out, err = run("models", "pull", "extractive")
    assert code == 0 and out == "" and "extractive is built in: nothing to download" in err


def test_batch_redoes_outputs_when_the_number_of_sentences_changes() -> None:
    two = summarize.Engine(summarizer="extractive")
    three = summarize.Engine(summarizer="extractive", sentences=3)
    assert settings_key(two, Task.brief, "json") != settings_key(three, Task.brief, "json")
    assert settings_key(two, Task.translate, "json") == settings_key(three, Task.translate, "json")


def test_a_missing_summarizer_points_to_the_light_option() -> None:
    code, _, err = run("brief", str(sample(QATAR)), "--offline")
    assert code == 8 and "brief with no summarizer model at all: `--summarizer extractive`" in err
    code, _, err = run("translate", str(sample(QATAR)), "--offline")
    assert code == 8 and "extractive" not in err
