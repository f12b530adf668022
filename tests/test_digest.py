"""`summarize digest` and `summarize.digest()`: a day's articles as stories, in every format,
from a folder, JSON Lines or a batch's outputs, on the fake backend."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import summarize
from summarize.cli import app
from tests.digest_support import CHANGED, DATA, STORY, day_folder, unrelated
from tests.fakes import FakeModels


def run(args: list[str], stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, ["digest", *args], input=stdin)


def stories_from_json(data: dict[str, Any]) -> list[dict[str, Any]]:
    assert data["schema"] == "summarize/1" and data["kind"] == "digest"
    return list(data["stories"])


def check_stories(stories: list[dict[str, Any]]) -> None:
    """Exactly the three copies in one story, the changed figure reported, the rest apart."""
    groups = [{a["path"] for a in s["articles"]} for s in stories]
    assert STORY in groups
    for other in unrelated():
        assert {other} in groups, f"{other} is a story of its own"
    story = stories[groups.index(STORY)]
    assert stories.index(story) == 0, "carried by three outlets: first"
    assert story["outlets"] == ["okaz", "alriyadh", "sabq"]
    assert len(story["disagreements"]) == 1
    found = story["disagreements"][0]
    assert found["kind"] == "number"
    assert {v["path"]: v["value"] for v in found["values"]} == CHANGED
    assert "جلسة" in found["about"]
    assert all(v["context"] for v in found["values"])
    for line in story["summary"]:
        assert line["ar"] and line["en"] and line["sources"]
        for source in line["sources"]:
            assert source["path"] in STORY and source["text"] and 0 <= source["score"] <= 1
    assert len({line["ar"] for line in story["summary"]}) == len(story["summary"])


def test_three_copies_group_and_the_changed_figure_is_reported_in_json(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    result = run([str(day), "--outlet-from-folder", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    check_stories(stories_from_json(data))
    assert data["articles"] == 8 and data["skipped"] == []
    assert data["grouping"]["link"] == 0.3
    assert [m["name"] for m in data["models"]] == ["extractive", "opus-mt-ar-en"]
    assert "8 articles, 6 stories (1 carried by more than one article" in result.stderr


def test_jsonl_is_one_story_a_line(tmp_path: Path, fake_models: FakeModels) -> None:
    day = day_folder(tmp_path)
    result = run([str(day), "--outlet-from-folder", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["rank"] for line in lines] == list(range(1, 7))
    assert {line["kind"] for line in lines} == {"story"}
    check_stories(lines)


def sections(text: str, start: str) -> list[str]:
    return re.split(start, text)[1:]


def test_markdown_marks_the_disagreement_and_keeps_stories_apart(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    result = run([str(day), "--outlet-from-folder"])  # Markdown in a pipe
    assert result.exit_code == 0, result.stderr
    parts = sections(result.stdout, r"\n## \d+\. ")
    assert len(parts) == 6
    first = parts[0]
    for path in STORY:
        assert f"- {path.split('/')[0]} · {path}" in first
    assert not any(other in first for other in unrelated())
    marked = [line for line in first.splitlines() if line.startswith("- ⚠")]
    assert len(marked) == 1 and "1200 (okaz, okaz/verdict.txt)" in marked[0]
    assert "1020 (sabq, sabq/shortened.txt)" in marked[0]
    assert "| English | العربية |" in first and "[^s1-1]: sources: okaz/verdict.txt ¶" in first
    for other in unrelated():
        assert sum(other in part for part in parts) == 1


def test_html_has_a_card_per_story_with_the_disagreement_marked(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    out = tmp_path / "digest.html"
    result = run([str(day), "--outlet-from-folder", "-o", str(out)])  # format from the suffix
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    cards = re.findall(r'<article class="dg-story[^"]*".*?</article>', page, re.S)
    assert len(cards) == 6
    first = cards[0]
    assert "dg-disputed" in first.split(">", 1)[0]
    assert all(path in first for path in STORY)
    assert not any(other in first for other in unrelated())
    disputes = re.search(r'<section class="dg-disputes".*?</section>', first, re.S)
    assert disputes is not None
    assert '<mark class="dg-fig"><bdi>1200</bdi></mark>' in disputes.group()
    assert '<mark class="dg-fig"><bdi>1020</bdi></mark>' in disputes.group()
    assert sum("dg-disputed" in card.split(">", 1)[0] for card in cards) == 1


def test_the_api_returns_the_json_of_the_command(tmp_path: Path, fake_models: FakeModels) -> None:
    day = day_folder(tmp_path)
    data = summarize.digest(day, outlet_from_folder=True, backend="fake")
    check_stories(stories_from_json(data))
    cli = json.loads(run([str(day), "--outlet-from-folder", "-f", "json"]).stdout)
    data.pop("timings"), cli.pop("timings")
    assert data == cli


def test_the_same_input_gives_the_same_digest(tmp_path: Path, fake_models: FakeModels) -> None:
    day = day_folder(tmp_path)
    first = run([str(day), "--outlet-from-folder", "-f", "jsonl"]).stdout
    assert first and run([str(day), "--outlet-from-folder", "-f", "jsonl"]).stdout == first


def jsonl_day() -> str:
    records = []
    for outlet, name in (("okaz", "verdict.txt"), ("alriyadh", "wire-reprint.txt")):
        text = (DATA / name).read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        records.append(
            {"id": f"{outlet}-1", "text": body, "title": title, "outlet": outlet,
             "published": "2015-07-23", "url": f"https://{outlet}.example/1"}
        )  # fmt: skip
    records.append({"id": "sabq-1", "text": (DATA / "shortened.txt").read_text(), "outlet": "sabq"})
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines += ['{"id": "bad", "text": 5}', "not json", '{"id": "empty", "text": "  "}']
    lines.append(json.dumps({"id": "x", "text": "نص", "outlet": ["not", "a", "string"]}))
    return "\n".join(lines) + "\n"


def test_json_lines_on_stdin_with_outlets_and_skipped_records(fake_models: FakeModels) -> None:
    result = run(["-", "-f", "json"], stdin=jsonl_day())
    assert result.exit_code == 11, "some records skipped: the digest is written, exit 11"
    data = json.loads(result.stdout)
    story = data["stories"][0]
    assert [a["path"] for a in story["articles"]] == ["okaz-1", "alriyadh-1", "sabq-1"]
    assert story["articles"][0]["url"] == "https://okaz.example/1"
    assert story["articles"][0]["published"] == "2015-07-23"
    assert story["title"]["ar"] == "المحكمة الجزائية تدين 555 متهما في قضايا الإرهاب"
    skipped = {s["path"]: (s["exit_code"], s["error"]) for s in data["skipped"]}
    assert skipped["bad"][0] == 2 and '"text" must be a string' in skipped["bad"][1]
    assert skipped["line 5"][0] == 2 and skipped["empty"][0] == 4
    assert '"outlet" must be a string' in skipped["x"][1]
    assert "4 input(s) skipped" in result.stderr


def test_a_jsonl_file_is_read_by_its_name(tmp_path: Path, fake_models: FakeModels) -> None:
    path = tmp_path / "day.jsonl"
    path.write_text(jsonl_day().split('{"id": "bad"')[0], encoding="utf-8")
    result = run([str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["stories"][0]["articles"]) == 3


def test_a_batch_output_folder_is_reused_without_translating_again(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    out = tmp_path / "out"
    done = CliRunner().invoke(
        app, ["batch", str(day), "-o", str(out), "-f", "json", "--task", "translate"]
    )
    assert done.exit_code == 0, done.stderr
    translator = fake_models.loaded["translator"]
    calls = len(translator.calls)
    result = run([str(out), "--outlet-from-folder", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert len(translator.calls) == calls, "every line was translated by the batch already"
    data = json.loads(result.stdout)
    check_stories(data["stories"])
    assert [m["role"] for m in data["models"]] == ["summarizer", "translator"]


def test_a_batch_of_briefs_is_read_too(tmp_path: Path, fake_models: FakeModels) -> None:
    day = day_folder(tmp_path)
    out = tmp_path / "out"
    args = ["batch", str(day), "-o", str(out), "-f", "json", "--summarizer", "extractive"]
    assert CliRunner().invoke(app, args).exit_code == 0
    result = run([str(out), "--outlet-from-folder", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    check_stories(json.loads(result.stdout)["stories"])


def test_a_batch_of_markdown_outputs_says_how_to_make_json(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["batch", str(day), "-o", str(out)]).exit_code == 0
    result = run([str(out)])
    assert result.exit_code == 2
    assert "-f json" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--similarity", "0"], 2, "between 0 and 1"),
        (["--similarity", "1.5"], 2, "between 0 and 1"),
        (["--sentences", "2", "--summarizer", "mt5-xlsum"], 2, "--sentences"),
    ],
)
def test_bad_options_are_one_line_errors(
    args: list[str], code: int, message: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    result = run([str(day_folder(tmp_path)), *args])
    assert result.exit_code == code and message in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_to_read_is_an_error(tmp_path: Path, fake_models: FakeModels) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run([str(empty)])
    assert result.exit_code == 4 and "no articles in" in result.stderr
    missing = run([str(tmp_path / "nope")])
    assert missing.exit_code == 3 and "no such file or folder" in missing.stderr


def test_hostile_names_are_escaped_everywhere(tmp_path: Path, fake_models: FakeModels) -> None:
    day = tmp_path / "day"
    outlet = day / "<b>x<b>"
    outlet.mkdir(parents=True)
    name = "a\x1b[31m<script>alert(1)<script>.txt"
    (outlet / name).write_text((DATA / "verdict.txt").read_text(), encoding="utf-8")
    (day / "empty\x1b]0;t\x07.txt").write_text("", encoding="utf-8")
    page = run([str(day), "--outlet-from-folder", "-f", "html"])
    assert page.exit_code == 11
    assert "<script>alert" not in page.stdout and "<b>x<b>" not in page.stdout
    assert "&lt;script&gt;alert(1)&lt;script&gt;" in page.stdout and "&lt;b&gt;x" in page.stdout
    assert "\x1b" not in page.stderr and "\\x1b" in page.stderr
    markdown = run([str(day), "--outlet-from-folder"])
    assert "\x1b" not in markdown.stdout and "\\x1b" in markdown.stdout
    assert "\\<script\\>" in markdown.stdout


def test_the_summary_does_not_repeat_itself_across_copies(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    day = day_folder(tmp_path)
    data = json.loads(
        run([str(day), "--outlet-from-folder", "--sentences", "5", "-f", "json"]).stdout
    )
    story = data["stories"][0]
    assert len(story["summary"]) == 5
    texts = [line["ar"] for line in story["summary"]]
    assert len(set(texts)) == 5, "each copy's sentences are in the story once"
