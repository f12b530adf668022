"""The tiny dev models load through the standard Auto classes and always say something."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from summarize import devmodels

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")

# The real configs of the default models, in the shared folder beside the checkout.
SHAPES_DIR = Path(__file__).resolve().parent / "data" / "model-shapes"
ARABIC = re.compile(r"[\u0600-\u06FF]")
KINDS = {
    "marian": ("tiny_marian_dir", "MarianTokenizer", "MarianMTModel"),
    "mt5": ("tiny_mt5_dir", "T5Tokenizer", "MT5ForConditionalGeneration"),
    "bart": ("tiny_bart_dir", "BarthezTokenizer", "BartForConditionalGeneration"),
}


def _load(path: Path) -> tuple[Any, Any]:
    transformers = pytest.importorskip("transformers")
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(path, use_safetensors=True)
    return tokenizer, model.eval()


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    every = devmodels.sample_sentences()
    return every[::8]  # a spread of short and long lines, kept quick


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_tiny_model_loads_and_generates(
    kind: str, request: pytest.FixtureRequest, sentences: list[str]
) -> None:
    fixture, tokenizer_class, model_class = KINDS[kind]
    path: Path = request.getfixturevalue(fixture)
    assert (path / "model.safetensors").is_file()
    assert not list(path.glob("*.bin"))
    tokenizer, model = _load(path)
    assert type(tokenizer).__name__ == tokenizer_class
    assert type(model).__name__ == model_class

    for sentence in sentences:
        inputs = tokenizer(sentence, return_tensors="pt", truncation=True)
        ids = inputs.input_ids[0].tolist()
        assert tokenizer.unk_token_id not in ids
        assert ids[-1] == tokenizer.eos_token_id
        for beams in (1, 4):
            out = model.generate(**inputs, num_beams=beams, max_new_tokens=20)
            # Runs to max_new_tokens: start token + 20 (Marian's last is its forced </s>).
            assert out.shape == (1, 21)
            text = tokenizer.decode(out[0], skip_special_tokens=True)
            assert text.strip(), (kind, beams, out[0].tolist())


def test_bart_wraps_input_in_bos_and_eos(tiny_bart_dir: Path) -> None:
    tokenizer, _ = _load(tiny_bart_dir)
    ids = tokenizer("السلام عليكم").input_ids
    assert ids[0] == tokenizer.bos_token_id == 0
    assert ids[-1] == tokenizer.eos_token_id == 2


def test_marian_round_trips_arabic(tiny_marian_dir: Path, sentences: list[str]) -> None:
    tokenizer, _ = _load(tiny_marian_dir)
    for sentence in [*sentences, "قال 42 مسؤولاً إن SCO 🙂 مهمة"]:
        ids = tokenizer(sentence).input_ids
        assert tokenizer.unk_token_id not in ids  # byte fallback covers Latin, emoji, digits
        assert " ".join(tokenizer.decode(ids, skip_special_tokens=True).split()) == " ".join(
            sentence.split()
        )


def test_marian_vocab_follows_opus_mt(tiny_marian_dir: Path) -> None:
    vocab = json.loads((tiny_marian_dir / "vocab.json").read_text(encoding="utf-8"))
    config = json.loads((tiny_marian_dir / "config.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 == config["eos_token_id"]
    assert vocab["<unk>"] == 1
    assert vocab["<pad>"] == len(vocab) - 1 == config["pad_token_id"]
    assert config["decoder_start_token_id"] == config["pad_token_id"]
    assert sorted(vocab.values()) == list(range(len(vocab)))
    for name in ("source.spm", "target.spm", "tokenizer_config.json", "generation_config.json"):
        assert (tiny_marian_dir / name).is_file()


def test_marian_output_looks_english(tiny_marian_dir: Path, sentences: list[str]) -> None:
    tokenizer, model = _load(tiny_marian_dir)
    inputs = tokenizer(sentences[:4], return_tensors="pt", padding=True, truncation=True)
    out = model.generate(**inputs, num_beams=4, max_new_tokens=12)
    for text in tokenizer.batch_decode(out, skip_special_tokens=True):
        assert re.search(r"[A-Za-z]", text) and not ARABIC.search(text), text


def test_generation_config_is_modest(
    tiny_marian_dir: Path, tiny_mt5_dir: Path, tiny_bart_dir: Path
) -> None:
    for path in (tiny_marian_dir, tiny_mt5_dir, tiny_bart_dir):
        generation = json.loads((path / "generation_config.json").read_text(encoding="utf-8"))
        assert generation.get("max_length", 20) <= 64
        assert generation.get("num_beams", 1) in (1, 4)


def test_builds_are_deterministic_and_cached(tmp_path: Path, tiny_mt5_dir: Path) -> None:
    again = devmodels.build_mt5(tmp_path / "mt5")
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        assert (again / name).read_bytes() == (tiny_mt5_dir / name).read_bytes(), name
    stamp = (again / "model.safetensors").stat().st_mtime_ns
    assert devmodels.build_mt5(again) == again
    assert (again / "model.safetensors").stat().st_mtime_ns == stamp


def test_build_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        devmodels.build_bart(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_train_sentencepiece_is_deterministic_and_covers_bytes(tmp_path: Path) -> None:
    texts = devmodels.english_texts()
    first = devmodels.train_sentencepiece(texts, tmp_path / "a", 500)
    second = devmodels.train_sentencepiece(texts, tmp_path / "b", 500)
    assert first.read_bytes() == second.read_bytes()
    spm = pytest.importorskip("sentencepiece")
    processor = spm.SentencePieceProcessor(model_file=str(first))
    assert processor.unk_id() not in processor.encode("Ωmega 🙂 قال")


# ---------------------------------------------------------------- full-size configs


def _shape(name: str) -> dict[str, Any]:
    path = SHAPES_DIR / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_full_size_marian_config_matches_opus_mt() -> None:
    shape = _shape("opus-mt-ar-en.config.json")
    config = devmodels.marian_config(full_size=True).to_dict()
    generation = devmodels.marian_generation(None, full_size=True)
    for key, value in shape.items():
        if key.startswith("_") or key == "model_type":
            continue
        actual = generation[key] if key in generation else config[key]
        assert actual == value, key
    assert config["model_type"] == shape["model_type"]


def test_full_size_mt5_config_matches_xlsum() -> None:
    shape = _shape("mT5_multilingual_XLSum.config.json")
    config = devmodels.mt5_config(full_size=True).to_dict()
    for key, value in shape.items():
        if key.startswith("_") or key in ("generation", "tie_word_embeddings"):
            continue
        assert config[key] == value, key
    # transformers 5.x forces MT5Config.tie_word_embeddings to True; build_mt5 unties lm_head
    # and writes false to config.json, as the real checkpoint has.
    assert shape["tie_word_embeddings"] is False
    wanted = {k: v for k, v in shape["generation"].items() if k != "max_input_tokens"}
    assert devmodels.MT5_XLSUM_GENERATION == wanted
