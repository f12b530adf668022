"""End to end through the real CLI on tiny random-weight models of the real architectures (tier c).

The models are MarianMT, mT5 and BART built offline (tests/conftest.py). A test registry keeps
generation short so the suite stays fast; one test runs the shipped settings unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from tests.samples import SAMPLES, sample

REPO = Path(__file__).resolve().parent.parent
ARABIC = re.compile(r"[\u0600-\u06FF]")
runner = CliRunner()


@pytest.fixture(scope="session")
def short_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped registry with short outputs: same code paths, a fraction of the time."""
    text = (REPO / "models.toml").read_text(encoding="utf-8")
    text = text.replace("max_new_tokens = 84", "max_new_tokens = 12")
    text = text.replace("max_new_tokens = 512", "max_new_tokens = 16")
    path = tmp_path_factory.mktemp("registry") / "models.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cli(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process; model commands on one thread (the suite shares two cores)."""
    extra = [] if args[0] == "sentences" else ["--threads", "1"]
    result = runner.invoke(app, [*args, *extra], input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_aligned(pairs: list[dict[str, str]]) -> None:
    assert pairs
    for pair in pairs:
        assert pair["ar"].strip() and pair["en"].strip(), pair
        assert ARABIC.search(pair["ar"])


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_brief_json_on_mt5_and_marian(
    sample: Path, tiny_mt5_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    code, out, err = cli(
        "brief", str(sample), "--summarizer", str(tiny_mt5_dir),
        "--translator", str(tiny_marian_dir), "--format", "json", "--models", str(short_registry),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert_aligned(data["summary"])
    assert data["stats"]["chunks"] >= 1
    for line in data["summary"]:  # generated lines point at real sentences of the article
        assert 1 <= len(line["sources"]) <= 3
        for ref in line["sources"]:
            assert data["article"][ref["paragraph"]][ref["index"]] and 0 <= ref["score"] <= 1
    # the default path: CTranslate2 int8 for both (converted on first use)
    assert [(m["backend"], m["precision"]) for m in data["models"]] == [("ctranslate2", "int8")] * 2
    assert data["models"][0]["name"] == tiny_mt5_dir.name and data["models"][0]["revision"] is None


def test_brief_with_a_bart_family_summarizer(
    tiny_bart_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    code, out, err = cli(
        "brief", str(SAMPLES[0]), "--summarizer", str(tiny_bart_dir),
        "--translator", str(tiny_marian_dir), "-f", "json", "--models", str(short_registry),
    )  # fmt: skip
    assert code == 0, err
    assert_aligned(json.loads(out)["summary"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "jsonl", "html"])
def test_every_command_and_format(
    fmt: str, tiny_mt5_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    article = str(sample("tokayev-sco-interview-with-lang-switcher.txt"))
    models = ["--translator", str(tiny_marian_dir), "--models", str(short_registry), "-f", fmt]
    for args in (["brief", article, "--summarizer", str(tiny_mt5_dir)], ["translate", article]):
        code, out, err = cli(*args, *models)
        assert code == 0, err
        assert out.strip() and "\x1b[" not in out
        if fmt in ("json", "jsonl"):
            data = json.loads(out)
            assert_aligned(data["summary"] if args[0] == "brief" else data["translation"])
    code, out, _ = cli("sentences", article, "-f", fmt)
    assert code == 0 and "Ru En" not in out


def test_translate_aligns_every_sentence_and_keeps_paragraphs(
    tiny_marian_dir: Path, short_registry: Path
) -> None:
    article = sample("kazakhstan-regional-hub-with-page-counters.txt")
    code, out, err = cli(
        "translate", str(article), "--translator", str(tiny_marian_dir), "-f", "json",
        "--models", str(short_registry),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    pairs = data["translation"]
    assert_aligned(pairs)
    _, sentences_out, _ = cli("sentences", str(article), "-f", "jsonl")
    sentences = [json.loads(line) for line in sentences_out.splitlines()]
    title = data["title"]["ar"]
    assert [p["ar"] for p in pairs] == [s["text"] for s in sentences if s["text"] != title]
    assert max(p["paragraph"] for p in pairs) + 1 == data["stats"]["paragraphs"]


def test_shipped_settings_bound_the_translation(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real registry, each sentence's output is bounded by its input length."""
    from summarize.backends.transformers import TransformersModel

    seen: list[tuple[int, int, int]] = []  # (longest input, bound asked, tokens generated)
    original = TransformersModel.generate

    def spy(self: TransformersModel, texts, max_new_tokens, min_new_tokens=None):  # type: ignore[no-untyped-def]
        inner = self.model.generate

        def counting(**kwargs):  # type: ignore[no-untyped-def]
            out = inner(**kwargs)
            seen.append((kwargs["input_ids"].shape[1], kwargs["max_new_tokens"], out.shape[1] - 1))
            return out

        monkeypatch.setattr(self.model, "generate", counting)
        try:
            return original(self, texts, max_new_tokens, min_new_tokens)
        finally:
            monkeypatch.setattr(self.model, "generate", inner)

    monkeypatch.setattr(TransformersModel, "generate", spy)
    text = "قال الوزير إن الاجتماع كان مثمرا.\nوأضاف أن البلدين سيوقعان اتفاقية جديدة."
    code, out, err = cli(
        "translate", "-", "--translator", str(tiny_marian_dir), "-f", "json",
        "--backend", "transformers", input=text,
    )  # fmt: skip
    assert code == 0, err
    assert seen
    for n_in, bound, generated in seen:
        assert bound == min(512, 2 * n_in + 10)  # max_new_tokens_ratio 2.0, slack 10
        assert 0 < generated <= bound


def test_jsonl_stream_on_real_models(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    lines = [
        json.dumps({"id": f"doc{i}", "text": s.read_text(encoding="utf-8")})
        for i, s in enumerate(SAMPLES[:2])
    ]
    code, out, err = cli(
        "brief", "--input", "jsonl", "-f", "jsonl", "--summarizer", str(tiny_mt5_dir),
        "--translator", str(tiny_marian_dir), "--models", str(short_registry), input="\n".join(lines),
    )  # fmt: skip
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["doc0", "doc1"]
    for row in rows:
        assert_aligned(row["summary"])


def test_batch_on_real_models(
    tmp_path: Path, tiny_mt5_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for s in SAMPLES[:2]:
        (src / s.name).write_bytes(s.read_bytes())
    (src / "sub" / "c.txt").write_bytes(SAMPLES[2].read_bytes())
    out = tmp_path / "out"
    code, _, err = cli(
        "batch", str(src), "-o", str(out), "-f", "json", "--summarizer", str(tiny_mt5_dir),
        "--translator", str(tiny_marian_dir), "--models", str(short_registry),
    )  # fmt: skip
    assert code == 0, err
    for output in [out / f"{SAMPLES[0].name}.json", out / "sub" / "c.txt.json"]:
        assert_aligned(json.loads(output.read_text(encoding="utf-8"))["summary"])
    assert len((out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_demo_translator_loses_figures_in_every_format(
    tiny_marian_dir: Path, short_registry: Path
) -> None:
    """The light option (extractive, only the translator), and the check a reader needs most:
    the tiny translator drops figures, and every format says which."""
    import io

    from rich.console import Console

    import summarize
    from summarize.render import print_rich, render

    article = sample("qatar-emir-state-visit-kazakhstan.txt")
    engine = summarize.Engine(
        summarizer="extractive", sentences=3, translator=str(tiny_marian_dir),
        registry=short_registry, threads=1, offline=True,
    )  # fmt: skip
    result = engine.brief(summarize.read_article(str(article)))
    lost = [
        (line, check.value)
        for line in result.summary
        for check in line.checks
        if check.kind == "lost_in_translation"
    ]
    assert lost, "the demo translator writes no figures, so the lines' figures are lost"
    for line, value in lost:
        assert value in line.ar and value not in line.en
        (ref,) = line.sources
        assert result.article[ref.paragraph][ref.index] == line.ar and ref.score == 1.0
    value = lost[0][1]
    data = json.loads(render(result, "json"))
    assert {"kind": "lost_in_translation", "value": value} in [
        c for line in data["summary"] for c in line["checks"]
    ]
    assert f"⚠ **lost in translation: {value}**" in render(result, "markdown")
    assert f"⚠ lost in translation: <bdi>{value}</bdi>" in render(result, "html")
    buffer = io.StringIO()
    print_rich(result, Console(file=buffer, width=160, color_system=None))
    assert f"⚠ lost in translation: {value}" in buffer.getvalue()
    # through the CLI, offline, with the default summarizer not cached: --strict gates it
    code, out, err = cli(
        "brief", str(article), "--summarizer", "extractive", "--translator", str(tiny_marian_dir),
        "--models", str(short_registry), "--offline", "--strict", "-f", "json",
    )  # fmt: skip
    assert code == 13, err
    assert "lost_in_translation" in err and json.loads(out)["summary"]


def test_batch_progress_moves_file_by_file_on_the_demo_models(
    tmp_path: Path, tiny_mt5_dir: Path, tiny_marian_dir: Path, short_registry: Path
) -> None:
    """8 files on the real (tiny) models: each file is counted when its output is written,
    before the models start on the next one; nothing waits for a group to finish."""
    from summarize import Engine
    from summarize.batch import BatchOptions, run_batch
    from summarize.progress import Progress

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(8):
        lines = SAMPLES[i % len(SAMPLES)].read_text(encoding="utf-8").splitlines()
        (src / f"{i}.txt").write_text("\n".join(lines[:6]), encoding="utf-8")
    started: list[str] = []  # one "translating 0/n" per article, as the models start on it
    files: list[tuple[int, str | None, str | None, int, int]] = []

    def seen(event: Progress) -> None:
        if event.stage == "translating" and event.done == 0:
            started.append(event.stage)
        elif event.stage == "files":
            written = len(list(out.glob("*.md")))
            files.append((event.done, event.item, event.status, written, len(started)))

    engine = Engine(
        summarizer=str(tiny_mt5_dir),
        translator=str(tiny_marian_dir),
        registry=short_registry,
        threads=1,
        progress=seen,
    )
    report = run_batch(engine, BatchOptions(in_dir=src, out_dir=out), seen)
    assert report.ok == 8, report.failures
    assert [f[0] for f in files] == list(range(9))
    assert [f[1] for f in files[1:]] == [f"{i}.txt" for i in range(8)]
    for done, _, status, written, begun in files[1:]:
        assert status == "ok" and written == done, "counted once its output is written"
        assert begun == done, "counted before the models start on the next file"
