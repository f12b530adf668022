"""`summarize eval translate|summarize` through the real CLI: on the fake backend (tier b), and on
the tiny demo models (tier c), where the scores must equal the `sacrebleu` command's."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.backends import LoadOptions, register_backend, unregister_backend
from summarize.cli import app, main
from summarize.registry import ModelSpec
from summarize.text import normalize, split_sentences
from tests.fakes import FakeModel, FakeModels
from tests.samples import sample_paths
from tests.test_eval_scores import sacrebleu_command

REPO = Path(__file__).resolve().parent.parent
TATOEBA = REPO / "tests/data/eval/tatoeba-ar-en.jsonl"
PERTURBED = REPO / "tests/data/eval/tatoeba-ar-en.perturbed.en"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    """`summarize eval ARGS`; `translate` unless ARGS start with `summarize`."""
    command = [] if args[:1] == ("summarize",) else ["translate"]
    result = runner.invoke(app, ["eval", *command, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(*args, "-f", "json")
    assert code == 0, err
    data: dict = json.loads(out)  # type: ignore[type-arg]
    return data


def records(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_equals_sacrebleu(data: dict, segments_file: Path, tmp: Path) -> None:  # type: ignore[type-arg]
    """Each system's BLEU and chrF equal the `sacrebleu` command's (4 decimals, signatures
    too) on the hypotheses and references it wrote to the segments file."""
    lines = records(segments_file)
    for n, system in enumerate(data["systems"]):
        mine = [r for r in lines if r["system"] == system["system"]]
        assert len(mine) == system["segments"]
        hyp, ref = tmp / f"hyp{n}.en", tmp / f"ref{n}.en"
        hyp.write_text("".join(r["hypothesis"] + "\n" for r in mine), encoding="utf-8")
        ref.write_text("".join(r["reference"] + "\n" for r in mine), encoding="utf-8")
        theirs = sacrebleu_command(ref, hyp, "-w", "4")
        for key, expected in zip(("bleu", "chrf"), theirs, strict=True):
            ours = system["scores"][key]
            assert (ours["name"], ours["signature"]) == (expected["name"], expected["signature"])
            assert f"{ours['score']:.4f}" == f"{expected['score']:.4f}"


@pytest.fixture
def replay() -> Iterator[list[list[str]]]:
    """A backend `replay` whose translator gives the damaged reference of each Tatoeba sentence
    (tatoeba-ar-en.perturbed.en): BLEU and chrF well inside 0-100, unlike a random model's."""
    sources = [json.loads(line)["ar"] for line in TATOEBA.read_text(encoding="utf-8").splitlines()]
    english = dict(
        zip(
            (" ".join(normalize(s).split()) for s in sources),
            PERTURBED.read_text(encoding="utf-8").splitlines(),
            strict=True,
        )
    )
    calls: list[list[str]] = []

    def load(spec: ModelSpec, options: LoadOptions) -> FakeModel:
        model = FakeModel(spec)

        def generate(texts: Sequence[str], *_: object) -> list[str]:
            calls.append(list(texts))
            return [english[t] for t in texts]

        model.generate = generate  # type: ignore[method-assign]
        return model

    register_backend("replay", load)
    yield calls
    unregister_backend("replay")


# -- translation: the sacrebleu command's figures -------------------------------------------


def test_bleu_and_chrf_equal_the_sacrebleu_command(replay: list[list[str]], tmp_path: Path) -> None:
    out = tmp_path / "segments.jsonl"
    data = run_json(str(TATOEBA), "--backend", "replay", "--segments", str(out))
    (system,) = data["systems"]
    assert 20 < system["scores"]["bleu"]["score"] < 90  # a figure worth comparing
    assert_equals_sacrebleu(data, out, tmp_path)
    assert system["scores"]["bleu"]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert system["scores"]["chrf"]["name"] == "chrF2"


@pytest.mark.slow
def test_demo_translators_side_by_side_equal_the_sacrebleu_command(
    tiny_marian_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other" / tiny_marian_dir.name  # same name, another directory
    shutil.copytree(tiny_marian_dir, other)
    registry = tmp_path / "models.toml"
    shipped = (REPO / "models.toml").read_text(encoding="utf-8")
    registry.write_text(shipped.replace("max_new_tokens = 512", "max_new_tokens = 12"))
    out = tmp_path / "segments.jsonl"
    data = run_json(
        str(TATOEBA), "--translator", str(tiny_marian_dir), "--translator", str(other),
        "--backend", "transformers", "--precision", "fp32", "--models", str(registry),
        "--threads", "1", "--limit", "6", "--segments", str(out),
    )  # fmt: skip
    labels = [s["system"] for s in data["systems"]]
    assert labels == [f"{tiny_marian_dir}/transformers/fp32", f"{other}/transformers/fp32"]
    assert all(s["segments"] == 6 and s["generated"] == 6 for s in data["systems"])
    assert_equals_sacrebleu(data, out, tmp_path)
    assert data["systems"][0]["settings"]["path"] != data["systems"][1]["settings"]["path"]


# -- systems side by side -------------------------------------------------------------------


def test_two_translators_one_table_two_rows(fake_models: FakeModels) -> None:
    args = [str(TATOEBA), "--translator", "opus-mt-ar-en", "--translator", "opus-mt-tc-big-ar-en"]
    code, out, err = run(*args, "--limit", "5")
    assert code == 0, err
    assert err == ""  # no progress when stderr is not a terminal
    header = "| system | BLEU | chrF2 | chrF2++ | generated | reused | seconds |"
    assert out.count(header) == 1
    rows = [line for line in out.splitlines() if line.startswith("| opus-mt")]
    # a plugin backend decides its own precision: `auto` is recorded as given
    assert [r.split(" | ")[0] for r in rows] == [
        "| opus-mt-ar-en/fake/auto",
        "| opus-mt-tc-big-ar-en/fake/auto",
    ]
    assert "- BLEU: `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in out
    text = run(*args, "--limit", "5", "-f", "text")[1]
    assert len([line for line in text.splitlines() if line.startswith("opus-mt")]) == 2


def test_precisions_and_backends_multiply(fake_models: FakeModels) -> None:
    data = run_json(str(TATOEBA), "--precision", "fp32", "--precision", "int8", "--limit", "3")
    assert [s["system"] for s in data["systems"]] == [
        "opus-mt-ar-en/fake/fp32",
        "opus-mt-ar-en/fake/int8",
    ]
    assert [s["settings"]["precision"] for s in data["systems"]] == ["fp32", "int8"]
    assert data["systems"][0]["fingerprint"] != data["systems"][1]["fingerprint"]
    assert [o.precision for o in fake_models.options] == ["fp32", "int8"]
    # a value given twice is one system
    data = run_json(str(TATOEBA), "--precision", "int8", "--precision", "int8", "--limit", "3")
    assert len(data["systems"]) == 1


def test_json_shape(fake_models: FakeModels) -> None:
    data = run_json(str(TATOEBA), "--limit", "4")
    assert set(data) == {"schema", "kind", "task", "references", "segments", "systems"}
    assert (data["kind"], data["task"], data["segments"]) == ("evaluation", "translate", 4)
    (system,) = data["systems"]
    assert set(system) == {
        "system", "fingerprint", "settings", "scores", "segments", "generated", "reused", "seconds"
    }  # fmt: skip
    assert set(system["scores"]) == {"bleu", "chrf", "chrf++"}
    assert set(system["scores"]["bleu"]) == {"name", "score", "signature", "detail"}
    settings = system["settings"]
    assert settings["model"] == "opus-mt-ar-en" and settings["revision"]
    assert settings["generation"]["num_beams"] == 4
    assert (settings["backend"], settings["precision"]) == ("fake", "auto")


# -- segments file and resuming -------------------------------------------------------------


def test_a_rerun_reuses_every_segment_without_a_model(
    fake_models: FakeModels, tmp_path: Path
) -> None:
    out = tmp_path / "segments.jsonl"
    first = run_json(str(TATOEBA), "--limit", "5", "--segments", str(out))
    assert (first["systems"][0]["generated"], first["systems"][0]["reused"]) == (5, 0)
    lines = records(out)
    assert [r["id"] for r in lines][:2] == ["tatoeba-506751-507262", "tatoeba-44749-1411230"]
    assert set(lines[0]) == {
        "id", "system", "fingerprint", "source", "reference", "hypothesis", "scores"
    }  # fmt: skip
    assert set(lines[0]["scores"]) == {"bleu", "chrf", "chrf++"}
    assert lines[0]["hypothesis"] == "EN(7): أعلنت"  # the fake translator's English
    loads = len(fake_models.options)

    again = run_json(str(TATOEBA), "--limit", "5", "--segments", str(out))
    assert (again["systems"][0]["generated"], again["systems"][0]["reused"]) == (0, 5)
    assert len(fake_models.options) == loads  # no model loaded, let alone called
    assert again["systems"][0]["scores"] == first["systems"][0]["scores"]
    assert len(records(out)) == 5  # nothing new to write

    # the first group of 16 grew: generated again whole, so its batch is the same as in a run
    # without --limit (a model's output can depend on its batch)
    more = run_json(str(TATOEBA), "--limit", "8", "--segments", str(out))
    assert (more["systems"][0]["generated"], more["systems"][0]["reused"]) == (8, 0)
    assert fake_models.loaded["translator"].calls[-1] == [
        " ".join(normalize(r["ar"]).split()) for r in records(TATOEBA)[:8]
    ]


def test_other_settings_are_not_reused(fake_models: FakeModels, tmp_path: Path) -> None:
    out = tmp_path / "segments.jsonl"
    run_json(str(TATOEBA), "--limit", "3", "--segments", str(out))
    registry = tmp_path / "models.toml"
    shipped = (REPO / "models.toml").read_text(encoding="utf-8")
    registry.write_text(shipped.replace("num_beams = 4", "num_beams = 2"), encoding="utf-8")
    other = run_json(
        str(TATOEBA), "--limit", "3", "--segments", str(out), "--models", str(registry)
    )
    assert (other["systems"][0]["generated"], other["systems"][0]["reused"]) == (3, 0)
    assert len({r["fingerprint"] for r in records(out)}) == 2


def test_a_segment_is_translated_as_one_unit(fake_models: FakeModels, tmp_path: Path) -> None:
    refs = tmp_path / "refs.jsonl"
    # Two sentences, a line a page would call furniture, a line that looks like a headline.
    ar = "الرئيس يزور كازاخستان\n0\nأعلنت الحكومة الخطة. وقال الوزير إنها تبدأ غدا."
    refs.write_text(json.dumps({"id": "x", "ar": ar, "en": "e"}, ensure_ascii=False) + "\n")
    out = tmp_path / "segments.jsonl"
    run_json(str(refs), "--segments", str(out))
    sentences = [s.text for s in split_sentences(normalize(ar))]
    assert fake_models.loaded["translator"].calls == [sentences]  # nothing dropped
    (line,) = records(out)
    assert line["hypothesis"] == " ".join(
        f"EN({len(s.split())}): {s.split()[0]}" for s in sentences
    )


def test_source_and_reference_files(fake_models: FakeModels, tmp_path: Path) -> None:
    pairs = records(TATOEBA)[:6]
    source, reference = tmp_path / "test.ar", tmp_path / "test.en"
    source.write_text("".join(p["ar"] + "\n" for p in pairs), encoding="utf-8")
    reference.write_text("".join(p["en"] + "\n" for p in pairs), encoding="utf-8")
    out = tmp_path / "segments.jsonl"
    files = run_json("--source", str(source), "--reference", str(reference), "--segments", str(out))
    assert [r["id"] for r in records(out)] == [1, 2, 3, 4, 5, 6]
    assert files["references"] == f"{source} / {reference}"
    jsonl = run_json(str(TATOEBA), "--limit", "6")
    assert files["systems"][0]["scores"] == jsonl["systems"][0]["scores"]


# -- summaries ------------------------------------------------------------------------------


def summaries_set(samples_dir: Path, tmp_path: Path) -> Path:
    """The samples as a summaries set, each with its longest sentence as the reference."""
    refs = tmp_path / "summaries.jsonl"
    lines = []
    for sample in sample_paths(samples_dir):
        text = sample.read_text(encoding="utf-8")
        longest = max((s.text for s in split_sentences(normalize(text))), key=len)
        lines.append(json.dumps({"id": sample.stem, "text": text, "summary": longest}))
    refs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return refs


def test_summaries_with_rouge_and_trust_rates(
    fake_models: FakeModels, samples_dir: Path, tmp_path: Path
) -> None:
    refs = summaries_set(samples_dir, tmp_path)
    out = tmp_path / "segments.jsonl"
    data = run_json("summarize", str(refs), "--segments", str(out))
    assert data["task"] == "summarize"
    (system,) = data["systems"]
    assert system["system"] == "mt5-xlsum/fake/auto"
    scores = system["scores"]
    assert list(scores) == [
        "rouge1", "rouge2", "rougeL", "weak_source", "unsupported_number", "unsupported_name"
    ]  # fmt: skip
    assert 0 < scores["rouge1"]["score"] < 100
    assert scores["rouge1"]["signature"].startswith("tok:ar-fold-lightstem.1|")
    # The fake summarizer copies sentences of the article: every line has its source.
    for kind in ("weak_source", "unsupported_number", "unsupported_name"):
        assert scores[kind]["score"] == 0.0
        assert scores[kind]["detail"].endswith(" summary lines")
    lines = records(out)
    for line in lines:
        # The hypothesis is the brief's Arabic summary, one line a line.
        article = tmp_path / f"{line['id']}.txt"
        article.write_text(line["source"], encoding="utf-8")
        brief = runner.invoke(app, ["brief", str(article), "-f", "json"])
        assert brief.exit_code == 0, brief.stderr
        summary = [pair["ar"] for pair in json.loads(brief.stdout)["summary"]]
        assert line["hypothesis"].split("\n") == summary
        assert line["scores"]["lines"] == len(summary) and line["scores"]["weak_source"] == 0

    # The summaries as references: ROUGE 100, from the segments file, without a model.
    by_id = {r["id"]: r["hypothesis"] for r in lines}
    fixed = [
        {**json.loads(x), "summary": by_id[json.loads(x)["id"]]}
        for x in refs.read_text(encoding="utf-8").splitlines()
    ]
    refs.write_text("".join(json.dumps(r) + "\n" for r in fixed), encoding="utf-8")
    loads = len(fake_models.options)
    again = run_json("summarize", str(refs), "--segments", str(out))
    assert len(fake_models.options) == loads
    assert [again["systems"][0]["scores"][k]["score"] for k in ("rouge1", "rouge2", "rougeL")] == [
        100.0,
        100.0,
        100.0,
    ]


@pytest.mark.slow
def test_summaries_on_the_demo_models(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, samples_dir: Path, tmp_path: Path
) -> None:
    registry = tmp_path / "models.toml"
    shipped = (REPO / "models.toml").read_text(encoding="utf-8")
    registry.write_text(shipped.replace("max_new_tokens = 84", "max_new_tokens = 12"))
    refs = summaries_set(samples_dir, tmp_path)
    data = run_json(
        "summarize", str(refs), "--summarizer", str(tiny_mt5_dir),
        "--translator", str(tiny_marian_dir), "--backend", "transformers", "--precision", "fp32",
        "--models", str(registry), "--threads", "1", "--limit", "2",
    )  # fmt: skip
    (system,) = data["systems"]
    assert system["system"] == f"{tiny_mt5_dir.name}/transformers/fp32"
    assert system["generated"] == 2 and system["settings"]["generation"]["max_new_tokens"] == 12
    assert {"rouge1", "weak_source", "unsupported_number"} <= set(system["scores"])


# -- errors: one line and the documented exit code -----------------------------------------


def assert_error(result: tuple[int, str, str], expected_code: int, text: str) -> None:
    code, _, err = result
    assert code == expected_code, err
    assert err.startswith("summarize: error: ") and err.count("\n") == 1, err
    assert text in err


def test_errors_are_one_line_with_their_exit_code(fake_models: FakeModels, tmp_path: Path) -> None:
    assert_error(run(str(tmp_path / "missing.jsonl")), 3, "missing.jsonl: no such file")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "ar": "أ", "en": "a"}\nnot json\n', encoding="utf-8")
    assert_error(run(str(bad)), 2, "bad.jsonl: line 2: not valid JSON")
    source, reference = tmp_path / "a.ar", tmp_path / "a.en"
    source.write_text("أ\nب\n", encoding="utf-8")
    reference.write_text("a\n", encoding="utf-8")
    assert_error(run("--source", str(source), "--reference", str(reference)), 2, "has 2 lines but")
    assert_error(run(), 2, "no references: give a JSON Lines file")
    assert_error(run(str(TATOEBA), "--translator", "nosuch"), 8, "unknown translator 'nosuch'")
    assert_error(run(str(TATOEBA), "--backend", "nope"), 2, "--backend must be one of auto, ")
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my notes\n", encoding="utf-8")
    assert_error(run(str(TATOEBA), "--segments", str(notes)), 10, "is not a line of")
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert fake_models.options == []  # no model was loaded for any of them


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["translate", "refs.jsonl", "--limit", "0"], "Invalid value for '--limit'"),
        (["translate", "refs.jsonl", "--precision", "int4"], "Invalid value for '--precision'"),
        (["summarize", "--source", "a.ar"], "No such option: --source"),
    ],
)
def test_usage_errors_are_one_line(
    args: list[str], text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["eval", *args])
    assert_error((int(str(exit_.value.code)), "", capsys.readouterr().err), 2, text)


def test_an_article_the_brief_refuses_names_its_segment(
    fake_models: FakeModels, tmp_path: Path
) -> None:
    refs = tmp_path / "summaries.jsonl"
    english = {"id": "en-1", "text": "This article is in English only.", "summary": "English."}
    refs.write_text(json.dumps(english) + "\n", encoding="utf-8")
    result = run("summarize", str(refs))
    assert_error(result, 6, "segment 'en-1', system 'mt5-xlsum/fake/auto': ")
    assert "almost no Arabic" in result[2]
