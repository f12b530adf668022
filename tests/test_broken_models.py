"""Broken models and registries: each gets one line naming the file and the field, and its code.

Model directories are copies of the tiny MarianMT (tests/conftest.py) with one thing broken.
tests/test_cli.py covers an unknown alias on the command line, a registry that is invalid
TOML (via --models) and a field of the wrong type; this module covers the rest.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.errors import (
    ModelError,
    RegistryError,
)
from tests.cli_support import (
    REPO,
    SAMPLES,
    fast_registry_text,
    one_line_error,
)

runner = CliRunner()
SAMPLE = str(SAMPLES[2])


def translate(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["translate", SAMPLE, "-f", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    path = tmp_path / "models.toml"
    path.write_text(fast_registry_text(), encoding="utf-8")
    return path


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _no_tokenizer(d: Path) -> None:
    for name in ("source.spm", "target.spm", "vocab.json"):
        (d / name).unlink()


def _no_vocab(d: Path) -> None:
    (d / "vocab.json").unlink()


def _garbage_weights(d: Path) -> None:
    (d / "model.safetensors").write_bytes(bytes(range(256)) * 64)


def _truncated_weights(d: Path) -> None:
    data = (d / "model.safetensors").read_bytes()
    (d / "model.safetensors").write_bytes(data[: len(data) // 3])


def _no_weights(d: Path) -> None:
    (d / "model.safetensors").unlink()


def _no_config(d: Path) -> None:
    (d / "config.json").unlink()


def _bad_config(d: Path) -> None:
    (d / "config.json").write_text('{"model_type": "marian",', encoding="utf-8")


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "no tokenizer files": (_no_tokenizer, "has no tokenizer files (expected tokenizer.json"),
    "marian without vocab.json": (
        _no_vocab,
        "is a MarianMT model without vocab.json (its tokenizer needs source.spm",
    ),
    "garbage weights": (
        _garbage_weights,
        "model.safetensors is corrupt (its header length is not plausible",
    ),
    "truncated weights": (_truncated_weights, "model.safetensors is corrupt (truncated: tensor"),
    "no weights": (_no_weights, "has no weights (expected model.safetensors)"),
    "no config.json": (_no_config, "has no config.json, so it is not a transformers model"),
    "config.json not JSON": (_bad_config, "config.json is not valid JSON"),
}


@pytest.mark.parametrize("case", list(BREAKAGES))
def test_broken_model_directory(
    case: str, tiny_marian_dir: Path, tmp_path: Path, registry: Path
) -> None:
    broken = _copy(tiny_marian_dir, tmp_path / "broken")
    breakage, message = BREAKAGES[case]
    breakage(broken)
    code, out, err = translate("--translator", str(broken), "--models", str(registry))
    assert code == ModelError.exit_code, err
    assert out == "" and one_line_error(err), err
    assert str(broken) in err and message in err


@pytest.fixture(scope="module")
def classifier_dir(tmp_path_factory: pytest.TempPathFactory, tiny_marian_dir: Path) -> Path:
    """A tiny BertForSequenceClassification, saved with save_pretrained, with a tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=120,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=3,
    )
    out = tmp_path_factory.mktemp("classifier")
    BertForSequenceClassification(config).save_pretrained(out)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        shutil.copy(tiny_marian_dir / name, out / name)
    return out


def test_classifier_given_as_translator(classifier_dir: Path, registry: Path) -> None:
    code, _, err = translate("--translator", str(classifier_dir), "--models", str(registry))
    assert code == ModelError.exit_code and one_line_error(err), err
    assert f"{classifier_dir} holds a BertForSequenceClassification" in err
    assert "config.json: architectures, model_type" in err and "cannot generate text" in err


def test_pickle_weights_refused_then_allowed_with_a_warning(
    tiny_marian_dir: Path, tmp_path: Path, registry: Path
) -> None:
    import torch
    from transformers import MarianMTModel

    pickled = _copy(tiny_marian_dir, tmp_path / "pickled")
    model = MarianMTModel.from_pretrained(str(tiny_marian_dir))
    torch.save(model.state_dict(), pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    args = ("--translator", str(pickled), "--models", str(registry))

    code, out, err = translate(*args)
    assert code == ModelError.exit_code and one_line_error(err), err
    assert (
        "has only pickle weights (pytorch_model.bin); loading pickle can run arbitrary code" in err
    )
    assert "--allow-pickle" in err

    code, out, err = translate(*args, "--allow-pickle")
    assert code == 0, err
    assert json.loads(out)["translation"]
    warning = [line for line in err.splitlines() if "pickle" in line and "WARNING" in line]
    assert warning == [
        f"summarize: WARNING: loading pickle weights from {pickled / 'pytorch_model.bin'} "
        "because --allow-pickle was given; pickle can run code, so only do this for sources "
        "you trust"
    ]


# -- the registry ----------------------------------------------------------------------

SHIPPED = (REPO / "models.toml").read_text(encoding="utf-8")
REGISTRY_BREAKAGES: dict[str, tuple[str, str]] = {
    "misspelled field": (
        SHIPPED.replace("max_input_tokens = 512", "max_input_token = 512", 1),
        "models.mt5-xlsum.max_input_token is not a known field (known: ",
    ),
    "misspelled generation setting": (
        SHIPPED.replace("num_beams = 4", "num_beam = 4", 1),
        "models.mt5-xlsum.generation.num_beam is not a known setting (known: num_beams,",
    ),
    "default names a missing alias": (
        SHIPPED.replace('translator = "opus-mt-ar-en"', 'translator = "opus-mt-ar-enn"', 1),
        "defaults.translator names 'opus-mt-ar-enn', which is not in [models] (known: ",
    ),
    "unpinned revision": (
        SHIPPED.replace('revision = "refs/pr/7"', 'revision = "main"', 1),
        "models.mt5-xlsum.revision must be a full 40-hex commit hash (or refs/pr/N), got 'main'",
    ),
    "unknown role": (
        SHIPPED.replace('role = "translator"', 'role = "translater"', 1),
        "models.opus-mt-ar-en.role must be one of summarizer, translator, got 'translater'",
    ),
    "missing hub_id": (
        SHIPPED.replace('hub_id = "Helsinki-NLP/opus-mt-ar-en"\n', "", 1),
        "models.opus-mt-ar-en.hub_id is missing",
    ),
    "negative setting": (
        SHIPPED.replace("length_penalty = 0.6", "length_penalty = -0.6", 1),
        "models.mt5-xlsum.generation.length_penalty must not be negative, got -0.6",
    ),
    "no [models] table": ("schema = 1\n[defaults]\n", "models must be a table ([models])"),
    "duplicate key (invalid TOML)": (
        SHIPPED.replace(
            "max_input_tokens = 512", "max_input_tokens = 512\nmax_input_tokens = 1", 1
        ),
        "invalid TOML: ",
    ),
}


@pytest.mark.parametrize("case", list(REGISTRY_BREAKAGES))
@pytest.mark.parametrize("how", ["--models", "SUMMARIZE_MODELS"])
def test_broken_registry_names_file_and_field(
    case: str, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, message = REGISTRY_BREAKAGES[case]
    path = tmp_path / "models.toml"
    path.write_text(text, encoding="utf-8")
    if how == "--models":
        result = runner.invoke(app, ["models", "--models", str(path)])
    else:
        monkeypatch.setenv("SUMMARIZE_MODELS", str(path))
        result = runner.invoke(app, ["brief", SAMPLE])
    assert result.exit_code == RegistryError.exit_code, result.stderr
    assert one_line_error(result.stderr), result.stderr
    assert result.stderr.startswith(f"summarize: error: {path}: ")
    assert message in result.stderr


def test_registry_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(SHIPPED.replace("CC-BY", "CC-BY-\xe9").encode("latin-1", errors="replace"))
    for path, message in (
        (latin, f"cannot read model registry {latin}: 'utf-8' codec can't decode"),
        (tmp_path / "nope.toml", f"model registry {tmp_path / 'nope.toml'} does not exist"),
    ):
        result = runner.invoke(app, ["models", "--models", str(path)])
        assert result.exit_code == RegistryError.exit_code
        assert one_line_error(result.stderr) and message in result.stderr


def test_alias_typo_on_the_command_line(registry: Path) -> None:
    code, _, err = translate("--translator", "opus-mt-ar-enn", "--models", str(registry))
    assert code == ModelError.exit_code and one_line_error(err)
    assert "unknown translator 'opus-mt-ar-enn'; known: opus-mt-ar-en, opus-mt-tc-big-ar-en" in err


# -- model folders that lie -----------------------------------------------------------------


@pytest.fixture
def torch_load_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every torch.load (how pickle weights are read) is recorded and refused."""
    import torch

    calls: list[str] = []

    def refuse(f: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(f))
        raise AssertionError(f"torch.load({f}) was called")

    monkeypatch.setattr(torch, "load", refuse)
    yield calls


def translate_with(model: Path, registry: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["translate", str(SAMPLES[2]), "-f", "json", "--translator", str(model),
         "--models", str(registry), *args],
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def _pickled_copy(tiny: Path, dst: Path, *, keep_safetensors: bool) -> Path:
    import torch
    from safetensors.torch import load_file

    shutil.copytree(tiny, dst)
    torch.save(load_file(str(dst / "model.safetensors")), dst / "pytorch_model.bin")
    if not keep_safetensors:
        (dst / "model.safetensors").rename(dst / "decoy.safetensors")
    return dst


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_pickle_refusal_cannot_be_bypassed(
    backend: str,
    tiny_marian_dir: Path,
    tmp_path: Path,
    fast_registry: Path,
    torch_load_calls: list[str],
) -> None:
    """A decoy *.safetensors beside pytorch_model.bin, and a tokenizer_class that names a
    model class: the check is on the file transformers would load, so pickle is refused
    (and torch.load never runs) without --allow-pickle."""
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    model = _pickled_copy(tiny_marian_dir, tmp_path / "m", keep_safetensors=False)
    code, _, err = translate_with(model, fast_registry, "--backend", backend)
    assert code == 8 and one_line_error(err), err
    assert "has only pickle weights (pytorch_model.bin)" in err
    assert "decoy.safetensors" not in err or "not a name transformers loads" in err
    config = json.loads((model / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["tokenizer_class"] = "MarianMTModel"
    (model / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    (model / "decoy.safetensors").rename(model / "model.safetensors")
    code, _, err = translate_with(model, fast_registry, "--backend", backend)
    assert code == 8 and one_line_error(err), err
    assert "names tokenizer_class 'MarianMTModel', which is not a tokenizer" in err
    assert torch_load_calls == [], "pickle weights were read"


def test_allow_pickle_still_prefers_safetensors(
    tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path, torch_load_calls: list[str]
) -> None:
    model = _pickled_copy(tiny_marian_dir, tmp_path / "both", keep_safetensors=True)
    code, out, err = translate_with(model, fast_registry, "--allow-pickle")
    assert code == 0, err
    assert torch_load_calls == [] and "pickle" not in err


def _nested_safetensors(d: Path) -> None:
    header = b'{"a": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    (d / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header)


def _other_architecture(d: Path) -> None:
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    # another translating architecture (a summarizing one is refused as a translator sooner)
    config.update(model_type="mbart", architectures=["MBartForConditionalGeneration"])
    (d / "config.json").write_text(json.dumps(config), encoding="utf-8")


def _corrupt_spm(d: Path) -> None:
    (d / "source.spm").write_bytes(bytes(range(256)) * 8)


def _deep_config(d: Path) -> None:
    (d / "config.json").write_text('{"a": ' + "[" * 200_000 + "]" * 200_000 + "}")


def _fifo_config(d: Path) -> None:
    (d / "config.json").unlink()
    os.mkfifo(d / "config.json")


LYING_MODELS = {
    "safetensors header nested 200,000 deep": (
        _nested_safetensors, "model.safetensors is corrupt (its header is nested too deeply"),
    "config says another architecture": (
        _other_architecture, "the weights do not fit the model config.json describes"),
    "corrupt source.spm": (_corrupt_spm, "source.spm is not a SentencePiece model"),
    "config.json nested 200,000 deep": (_deep_config, "config.json is not usable JSON"),
    "config.json is a FIFO": (_fifo_config, "config.json is a FIFO, socket or device"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(LYING_MODELS))
def test_model_folders_that_lie_name_the_file(
    case: str, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    model = tmp_path / "lying"
    shutil.copytree(tiny_marian_dir, model)
    breakage, message = LYING_MODELS[case]
    breakage(model)
    code, out, err = translate_with(model, fast_registry)
    assert code == 8 and out == "" and one_line_error(err), err
    assert message in err and str(model) in err


def test_a_corrupt_spiece_model_is_named(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """An mT5 folder whose tokenizer is built from spiece.model (no tokenizer.json) and whose
    spiece.model is garbage: the error names that file (it said 'tiktoken is required')."""
    model = tmp_path / "mt5"
    shutil.copytree(tiny_mt5_dir, model)
    (model / "tokenizer.json").unlink()
    (model / "spiece.model").write_bytes(bytes(range(256)) * 12)
    result = runner.invoke(
        app,
        ["brief", str(SAMPLES[2]), "--summarizer", str(model), "--translator",
         str(tiny_marian_dir), "--models", str(fast_registry)],
    )  # fmt: skip
    assert result.exit_code == 8 and one_line_error(result.stderr), result.stderr


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
@pytest.mark.parametrize("name", ["tokenizer_config.json", "generation_config.json"])
def test_a_fifo_among_a_models_side_files_never_hangs(
    name: str, backend: str, tiny_marian_dir: Path, tmp_path: Path
) -> None:
    """A FIFO (no writer) in place of a model's side file hung the command where the file was
    opened; every file of a model folder is read through the bounded reader (a process, so
    that a hang fails by timeout)."""
    from tests.cli_support import cli_env, run_cli

    model = _copy(tiny_marian_dir, tmp_path / "marian")
    (model / name).unlink()
    os.mkfifo(model / name)
    args = ["translate", SAMPLE, "--translator", str(model), "--backend", backend, "-f", "json"]
    proc = run_cli(args, env=cli_env(HF_HOME=str(tmp_path / "hf")), timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode in (0, ModelError.exit_code), err
    assert proc.returncode == 0 or (one_line_error(err) and name in err), err


def _replace_with(path: Path, kind: str) -> None:
    path.unlink()
    if kind == "a FIFO":
        os.mkfifo(path)
    elif kind == "a directory":
        path.mkdir()
    else:  # a link to nothing (a blob removed from the hub cache)
        path.symlink_to(path.parent / "gone")


@pytest.mark.parametrize("kind", ["a FIFO", "a directory", "a link to nothing"])
@pytest.mark.parametrize("name", ["vocab.json", "source.spm", "target.spm", "model.safetensors"])
def test_a_model_file_that_is_not_a_file_is_named_for_what_it_is(
    name: str, kind: str, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """A FIFO (or a folder, or a dangling link) named vocab.json or source.spm was reported
    as "a MarianMT model without vocab.json" (model.safetensors: "has no weights"); the
    check says what is there instead, and opens nothing (checked in a thread, so that a
    regression that opens the FIFO fails instead of hanging the suite)."""
    import threading

    from summarize.backends.hub import check_directory
    from summarize.registry import load_registry, resolve

    model = _copy(tiny_marian_dir, tmp_path / "marian")
    _replace_with(model / name, kind)
    spec = resolve(str(model), "translator", load_registry(fast_registry))
    caught: list[BaseException] = []

    def check() -> None:
        try:
            check_directory(model, spec, allow_pickle=False)
        except BaseException as e:
            caught.append(e)

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the check opened the file and hangs"
    assert len(caught) == 1 and isinstance(caught[0], ModelError), caught
    message = str(caught[0])
    expected = (
        "is a link to a file that does not exist"
        if kind == "a link to nothing"
        else f"is {kind}, not a regular file; replace it with the model's file"
    )
    assert f"{model / name} {expected}" in message, message
    assert "without" not in message and "has no weights" not in message


def test_a_fifo_vocabulary_is_one_line_on_the_command_line(
    tiny_marian_dir: Path, tmp_path: Path
) -> None:
    """The same through `translate` and `config set translator`, as real processes: one line,
    the model error's exit code, no hang."""
    from tests.cli_support import cli_env, run_cli

    model = _copy(tiny_marian_dir, tmp_path / "marian")
    _replace_with(model / "vocab.json", "a FIFO")
    env = cli_env(HF_HOME=str(tmp_path / "hf"), SUMMARIZE_CONFIG_DIR=str(tmp_path / "cfg"))
    for args, code in (
        (["translate", SAMPLE, "--translator", str(model), "-f", "json"], ModelError.exit_code),
        (["config", "set", "translator", str(model)], 2),
    ):
        proc = run_cli(args, env=env, timeout=120)
        err = proc.stderr.decode()
        assert proc.returncode == code and one_line_error(err), (args, err)
        assert f"{model / 'vocab.json'} is a FIFO, not a regular file" in err, err
    assert not (tmp_path / "cfg" / "config.toml").exists()
