"""The light tokenizers of the CTranslate2 path read a model directory exactly as transformers
does: the same pieces in, the same text out, for every layout they take (MarianMT's
SentencePiece files, tokenizer.json, a T5 spiece.model alone), on every sample sentence."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from summarize import devmodels
from summarize import text as textproc
from summarize.backends.tokenizers import (
    JsonPieces,
    PieceTokenizer,
    SentencePieces,
    load_pieces,
    load_tokenizer,
)
from summarize.cli import app
from tests.cli_support import (
    SAMPLES,
    runner,
)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    texts = devmodels.sample_texts()
    found = [s.text for t in texts for s in textproc.split_sentences(textproc.normalize(t))]
    # Latin names, digits, a language code and doubled spaces: the edges of each layout
    return [*found, "Tokayev met Al-Thani on 30/10, 3.5 %.", ">>en<< قال", "قال  الوزير"]


@pytest.fixture(scope="module")
def spiece_only_mt5(tiny_mt5_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny mT5 laid out as csebuetnlp/mT5_multilingual_XLSum is: spiece.model, no
    tokenizer.json (the same SentencePiece model devmodels trains for it)."""
    out = tmp_path_factory.mktemp("spiece-only")
    for f in tiny_mt5_dir.iterdir():
        if f.name != "tokenizer.json":
            shutil.copy(f, out / f.name)
    with tempfile.TemporaryDirectory() as work:
        spm = devmodels.train_sentencepiece(
            [*devmodels.sample_texts(), *devmodels.english_texts()],
            Path(work) / "spiece",
            8000,
            byte_fallback=False,
            pad_id=0,
            eos_id=1,
            unk_id=2,
            bos_id=-1,
        )
        shutil.copy(spm, out / "spiece.model")
    return out


def _reference(directory: Path) -> PieceTokenizer:
    return PieceTokenizer(load_tokenizer(directory))


@pytest.mark.parametrize(
    ("fixture", "light"),
    [
        ("tiny_marian_dir", SentencePieces),
        ("tiny_mt5_dir", JsonPieces),
        ("tiny_bart_dir", JsonPieces),
        ("spiece_only_mt5", SentencePieces),
    ],
)
def test_light_tokenizer_equals_transformers(
    fixture: str, light: type, sentences: list[str], request: pytest.FixtureRequest
) -> None:
    directory: Path = request.getfixturevalue(fixture)
    ours, reference = load_pieces(directory), _reference(directory)
    assert type(ours) is light
    for sentence in sentences:
        pieces = ours.tokens(sentence)
        assert pieces == reference.tokens(sentence), sentence
        # decoding: the sentence's own pieces, and with specials in the middle
        assert ours.detokenize(pieces) == reference.detokenize(pieces), sentence
        noisy = [*pieces[:3], "</s>", "<pad>", *pieces[3:]]
        assert ours.detokenize(noisy) == reference.detokenize(noisy), sentence


def test_unknown_layouts_use_transformers(tiny_marian_dir: Path, tmp_path: Path) -> None:
    """A tokenizer whose settings the light ones do not copy is left to transformers."""
    import json

    for f in tiny_marian_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    config = json.loads((tmp_path / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["clean_up_tokenization_spaces"] = True
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    assert type(load_pieces(tmp_path)) is PieceTokenizer


def test_a_transformers_5_tokenizer_class_is_a_tokenizer(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, fast_registry: Path
) -> None:
    """transformers 5 writes tokenizer_class "TokenizersBackend" (a tokenizer base class whose
    name does not end in "Tokenizer"): the default CTranslate2 path takes it. A check by name
    refused it as "not a tokenizer"; the check asks transformers whether the class is one."""
    model = tmp_path / "mt5"
    shutil.copytree(tiny_mt5_dir, model)
    config_path = model / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "TokenizersBackend"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    result = runner.invoke(
        app,
        ["brief", str(SAMPLES[2]), "-f", "json", "--summarizer", str(model), "--translator",
         str(tiny_marian_dir), "--models", str(fast_registry)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["models"][0]["backend"] == "ctranslate2"
