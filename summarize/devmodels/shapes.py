"""The shapes of the real models (their public config.json), for full-size random-weight
builds, and the tiny builds' generation defaults."""

from __future__ import annotations

from typing import Any

#: Helsinki-NLP/opus-mt-ar-en config.json, model part (copied from its public model card).
OPUS_MT_AR_EN: dict[str, Any] = {
    "activation_function": "swish",
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "vocab_size": 62834,
    "decoder_vocab_size": 62834,
    "share_encoder_decoder_embeddings": True,
    "static_position_embeddings": True,
    "scale_embedding": True,
    "normalize_before": False,
    "pad_token_id": 62833,
    "decoder_start_token_id": 62833,
    "eos_token_id": 0,
    "forced_eos_token_id": 0,
    "bos_token_id": 0,
}
#: ... and its generation part.
OPUS_MT_AR_EN_GENERATION: dict[str, Any] = {
    "bad_words_ids": [[62833]],
    "num_beams": 4,
    "max_length": 512,
}

#: csebuetnlp/mT5_multilingual_XLSum config.json, model part.
MT5_XLSUM: dict[str, Any] = {
    "d_model": 768,
    "d_ff": 2048,
    "d_kv": 64,
    "num_heads": 12,
    "num_layers": 12,
    "num_decoder_layers": 12,
    "feed_forward_proj": "gated-gelu",
    "relative_attention_num_buckets": 32,
    "relative_attention_max_distance": 128,
    "tie_word_embeddings": False,
    "vocab_size": 250112,
    "pad_token_id": 0,
    "eos_token_id": 1,
    "decoder_start_token_id": 0,
}
MT5_XLSUM_GENERATION: dict[str, Any] = {
    "num_beams": 4,
    "max_length": 84,
    "no_repeat_ngram_size": 2,
    "length_penalty": 0.6,
}

#: Defaults for the tiny builds: small enough that all three build in a few seconds.
# No max_length: callers pass max_new_tokens, and a saved max_length makes transformers warn
# on every call that sets both.
TINY_GENERATION: dict[str, Any] = {"num_beams": 1}

#: The tiny Marian and BART builds' size (a few seconds to build, a few ms a sentence).
TINY_ENCODER_DECODER: dict[str, Any] = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 512,
}
