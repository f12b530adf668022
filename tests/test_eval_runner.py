"""The evaluation loop (summarize.evaluation.runner) on fake systems: segments file content,
resuming without regenerating, --limit, several systems in one table, progress and errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarize.errors import ModelError, NotArabic, OutputError, SummarizeError
from summarize.evaluation.references import Segment, read_references
from summarize.evaluation.runner import (
    DuplicateSystem,
    Evaluation,
    Progress,
    SegmentFailed,
    System,
    evaluate,
)
from summarize.render.evaluation import render_markdown, render_text
from tests.fakes import FakeModels

DATA = Path(__file__).parent / "data" / "eval"
TATOEBA = DATA / "tatoeba-ar-en.jsonl"


class CountingTranslator:
    """A fake translate_fn: the reference itself, damaged for every third segment; it counts
    the segments it is asked to translate."""

    def __init__(self, segments: Sequence[Segment], damage: str = "") -> None:
        self.answers = {s.source: s.reference for s in segments}
        self.damage = damage
        self.calls = 0
        self.seen: list[str] = []

    def __call__(self, batch: Sequence[str]) -> list[str]:
        self.calls += len(batch)
        self.seen += batch
        out = []
        for n, source in enumerate(batch):
            text = self.answers.get(source, "")
            out.append(text.rsplit(" ", 1)[0] + self.damage if n % 3 == 0 else text)
        return out


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def segments() -> list[Segment]:
    return read_references("translate", TATOEBA)


def test_the_segments_file_has_one_line_per_segment_and_system(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    fp32 = System("opus-mt-ar-en/fp32", CountingTranslator(segments), {"precision": "fp32"})
    int8 = System("opus-mt-ar-en/int8", CountingTranslator(segments, "!"), {"precision": "int8"})
    evaluation = evaluate("translate", segments, [fp32, int8], segments_path=out, batch_size=8)
    records = lines_of(out)
    assert len(records) == 2 * len(segments)
    first = records[0]
    assert set(first) == {
        "id", "system", "fingerprint", "source", "reference", "hypothesis", "scores"
    }  # fmt: skip
    assert first["id"] == "tatoeba-506751-507262" and first["system"] == "opus-mt-ar-en/fp32"
    assert first["source"] == segments[0].source and first["reference"] == segments[0].reference
    assert set(first["scores"]) == {"bleu", "chrf", "chrf++"}
    assert [r["id"] for r in records[:40]] == [s.id for s in segments]
    assert {r["system"] for r in records[40:]} == {"opus-mt-ar-en/int8"}
    # The per-segment lines and the corpus results tell the same story.
    (a, b) = evaluation.systems
    assert a.scores["bleu"].score > b.scores["bleu"].score
    assert a.segment_results[0].to_dict() == first


def run(
    segments: Sequence[Segment], out: Path, settings: dict[str, Any] | None = None
) -> tuple[Evaluation, CountingTranslator]:
    """One run of the system "opus" over SEGMENTS with OUT as the segments file."""
    translator = CountingTranslator(read_references("translate", TATOEBA))
    system = System("opus", translator, settings or {})
    return evaluate("translate", segments, [system], segments_path=out), translator


def test_a_rerun_reuses_every_done_segment(segments: list[Segment], tmp_path: Path) -> None:
    out = tmp_path / "segments.jsonl"
    first, translator = run(segments, out, {"beams": 4})
    assert translator.calls == 40
    before = out.read_bytes()

    second, again = run(segments, out, {"beams": 4})
    assert again.calls == 0
    assert second.systems[0].reused == 40 and second.systems[0].generated == 0
    assert second.systems[0].scores == first.systems[0].scores
    assert out.read_bytes() == before  # nothing rewritten


def test_a_line_cut_short_by_a_kill_is_dropped_and_redone(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    run(segments[:10], out)
    whole = out.read_bytes()
    out.write_bytes(whole[: len(whole) - 25])  # the last line loses its end and its newline

    result, again = run(segments[:10], out)
    # the group the line belongs to is generated again, whole: the same batch as before
    assert again.calls == 10 and again.seen == [s.source for s in segments[:10]]
    assert result.systems[0].reused == 0
    assert out.read_bytes() == whole  # repaired, every line whole, none written twice


def test_a_last_line_missing_only_its_newline_is_kept(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    run(segments[:3], out)
    out.write_bytes(out.read_bytes().rstrip(b"\n"))
    _, again = run(segments[:3], out)
    assert again.calls == 0
    _, more = run(segments[:4], out)
    assert more.calls == 4, "the first group grew: generated again, whole"
    assert [r["id"] for r in lines_of(out)] == [s.id for s in segments[:4]]


def test_other_settings_or_changed_sources_are_generated_again(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    run(segments[:5], out, {"beams": 4})
    _, other_settings = run(segments[:5], out, {"beams": 1})
    assert other_settings.calls == 5

    edited = [*segments[:4], Segment(segments[4].id, segments[4].source + " جديد", "x")]
    _, changed = run(edited, out, {"beams": 4})
    assert changed.seen == [s.source for s in edited], "its group, whole"


def test_a_corrected_reference_is_rescored_without_generating(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    run(segments[:2], out)
    fixed = [segments[0], Segment(segments[1].id, segments[1].source, "Something else entirely.")]
    result, again = run(fixed, out)
    assert again.calls == 0
    records = lines_of(out)
    assert len(records) == 3 and records[-1]["reference"] == "Something else entirely."
    assert result.systems[0].segment_results[1].scores == records[-1]["scores"]


def test_limit_then_the_full_run_reuses_the_first_groups(tmp_path: Path) -> None:
    out = tmp_path / "segments.jsonl"
    result, translator = run(read_references("translate", TATOEBA, limit=16), out)
    assert result.segments == 16 and translator.calls == 16 and len(lines_of(out)) == 16

    _, rest = run(read_references("translate", TATOEBA), out)
    assert rest.calls == 24 and len(lines_of(out)) == 40


def test_a_limit_inside_a_group_makes_the_full_run_redo_that_group(tmp_path: Path) -> None:
    """--limit 5, then all: the first group (16) is generated again whole, so the full run's
    first 16 hypotheses are those of a batch of 16, as in a run without --limit."""
    out, plain = tmp_path / "segments.jsonl", tmp_path / "plain.jsonl"
    run(read_references("translate", TATOEBA, limit=5), out)
    resumed, rest = run(read_references("translate", TATOEBA), out)
    assert rest.calls == 40
    uninterrupted, _ = run(read_references("translate", TATOEBA), plain)
    assert (
        resumed.to_dict(segments=True)["systems"][0]["segment_results"]
        == (uninterrupted.to_dict(segments=True)["systems"][0]["segment_results"])
    )


def test_progress_is_reported_per_batch(segments: list[Segment], tmp_path: Path) -> None:
    out = tmp_path / "segments.jsonl"
    evaluate("translate", segments[:4], [System("opus", CountingTranslator(segments))],
             segments_path=out, batch_size=4)  # fmt: skip
    seen: list[Progress] = []
    system = System("opus", CountingTranslator(segments))
    evaluate(
        "translate", segments[:10], [system], segments_path=out, batch_size=4, progress=seen.append
    )
    assert [(p.done, p.total, p.reused) for p in seen] == [(4, 10, 4), (8, 10, 4), (10, 10, 4)]


def test_systems_side_by_side_in_one_table_and_in_json(segments: list[Segment]) -> None:
    systems = [
        System("opus-mt-ar-en/fp32", CountingTranslator(segments), {"precision": "fp32"}),
        System("opus-mt-ar-en/int8", CountingTranslator(segments, "!"), {"precision": "int8"}),
    ]
    evaluation = evaluate("translate", segments, systems, references="tatoeba-ar-en.jsonl")
    data = evaluation.to_dict()
    assert data["schema"] == "summarize/1" and data["kind"] == "evaluation"
    assert data["task"] == "translate" and data["segments"] == 40
    assert [s["system"] for s in data["systems"]] == ["opus-mt-ar-en/fp32", "opus-mt-ar-en/int8"]
    bleu = data["systems"][0]["scores"]["bleu"]
    assert set(bleu) == {"name", "score", "signature", "detail"}
    assert bleu["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "segment_results" not in data["systems"][0]
    assert len(evaluation.to_dict(segments=True)["systems"][1]["segment_results"]) == 40
    json.dumps(data)  # plain JSON all the way down

    markdown = render_markdown(evaluation)
    assert "| system | BLEU | chrF2 | chrF2++ | generated | reused | seconds |" in markdown
    for s in evaluation.systems:
        row = f"| {s.system} | {s.scores['bleu'].formatted()} | {s.scores['chrf'].formatted()} |"
        assert row in markdown
    assert f"- BLEU: `{evaluation.systems[0].scores['bleu'].signature}`" in markdown
    text = render_text(evaluation)
    assert text.splitlines()[2].split() == [
        "system", "BLEU", "chrF2", "chrF2++", "generated", "reused", "seconds"
    ]  # fmt: skip
    assert "|" not in text.splitlines()[4]


def test_summaries_are_scored_with_arabic_rouge() -> None:
    # Written for this test, not from a data set.
    refs = [Segment("a", "نص طويل", "أعلن الرئيس"), Segment("b", "نص آخر", "الحكومة")]
    outputs = {"نص طويل": "اعلن الرئيس", "نص آخر": "النفط"}
    system = System("mt5", lambda batch: [outputs[t] for t in batch])
    evaluation = evaluate("summarize", refs, [system])
    (result,) = evaluation.systems
    assert [s.scores["rouge1"] for s in result.segment_results] == [100.0, 0.0]
    assert result.scores["rouge1"].score == 50.0
    assert "| system | ROUGE-1 | ROUGE-2 | ROUGE-L |" in render_markdown(evaluation)


def test_a_system_that_returns_the_wrong_number_of_outputs(segments: list[Segment]) -> None:
    with pytest.raises(ModelError, match="returned 1 outputs for 2 inputs"):
        evaluate("translate", segments[:2], [System("bad", lambda batch: ["x"])])
    with pytest.raises(ModelError, match="returned NoneType, not text"):
        evaluate("translate", segments[:1], [System("bad", lambda batch: [None])])  # type: ignore[list-item]


def test_two_systems_with_one_label_are_refused(segments: list[Segment]) -> None:
    fake = CountingTranslator(segments)
    with pytest.raises(DuplicateSystem, match="two systems are labelled 'opus'"):
        evaluate("translate", segments, [System("opus", fake), System("opus", fake)])
    assert fake.calls == 0


def test_a_file_that_is_not_a_segments_file_is_left_alone(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text('{"id": 1, "ar": "أ", "en": "a"}\nfree text\n', encoding="utf-8")
    before = out.read_bytes()
    with pytest.raises(OutputError, match=r"notes\.jsonl line 1 is not a line of `summarize eval"):
        evaluate(
            "translate",
            segments[:1],
            [System("a", CountingTranslator(segments))],
            segments_path=out,
        )
    assert out.read_bytes() == before


def test_load_runs_once_before_the_first_batch_and_not_on_a_full_rerun(
    segments: list[Segment], tmp_path: Path
) -> None:
    loads: list[int] = []
    fake = CountingTranslator(segments)
    system = System("opus", fake, load=lambda: loads.append(fake.calls))
    out = tmp_path / "segments.jsonl"
    evaluate("translate", segments[:20], [system], segments_path=out, batch_size=8)
    assert loads == [0]  # once, before any segment was generated
    evaluate("translate", segments[:20], [system], segments_path=out, batch_size=8)
    assert loads == [0]  # nothing to generate, nothing to load


def test_a_segment_a_system_cannot_take_is_named(segments: list[Segment]) -> None:
    def refuse_the_third(batch: Sequence[str]) -> list[str]:
        raise SegmentFailed(2, NotArabic("the article has almost no Arabic"))

    with pytest.raises(SummarizeError) as caught:
        evaluate("translate", segments, [System("mt5", refuse_the_third)], batch_size=8)
    assert str(caught.value) == (
        f"segment {segments[2].id!r}, system 'mt5': the article has almost no Arabic"
    )
    assert caught.value.exit_code == NotArabic.exit_code


def test_the_grid_is_every_combination_once_checked_before_any_loads(
    fake_models: FakeModels,
) -> None:
    """`eval`'s systems without the command line: models × backends × precisions, each value
    once and in order; a model that cannot be had stops the grid before anything loads."""
    from summarize.evaluation.grid import system_grid
    from summarize.pipeline import Engine
    from summarize.tasks import Task

    made: list[tuple[str | None, str, str]] = []

    def engine(model: str | None, backend: str, precision: str) -> Engine:
        made.append((model, backend, precision))
        return Engine(translator=model, backend=backend, precision=precision)

    models = [None, "opus-mt-tc-big-ar-en", None]
    systems = system_grid(Task.translate, engine, models, ["fake"], ["fp32", "int8", "fp32"])
    assert [s.label for s in systems] == [
        "opus-mt-ar-en/fake/fp32",
        "opus-mt-ar-en/fake/int8",
        "opus-mt-tc-big-ar-en/fake/fp32",
        "opus-mt-tc-big-ar-en/fake/int8",
    ]
    assert len(made) == 4 and not fake_models.loaded, "nothing loads to build the grid"
    with pytest.raises(ModelError, match="not in the local cache"):
        system_grid(Task.translate, engine, [None], ["auto"], ["auto"])


# -- resumes and files that are not ours --------------------------------------------------------


def test_a_resumed_evaluation_gives_the_uninterrupted_bytes(
    segments: list[Segment], tmp_path: Path
) -> None:
    """The fake damages every third segment of its batch, so its output depends on the batch,
    as CTranslate2's does. A run stopped after its first group, whose file then also holds the
    first 5 lines of the second group (a stop between the lines of a group, as earlier
    versions wrote them one by one), resumes to exactly the results of an uninterrupted run.
    Before, the 11 other segments of that group were batched with the next group's."""
    plain, resumed = tmp_path / "plain.jsonl", tmp_path / "resumed.jsonl"
    uninterrupted = evaluate("translate", segments, [System("opus", CountingTranslator(segments))],
                             segments_path=plain)  # fmt: skip

    class StopAfterOneBatch(CountingTranslator):
        def __call__(self, batch: Sequence[str]) -> list[str]:
            if self.calls:
                raise KeyboardInterrupt
            return super().__call__(batch)

    with pytest.raises(KeyboardInterrupt):
        evaluate("translate", segments, [System("opus", StopAfterOneBatch(segments))],
                 segments_path=resumed)  # fmt: skip
    assert len(lines_of(resumed)) == 16
    second_group = plain.read_text(encoding="utf-8").splitlines(keepends=True)[16:21]
    with resumed.open("a", encoding="utf-8") as f:
        f.writelines(second_group)
    again = CountingTranslator(segments)
    result = evaluate("translate", segments, [System("opus", again)], segments_path=resumed)
    assert again.calls == 24  # the second group whole, and the third
    assert result.systems[0].reused == 16
    got, want = result.to_dict(segments=True), uninterrupted.to_dict(segments=True)
    for data in (got, want):
        for key in ("generated", "reused", "seconds"):
            del data["systems"][0][key]
    assert got == want


@pytest.mark.parametrize(
    "content",
    [
        b'{"id": "1", "ar": "\xd8\xa3", "en": "a"}',  # the references file itself
        b"a note without its newline",
        b'{"id": 3, "note": "keep"}',
        b"\n\nfree text",
    ],
    ids=["references", "note", "object", "blank-then-text"],
)
def test_a_file_the_tool_did_not_write_is_never_truncated(
    content: bytes, segments: list[Segment], tmp_path: Path
) -> None:
    """`--segments FILE` given a one-line file without its final newline truncated it to 0
    and appended (exit 0). It is refused and left byte for byte as it was."""
    out = tmp_path / "given.jsonl"
    out.write_bytes(content)
    with pytest.raises(OutputError, match="is not a line of `summarize eval --segments`"):
        evaluate("translate", segments[:1], [System("a", CountingTranslator(segments))],
                 segments_path=out)  # fmt: skip
    assert out.read_bytes() == content


def test_a_first_line_of_ours_cut_short_is_still_repaired(
    segments: list[Segment], tmp_path: Path
) -> None:
    """A kill (or a full disk) inside the very first write leaves a line of ours without its
    end: that one is ours, so it is cut off and its group generated."""
    out = tmp_path / "segments.jsonl"
    run(segments[:3], out)
    whole = out.read_bytes()
    first = whole.split(b"\n")[0]
    out.write_bytes(first[: len(first) // 2])
    _, again = run(segments[:3], out)
    assert again.calls == 3 and out.read_bytes() == whole


def test_segments_lines_nested_deeply_or_with_huge_numbers_are_not_ours(
    segments: list[Segment], tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    for line in ("[" * 100_000 + "]" * 100_000, '{"id": ' + "1" * 5_000 + "}"):
        out.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(OutputError, match="line 1 is not a line of"):
            run(segments[:1], out)
