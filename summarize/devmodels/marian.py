"""A MarianMT translator (the opus-mt-ar-en layout), tiny or full-size."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarize.devmodels.build import (
    BANNED_LOGIT,
    _build,
    _save,
    _torch,
    _transformers,
)
from summarize.devmodels.shapes import (
    OPUS_MT_AR_EN,
    OPUS_MT_AR_EN_GENERATION,
    TINY_ENCODER_DECODER,
    TINY_GENERATION,
)
from summarize.devmodels.texts import (
    _spm_pieces,
    english_texts,
    sample_texts,
    train_sentencepiece,
)

# --------------------------------------------------------------------------- Marian


def marian_config(*, full_size: bool = False, vocab_size: int = 1000) -> Any:
    """The MarianConfig a build uses: opus-mt-ar-en's exactly, or a tiny one (pad = last id)."""
    tf = _transformers()
    if full_size:
        return tf.MarianConfig(architectures=["MarianMTModel"], **OPUS_MT_AR_EN)
    return tf.MarianConfig(
        architectures=["MarianMTModel"],
        activation_function="swish",
        **TINY_ENCODER_DECODER,
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        scale_embedding=True,
        normalize_before=False,
        pad_token_id=vocab_size - 1,
        decoder_start_token_id=vocab_size - 1,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=0,
    )


def marian_generation(config: Any, *, full_size: bool = False) -> dict[str, Any]:
    if full_size:
        return dict(OPUS_MT_AR_EN_GENERATION)
    return {"bad_words_ids": [[config.pad_token_id]], **TINY_GENERATION}


def marian_vocab(source_spm: Path, target_spm: Path, size: int | None = None) -> dict[str, int]:
    """An opus-mt style shared vocab: ``</s>`` 0, ``<unk>`` 1, pieces, ``<pad>`` last.

    With ``size`` the vocab is padded with never-produced filler pieces to exactly ``size``
    entries, so ids are contiguous (CTranslate2 needs that) and ``<pad>`` is ``size - 1``.
    """
    pieces = ["</s>", "<unk>"]
    seen = set(pieces) | {"<s>"}
    for spm_path in (source_spm, target_spm):
        for piece, _ in _spm_pieces(spm_path):
            if piece not in seen:
                seen.add(piece)
                pieces.append(piece)
    if size is not None:
        if len(pieces) + 1 > size:
            raise ValueError(f"{len(pieces) + 1} pieces do not fit a vocab of {size}")
        pieces += [f"<unused_{i}>" for i in range(size - 1 - len(pieces))]
    pieces.append("<pad>")
    return {piece: i for i, piece in enumerate(pieces)}


def build_marian(out_dir: Path, *, full_size: bool = False, seed: int = 0) -> Path:
    """A MarianMT directory shaped like Helsinki-NLP/opus-mt-ar-en, with random weights.

    The source SentencePiece is trained on the Arabic samples, the target one on the English
    corpus. EOS, pad, unk, byte and Arabic-only pieces are banned through ``final_logits_bias``,
    so the output is English-looking word pieces, always ``max_new_tokens`` long.
    """

    def body(tmp: Path) -> None:
        tf, torch = _transformers(), _torch()
        src = train_sentencepiece(sample_texts(), tmp / "source", 8000)
        tgt = train_sentencepiece(english_texts(), tmp / "target", 8000)
        src.rename(tmp / "source.spm")
        tgt.rename(tmp / "target.spm")
        src, tgt = tmp / "source.spm", tmp / "target.spm"
        vocab = marian_vocab(src, tgt, OPUS_MT_AR_EN["vocab_size"] if full_size else None)
        (tmp / "vocab.json").write_text(
            json.dumps(vocab, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        tokenizer = tf.MarianTokenizer(
            source_spm=str(src),
            target_spm=str(tgt),
            vocab=str(tmp / "vocab.json"),
            source_lang="ar",
            target_lang="en",
            model_max_length=512,
        )
        tokenizer.save_pretrained(tmp)

        config = marian_config(full_size=full_size, vocab_size=len(vocab))
        torch.manual_seed(seed)
        model = tf.MarianMTModel(config).eval()
        english = {p for p, _ in _spm_pieces(tgt)}
        banned = [
            i
            for piece, i in vocab.items()
            if piece not in english or piece.startswith("<") and piece.endswith(">")
        ]
        with torch.no_grad():
            # The decoder starts from <pad>; its embedding is zero, as CTranslate2 assumes.
            model.get_input_embeddings().weight[config.pad_token_id].zero_()
            model.final_logits_bias.zero_()
            model.final_logits_bias[0, banned] = BANNED_LOGIT
        _save(model, marian_generation(config, full_size=full_size), tmp)

    return _build("marian", out_dir, full_size, seed, body)
