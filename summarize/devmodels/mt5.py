"""An mT5 summarizer (the mT5_multilingual_XLSum layout), tiny or full-size."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from summarize.devmodels.build import (
    _build,
    _save,
    _torch,
    _transformers,
)
from summarize.devmodels.shapes import (
    MT5_XLSUM,
    MT5_XLSUM_GENERATION,
    TINY_GENERATION,
)
from summarize.devmodels.texts import (
    _spm_charsmap,
    _spm_pieces,
    english_texts,
    sample_texts,
    train_sentencepiece,
)

# --------------------------------------------------------------------------- mT5


def mt5_config(*, full_size: bool = False, vocab_size: int = 1000) -> Any:
    """The MT5Config a build uses: mT5_multilingual_XLSum's exactly, or a tiny one."""
    tf = _transformers()
    if full_size:
        return tf.MT5Config(architectures=["MT5ForConditionalGeneration"], **MT5_XLSUM)
    return tf.MT5Config(
        architectures=["MT5ForConditionalGeneration"],
        d_model=32,
        d_ff=64,
        d_kv=16,
        num_heads=2,
        num_layers=2,
        num_decoder_layers=2,
        feed_forward_proj="gated-gelu",
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        tie_word_embeddings=False,
        vocab_size=vocab_size,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )


def _untie_lm_head(model: Any) -> None:
    """Give mT5 its own ``lm_head``, as the real checkpoints have.

    transformers 5.x forces ``MT5Config.tie_word_embeddings = True``; a checkpoint holding a
    different ``lm_head.weight`` is still loaded untied (with a logged warning), exactly as
    for csebuetnlp/mT5_multilingual_XLSum.
    """
    torch = _torch()
    factor = float(model.config.initializer_factor)
    weight = torch.empty_like(model.shared.weight).normal_(0.0, factor)
    model.lm_head.weight = torch.nn.Parameter(weight)
    model.config.tie_word_embeddings = False
    model.all_tied_weights_keys.pop("lm_head.weight", None)


def _ban_t5_tokens(
    model: Any, banned: list[int], *, level: float = 4.0, weight: float = 25.0
) -> None:
    """Make ``banned`` ids' logits always strongly negative in a (bias-free) T5 output layer.

    Residual dimension 0 of the decoder is made a constant: every embedding holds ``level``
    there and no decoder sublayer writes to it, so after the final RMSNorm it is always
    positive. The banned rows of ``lm_head`` read only that dimension, with weight
    ``-weight``; the other rows ignore it.
    """
    torch = _torch()
    with torch.no_grad():
        model.shared.weight[:, 0] = level
        for block in model.decoder.block:
            block.layer[0].SelfAttention.o.weight[0, :] = 0.0
            block.layer[1].EncDecAttention.o.weight[0, :] = 0.0
            block.layer[2].DenseReluDense.wo.weight[0, :] = 0.0
        model.decoder.final_layer_norm.weight[0] = 1.0
        head = model.lm_head.weight
        head[:, 0] = 0.0
        head[banned, :] = 0.0
        head[banned, 0] = -weight


def build_mt5(out_dir: Path, *, full_size: bool = False, seed: int = 0) -> Path:
    """An mT5 summarizer directory shaped like csebuetnlp/mT5_multilingual_XLSum.

    The T5 tokenizer (pad 0, eos 1, unk 2, as mT5) is trained on the Arabic samples plus the
    English corpus, so Latin words in articles do not turn into ``<unk>``.
    """

    def body(tmp: Path) -> None:
        tf, torch = _transformers(), _torch()
        with tempfile.TemporaryDirectory() as work:
            spm_path = train_sentencepiece(
                [*sample_texts(), *english_texts()],
                Path(work) / "spiece",
                8000,
                byte_fallback=False,  # T5Tokenizer (tokenizers-backed) has no byte fallback
                pad_id=0,
                eos_id=1,
                unk_id=2,
                bos_id=-1,
            )
            pieces = _spm_pieces(spm_path)
            tokenizer = tf.T5Tokenizer(
                vocab=pieces,
                extra_ids=0,
                _spm_precompiled_charsmap=_spm_charsmap(spm_path),
                model_max_length=512,
            )
            tokenizer.save_pretrained(tmp)

        config = mt5_config(full_size=full_size, vocab_size=len(pieces))
        torch.manual_seed(seed)
        model = tf.MT5ForConditionalGeneration(config).eval()
        _untie_lm_head(model)
        banned = [0, 1, 2, *range(len(pieces), config.vocab_size)]
        _ban_t5_tokens(model, banned)
        generation = MT5_XLSUM_GENERATION if full_size else TINY_GENERATION
        _save(model, dict(generation), tmp)

    return _build("mt5", out_dir, full_size, seed, body)
