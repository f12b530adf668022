"""A BART summarizer (the AraBART layout, a BARThez tokenizer), tiny."""

from __future__ import annotations

import importlib
import tempfile
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
    TINY_ENCODER_DECODER,
    TINY_GENERATION,
)
from summarize.devmodels.texts import (
    _spm_pieces,
    english_texts,
    sample_texts,
    train_sentencepiece,
)

# --------------------------------------------------------------------------- BART


def bart_config(*, vocab_size: int = 1000) -> Any:
    """A tiny BartConfig in AraBART's layout (bos 0, pad 1, eos 2)."""
    tf = _transformers()
    return tf.BartConfig(
        architectures=["BartForConditionalGeneration"],
        vocab_size=vocab_size,
        **TINY_ENCODER_DECODER,
        activation_function="gelu",
        scale_embedding=False,
        # As in AraBART's (and facebook/bart-*) config.json; transformers 5.x dropped these
        # fields but CTranslate2's converter still reads normalize_before.
        normalize_before=False,
        normalize_embedding=True,
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
    )


def build_bart(out_dir: Path, *, seed: int = 0) -> Path:
    """A tiny BART summarizer like AraBART, with a BARThez (SentencePiece unigram) tokenizer."""

    def body(tmp: Path) -> None:
        tf, torch = _transformers(), _torch()
        with tempfile.TemporaryDirectory() as work:
            spm_path = train_sentencepiece(
                [*sample_texts(), *english_texts()],
                Path(work) / "sentencepiece.bpe",
                8000,
                byte_fallback=False,
                normalization="identity",  # BarthezTokenizer normalizes (NFC) itself
                bos_id=0,
                pad_id=1,
                eos_id=2,
                unk_id=3,
            )
            pieces = [*_spm_pieces(spm_path), ("<mask>", 0.0)]
        tokenizer = tf.BarthezTokenizer(vocab=pieces, model_max_length=512)
        # <s> text </s>, as AraBART's tokenizer.json does (BarthezTokenizer sets no template).
        processors = importlib.import_module("tokenizers.processors")
        tokenizer.backend_tokenizer.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>",
            pair="<s> $A </s> </s> $B </s>",
            special_tokens=[("<s>", 0), ("</s>", 2)],
        )
        tokenizer.save_pretrained(tmp)

        config = bart_config(vocab_size=len(pieces))
        torch.manual_seed(seed)
        model = tf.BartForConditionalGeneration(config).eval()
        with torch.no_grad():
            model.final_logits_bias.zero_()
            model.final_logits_bias[0, [0, 1, 2, 3, len(pieces) - 1]] = BANNED_LOGIT
        _save(model, dict(TINY_GENERATION), tmp)

    return _build("bart", out_dir, False, seed, body)
