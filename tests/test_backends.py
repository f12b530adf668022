"""Every backend and precision against the reference path (transformers fp32), on tiny models.

What "the same" means here:
* CTranslate2 fp32, greedy: the same text as transformers, for every input and all three
  architectures. Beam search too, except mT5 with no_repeat_ngram_size (see below).
* CTranslate2 beam search with no_repeat_ngram_size on the tiny mT5: the two libraries apply
  the n-gram ban to the beams at slightly different points, and the tiny random model's
  scores are nearly flat, so beams part ways early. Without the n-gram ban the outputs match
  exactly (checked below), which shows the model conversion itself is exact.
* int8 (torch dynamic quantization, or CTranslate2 int8) rounds every weight, and a tiny
  random model's top tokens are often near ties, so exact equality is not promised. For the
  translator the check is agreement with fp32: at least half the outputs identical and at
  least 80% of words equal position by position. The tiny mT5's logits are so flat that int8
  output agrees with fp32 on only 15-50% of inputs; there the test checks that int8 runs.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize import devmodels
from summarize import text as textproc
from summarize.backends import LoadOptions, Model, RunSettings, conversion
from summarize.backends import ctranslate2 as ct2_backend
from summarize.backends import transformers as tf_backend
from summarize.backends.tokenizers import load_tokenizer
from summarize.cli import app
from summarize.errors import ModelError
from summarize.registry import ModelSpec, load_registry, resolve
from tests.samples import sample_paths

ROLES = {"marian": "translator", "mt5": "summarizer", "bart": "summarizer"}
LENGTH = 16


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    texts = devmodels.sample_texts()
    return [s.text for t in texts for s in textproc.split_sentences(textproc.normalize(t))][:24]


@pytest.fixture
def model_dirs(tiny_marian_dir: Path, tiny_mt5_dir: Path, tiny_bart_dir: Path) -> dict[str, Path]:
    return {"marian": tiny_marian_dir, "mt5": tiny_mt5_dir, "bart": tiny_bart_dir}


def make_spec(directory: Path, role: str, **generation: Any) -> ModelSpec:
    spec = resolve(str(directory), role, load_registry())  # type: ignore[arg-type]
    return dataclasses.replace(spec, generation=dataclasses.replace(spec.generation, **generation))


def load(
    spec: ModelSpec, directory: Path, backend: str, precision: str = "fp32", *, vmap: bool = False
) -> Model:
    """SPEC on BACKEND. The comparisons with transformers run CTranslate2's full output layer
    unless VMAP (what the vocabulary map changes is tested on its own, below)."""
    assert spec.path == directory.resolve()
    options = LoadOptions(backend=backend, precision=precision, device="cpu")  # type: ignore[arg-type]
    if backend == "ctranslate2":
        model = ct2_backend.load(spec, options)
        model.use_vmap = model.use_vmap and vmap
        return model
    return tf_backend.load(spec, options)


def outputs(model: Model, sentences: list[str]) -> list[str]:
    return model.generate(sentences, [LENGTH] * len(sentences))


@pytest.mark.parametrize("arch", ["marian", "mt5", "bart"])
def test_ctranslate2_greedy_equals_transformers(
    arch: str, model_dirs: dict[str, Path], sentences: list[str]
) -> None:
    spec = make_spec(model_dirs[arch], ROLES[arch], num_beams=1)
    reference = outputs(load(spec, model_dirs[arch], "transformers"), sentences)
    got = outputs(load(spec, model_dirs[arch], "ctranslate2"), sentences)
    assert all(reference) and got == reference


@pytest.mark.parametrize(
    ("arch", "no_repeat"), [("marian", 4), ("bart", 3), ("mt5", 0)], ids=["marian", "bart", "mt5"]
)
def test_ctranslate2_beam_equals_transformers(
    arch: str, no_repeat: int, model_dirs: dict[str, Path], sentences: list[str]
) -> None:
    spec = make_spec(
        model_dirs[arch],
        ROLES[arch],
        num_beams=4,
        length_penalty=0.6,
        no_repeat_ngram_size=no_repeat,
    )
    reference = outputs(load(spec, model_dirs[arch], "transformers"), sentences)
    assert outputs(load(spec, model_dirs[arch], "ctranslate2"), sentences) == reference


def _agreement(a: list[str], b: list[str]) -> tuple[float, float]:
    """(share of identical outputs, share of identical words position by position)."""
    same = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    words = [(x.split(), y.split()) for x, y in zip(a, b, strict=True)]
    matched = sum(sum(p == q for p, q in zip(x, y, strict=False)) for x, y in words)
    total = sum(max(len(x), len(y)) for x, y in words)
    return same, matched / total


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_int8_agrees_with_fp32(
    backend: str, tiny_marian_dir: Path, tiny_mt5_dir: Path, sentences: list[str]
) -> None:
    spec = make_spec(tiny_marian_dir, "translator", num_beams=1)
    reference = outputs(load(spec, tiny_marian_dir, "transformers"), sentences)
    quantized = outputs(load(spec, tiny_marian_dir, backend, "int8"), sentences)
    assert all(quantized)
    same, tokens = _agreement(reference, quantized)
    assert same >= 0.5 and tokens >= 0.8, (same, tokens)
    # The tiny mT5 (d_model 32, random) has near-tied logits everywhere: int8 rounding moves
    # its outputs a lot (about 15-50% identical), which says nothing about real models. Here
    # int8 must only run and produce text of the requested length.
    spec = make_spec(tiny_mt5_dir, "summarizer", num_beams=1)
    summaries = outputs(load(spec, tiny_mt5_dir, backend, "int8"), sentences)
    assert all(summaries)


def test_conversion_is_cached(
    tiny_marian_dir: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = make_spec(tiny_marian_dir, "translator")
    with caplog.at_level(logging.INFO, logger="summarize"):
        first = conversion.ensure_converted(spec, tiny_marian_dir, "int8")
    assert "once" in caplog.text and (first / "model.bin").is_file()
    assert first.parent == conversion.cache_root() and first.name.endswith("-int8")

    def no_second_conversion(*args: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(conversion, "_convert", no_second_conversion)
    caplog.clear()
    assert conversion.ensure_converted(spec, tiny_marian_dir, "int8") == first
    assert "converting" not in caplog.text


def test_missing_ctranslate2_is_a_clear_error_not_a_silent_fallback(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ctranslate2" or name.startswith("ctranslate2."):
            raise ImportError("No module named 'ctranslate2'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "ctranslate2", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    spec = make_spec(tiny_marian_dir, "translator", num_beams=1)
    with pytest.raises(ModelError, match="needs the ctranslate2 package"):
        load(spec, tiny_marian_dir, "ctranslate2")


runner = CliRunner()


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_cli_translate_and_brief_with_ctranslate2(
    precision: str, tiny_marian_dir: Path, tiny_mt5_dir: Path, samples_dir: Path
) -> None:
    sample = sample_paths(samples_dir)[0]
    common = ["--backend", "ctranslate2", "--precision", precision, "--format", "json", "-q"]
    translated = runner.invoke(
        app, ["translate", str(sample), "--translator", str(tiny_marian_dir), *common]
    )
    assert translated.exit_code == 0, translated.stderr
    data = json.loads(translated.stdout)
    assert data["translation"] and all(
        p["ar"].strip() and p["en"].strip() for p in data["translation"]
    )
    assert data["models"][0]["backend"] == "ctranslate2"
    assert data["models"][0]["precision"] == precision

    brief = runner.invoke(
        app,
        [
            "brief",
            str(sample),
            "--summarizer",
            str(tiny_mt5_dir),
            "--translator",
            str(tiny_marian_dir),
            *common,
        ],
    )
    assert brief.exit_code == 0, brief.stderr
    data = json.loads(brief.stdout)
    assert data["summary"] and all(p["ar"].strip() and p["en"].strip() for p in data["summary"])
    assert {m["backend"] for m in data["models"]} == {"ctranslate2"}


def test_batches_never_carry_short_outputs_to_a_long_bound() -> None:
    from summarize.backends.base import plan_batches

    lengths = [50, 48, 45, 20, 19, 5]
    bounds = [2 * n + 10 for n in lengths]
    plan = plan_batches(lengths, max_batch=32, max_tokens=10_000, bounds=bounds)
    assert sorted(i for batch in plan for i in batch) == list(range(6))
    for batch in plan:
        longest = max(bounds[i] for i in batch)
        assert all(bounds[i] >= 0.8 * longest for i in batch), (batch, bounds)
    assert plan[0] == [0, 1, 2]
    # without bounds only the size budgets split batches
    assert plan_batches(lengths, max_batch=32, max_tokens=10_000) == [[0, 1, 2, 3, 4, 5]]
    assert plan_batches(lengths, max_batch=2, max_tokens=10_000) == [[0, 1], [2, 3], [4, 5]]
    assert plan_batches(lengths, max_batch=32, max_tokens=100) == [[0, 1], [2, 3], [4, 5]]


def test_outputs_are_cut_to_their_own_bound(tiny_marian_dir: Path, sentences: list[str]) -> None:
    """In one batch, each output keeps to its own bound, on both backends."""
    spec = make_spec(tiny_marian_dir, "translator")
    few = sentences[:4]
    bounds = [3, 5, 4, 6]
    tokenizer = load_tokenizer(tiny_marian_dir)
    for backend in ("transformers", "ctranslate2"):
        model = load(spec, tiny_marian_dir, backend)
        got = model.generate(few, bounds)
        for text, bound in zip(got, bounds, strict=True):
            n = len(tokenizer(text_target=text, add_special_tokens=False).input_ids)
            assert 0 < n <= bound + 1, (backend, text, bound)


def test_ctranslate2_path_never_imports_torch(
    tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once converted, the CTranslate2 path starts without torch: seconds saved per process."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1", "SUMMARIZE_THREADS": "1"}
    spec = make_spec(tiny_marian_dir, "translator")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    conversion.ensure_converted(spec, tiny_marian_dir, "int8")
    probe = (
        "import sys; from summarize.cli import app; sys.argv = ['summarize', 'translate', '-', "
        f"'--translator', {str(tiny_marian_dir)!r}, '--backend', 'ctranslate2', '--precision', "
        "'int8', '-f', 'json']\n"
        "try:\n    app()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "print('torch' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], input="قال الوزير إن الاجتماع كان مثمرا.",
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["translation"][0]["en"]
    assert done.stderr.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_output_never_runs_past_the_decoder_positions(
    backend: str, tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bound past Marian's 512 decoder positions raises IndexError in transformers: capped."""
    spec = make_spec(
        tiny_marian_dir, "translator", num_beams=1, no_repeat_ngram_size=0, max_new_tokens=600
    )
    model = load(spec, tiny_marian_dir, backend)
    assert model.cap == 511  # type: ignore[attr-defined]
    asked: list[int] = []
    if backend == "transformers":
        inner = model.model.generate  # type: ignore[attr-defined]

        def spy(**kwargs: Any) -> Any:
            asked.append(kwargs["max_new_tokens"])
            return inner(**kwargs)

        monkeypatch.setattr(model.model, "generate", spy)  # type: ignore[attr-defined]
    (text,) = model.generate(["قال الوزير إن الاجتماع كان مثمرا."], [600])
    assert text.strip()
    assert asked in ([], [511])


def test_int8_without_torch_quantization_says_what_works(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch has deprecated torch.ao.quantization; where it is gone, the message names the way out."""
    import torch

    monkeypatch.delattr(torch.ao.quantization, "quantize_dynamic")
    spec = make_spec(tiny_marian_dir, "translator")
    with pytest.raises(ModelError, match="--backend ctranslate2 --precision int8"):
        load(spec, tiny_marian_dir, "transformers", "int8")


# -- the default path: auto, the vocabulary map, the conversion cache ---------------------


def test_auto_runs_ctranslate2_int8_for_the_architectures_it_runs(
    model_dirs: dict[str, Path], tmp_path: Path
) -> None:
    from summarize.backends import choose_backend, run_settings

    options = LoadOptions(device="cpu")
    for arch, directory in model_dirs.items():
        spec = make_spec(directory, ROLES[arch])
        assert choose_backend(spec, options) == "ctranslate2"
        assert run_settings(spec, options) == RunSettings("ctranslate2", "cpu", "int8")
    # an architecture auto does not give to CTranslate2: transformers, int8 on the CPU too
    other = tmp_path / "pegasus"
    other.mkdir()
    for f in model_dirs["bart"].iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    config = json.loads((other / "config.json").read_text(encoding="utf-8"))
    (other / "config.json").write_text(json.dumps({**config, "model_type": "pegasus"}), "utf-8")
    spec = make_spec(other, "summarizer")
    assert choose_backend(spec, options) == "transformers"
    assert run_settings(spec, options).precision == "int8"
    # asked for explicitly: as asked
    reference = LoadOptions(backend="transformers", precision="fp32", device="cpu")
    assert run_settings(spec, reference) == RunSettings("transformers", "cpu", "fp32")
    assert run_settings(spec, dataclasses.replace(options, device="cuda")).precision == "fp16"


def test_fp16_on_the_cpu_says_what_works(tiny_marian_dir: Path) -> None:
    spec = make_spec(tiny_marian_dir, "translator")
    for backend in ("ctranslate2", "transformers"):
        with pytest.raises(ModelError, match="fp16 runs on CUDA only"):
            load(spec, tiny_marian_dir, backend, "fp16")


def test_threads_follow_the_plan(tiny_marian_dir: Path, tiny_mt5_dir: Path) -> None:
    """A translator gets one-thread workers, a summarizer one worker with every thread."""
    options = LoadOptions(backend="ctranslate2", device="cpu", threads=2)
    translator = ct2_backend.load(make_spec(tiny_marian_dir, "translator"), options)
    summarizer = ct2_backend.load(make_spec(tiny_mt5_dir, "summarizer"), options)
    assert (translator.info["threads"], translator.concurrency) == ("2x1", 2)
    assert (summarizer.info["threads"], summarizer.concurrency) == ("1x2", 1)


@pytest.mark.parametrize(("arch", "script"), [("mt5", "arabic"), ("marian", "latin")])
def test_vmap_changes_nothing_where_the_full_output_is_allowed(
    arch: str, script: str, model_dirs: dict[str, Path], sentences: list[str]
) -> None:
    """The conversion carries the map, and the model uses it (mT5 summarizer, Marian
    translator). Where the unrestricted output lies inside the allowed set the output is the
    same; where it does not, the output keeps to the set."""
    from summarize.vmap import build_vmap, read_ct2_vocabulary

    directory = model_dirs[arch]
    spec = make_spec(directory, ROLES[arch], num_beams=1)
    model = ct2_backend.load(spec, LoadOptions(backend="ctranslate2", precision="fp32"))
    assert model.use_vmap and model.info["vmap"] == "yes"
    converted = conversion.conversion_dir(spec, directory, "float32")
    assert json.loads((converted / conversion.MARKER).read_text("utf-8"))["vmap"] == script
    vmap = build_vmap(read_ct2_vocabulary(converted), script)  # type: ignore[arg-type]
    special = {"<unk>", "</s>", "<pad>", "<s>"}
    inside = 0
    for sentence in sentences:
        source = model.pieces.tokens(sentence)
        allowed = vmap.allowed([source]) | special

        def decode(use_vmap: bool, source: list[str] = source) -> list[str]:
            result = model.model.translate_batch(
                [source], beam_size=1, max_decoding_length=LENGTH, use_vmap=use_vmap
            )
            return list(result[0].hypotheses[0])

        free, restricted = decode(False), decode(True)
        assert set(restricted) <= allowed
        if set(free) <= allowed:
            inside += 1
            assert restricted == free
    if arch == "marian":  # its output pieces are Latin-looking: every sentence is inside
        assert inside == len(sentences)


def test_bart_keeps_its_full_output_layer(tiny_bart_dir: Path) -> None:
    model = ct2_backend.load(make_spec(tiny_bart_dir, "summarizer"), LoadOptions(device="cpu"))
    assert not model.use_vmap and model.info["vmap"] == "no"


def test_conversion_reports_its_stages(tiny_marian_dir: Path) -> None:
    from summarize.progress import Progress

    events: list[Progress] = []
    spec = make_spec(tiny_marian_dir, "translator")
    conversion.ensure_converted(spec, tiny_marian_dir, "int8", progress=events.append)
    stages = [e.stage for e in events]
    for what in ("loading the checkpoint", "quantizing", "writing"):
        assert any(what in s and "first use" in s and s.endswith(" s)") for s in stages), stages
    assert any(re.search(r"writing \d+(\.\d)? KB", s) for s in stages), stages
    assert [e.done for e in events] == sorted(e.done for e in events)


def test_a_stale_or_damaged_conversion_is_converted_again(
    tiny_marian_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = make_spec(tiny_marian_dir, "translator")
    target = conversion.ensure_converted(spec, tiny_marian_dir, "int8", script="latin")
    good = (target / "model.bin").read_bytes()
    assert conversion.check_conversion(target) is None
    cases = {
        "an older version": lambda: _edit_marker(target, version=1),
        "cut short": lambda: (target / "model.bin").write_bytes(good[: len(good) // 2]),
        "no marker": lambda: (target / conversion.MARKER).unlink(),
        "vmap missing": lambda: (target / "vmap.txt").unlink(),
    }
    for why, damage in cases.items():
        damage()
        assert conversion.check_conversion(target) is not None, why
        with caplog.at_level(logging.INFO, logger="summarize"):
            again = conversion.ensure_converted(spec, tiny_marian_dir, "int8", script="latin")
        assert again == target and conversion.check_conversion(target) is None, why
        assert (target / "model.bin").read_bytes() == good, why
    assert "converting again" in caplog.text


def _edit_marker(folder: Path, **changes: Any) -> None:
    marker = json.loads((folder / conversion.MARKER).read_text("utf-8"))
    (folder / conversion.MARKER).write_text(json.dumps({**marker, **changes}), "utf-8")


def test_a_conversion_that_cannot_be_loaded_is_converted_again(
    tiny_marian_dir: Path, sentences: list[str]
) -> None:
    """Damage that keeps every file's size (a flipped block): loading fails, so it is redone."""
    spec = make_spec(tiny_marian_dir, "translator", num_beams=1)
    target = conversion.ensure_converted(spec, tiny_marian_dir, "int8", script="latin")
    size = (target / "model.bin").stat().st_size
    (target / "model.bin").write_bytes(b"\0" * size)
    model = load(spec, tiny_marian_dir, "ctranslate2", "int8")
    assert all(model.generate(sentences[:2], [LENGTH, LENGTH]))
    assert (target / "model.bin").read_bytes() != b"\0" * size


def test_two_processes_converting_at_once_are_safe(tiny_marian_dir: Path, tmp_path: Path) -> None:
    """Both wait for one conversion (a file lock; built aside and renamed into place)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HOME": str(tmp_path)}
    code = (
        "import logging, sys; from pathlib import Path\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from summarize.backends.conversion import ensure_converted\n"
        "from summarize.registry import load_registry, resolve\n"
        "d = Path(sys.argv[1]); s = resolve(str(d), 'translator', load_registry())\n"
        "print(ensure_converted(s, d, 'int8', script='latin'))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tiny_marian_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    (first, _), (second, _) = outs
    assert first == second
    target = Path(first.strip())
    assert conversion.check_conversion(target) is None
    converting = sum("converting marian" in err for _, err in outs)
    assert converting == 1, outs  # one converted, the other waited and reused it
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]
    assert leftovers in ([], [f".{target.name}.lock"])
