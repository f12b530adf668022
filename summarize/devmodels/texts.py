"""The text the demo models' tokenizers are trained on (shipped in ``summarize/data/corpus``),
and SentencePiece training on it."""

from __future__ import annotations

import importlib
import io
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# Shipped with the package: the samples' Arabic and a small English corpus (see data/corpus).
CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
ENGLISH_CORPUS = CORPUS / "english.txt"
ARABIC_CORPUS = CORPUS / "arabic"


# --------------------------------------------------------------------------- texts


def sample_texts(samples_dir: Path | None = None) -> list[str]:
    """The Arabic articles the demo models learn from (the samples, shipped with the package),
    sorted by file name; or the ``*.txt`` files of SAMPLES_DIR."""
    folder = samples_dir if samples_dir is not None else ARABIC_CORPUS
    files = sorted(Path(folder).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no *.txt samples in {folder}")
    return [f.read_text(encoding="utf-8") for f in files]


def english_texts(corpus: Path | None = None) -> list[str]:
    """The English sentences that train the tiny translator's target side."""
    path = corpus if corpus is not None else ENGLISH_CORPUS
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_sentences(samples_dir: Path | None = None) -> list[str]:
    """Non-empty, stripped lines of the samples: handy single inputs for tests."""
    return [line.strip() for text in sample_texts(samples_dir) for line in _lines([text])]


def _lines(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        for line in unicodedata.normalize("NFC", text).splitlines():
            if line.strip():
                yield line.strip()


# --------------------------------------------------------------------------- sentencepiece


def train_sentencepiece(
    texts: Iterable[str],
    prefix: Path,
    vocab_size: int,
    *,
    model_type: str = "unigram",
    byte_fallback: bool = True,
    normalization: str = "nmt_nfkc",
    unk_id: int = 0,
    bos_id: int = 1,
    eos_id: int = 2,
    pad_id: int = -1,
) -> Path:
    """Train a SentencePiece model on ``texts``, offline and deterministically.

    Returns the path of the model written, ``prefix.model``.

    ``vocab_size`` is a soft target: small corpora get fewer pieces (``hard_vocab_limit=False``),
    and it is raised to what full character coverage (plus 256 byte pieces) needs.
    """
    spm = importlib.import_module("sentencepiece")
    lines = list(_lines(texts))
    if not lines:
        raise ValueError("no text to train a SentencePiece model on")
    chars = {c for line in lines for c in line if not c.isspace()}
    specials = sum(1 for i in (unk_id, bos_id, eos_id, pad_id) if i >= 0)
    needed = len(chars) + specials + (256 if byte_fallback else 0) + 8
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type=model_type,
        vocab_size=max(vocab_size, needed),
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=byte_fallback,
        normalization_rule_name=normalization,
        unk_id=unk_id,
        bos_id=bos_id,
        eos_id=eos_id,
        pad_id=pad_id,
        num_threads=1,  # deterministic
        shuffle_input_sentence=False,
        input_sentence_size=0,
        max_sentence_length=1 << 16,
        split_digits=True,
        minloglevel=2,
    )
    path = Path(f"{prefix}.model")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.getvalue())
    return path


def _spm_processor(path: Path) -> Any:
    spm = importlib.import_module("sentencepiece")
    return spm.SentencePieceProcessor(model_file=str(path))


def _spm_pieces(path: Path) -> list[tuple[str, float]]:
    sp = _spm_processor(path)
    return [(sp.id_to_piece(i), float(sp.get_score(i))) for i in range(sp.get_piece_size())]


def _spm_charsmap(path: Path) -> bytes:
    """The precompiled normalizer of a SentencePiece model (what T5 tokenizers carry)."""
    pb = importlib.import_module("sentencepiece.sentencepiece_model_pb2")
    proto = pb.ModelProto()
    proto.ParseFromString(path.read_bytes())
    return bytes(proto.normalizer_spec.precompiled_charsmap)
