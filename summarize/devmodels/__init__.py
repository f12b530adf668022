"""Random-weight seq2seq models of the real architectures, built offline: the demo models of
`summarize models demo DIR`, and the models of the tests and the benchmark.

They need no download: the tokenizers are trained here, on the corpus shipped with the package
(``data/corpus``: the sample articles and a little English). Each builder
writes a standard Hugging Face directory (config, generation config, ``model.safetensors``
and a tokenizer trained here with SentencePiece on ``samples/``) that the Auto classes load
back, so the product's real loading path is exercised without the hub.

Random weights tend to emit end-of-sequence at once; every builder bans EOS (and pad, unk and
other ids that decode to nothing) through the output layer, so output is never empty and
generation always runs to ``max_new_tokens``. That also gives benchmarks a fixed output length.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from summarize.devmodels.bart import bart_config, build_bart
from summarize.devmodels.build import BANNED_LOGIT, BUILDER_VERSION, MARKER
from summarize.devmodels.marian import build_marian, marian_config, marian_generation, marian_vocab
from summarize.devmodels.mt5 import build_mt5, mt5_config
from summarize.devmodels.shapes import (
    MT5_XLSUM,
    MT5_XLSUM_GENERATION,
    OPUS_MT_AR_EN,
    OPUS_MT_AR_EN_GENERATION,
    TINY_GENERATION,
)
from summarize.devmodels.texts import (
    ARABIC_CORPUS,
    CORPUS,
    ENGLISH_CORPUS,
    english_texts,
    sample_sentences,
    sample_texts,
    train_sentencepiece,
)

__all__ = [
    "ARABIC_CORPUS",
    "BANNED_LOGIT",
    "BUILDER_VERSION",
    "CORPUS",
    "DEMO_ARTICLE",
    "ENGLISH_CORPUS",
    "MARKER",
    "MT5_XLSUM",
    "MT5_XLSUM_GENERATION",
    "OPUS_MT_AR_EN",
    "OPUS_MT_AR_EN_GENERATION",
    "TINY_GENERATION",
    "bart_config",
    "build_bart",
    "build_demo",
    "build_marian",
    "build_mt5",
    "english_texts",
    "marian_config",
    "marian_generation",
    "marian_vocab",
    "mt5_config",
    "sample_sentences",
    "sample_texts",
    "train_sentencepiece",
]


DEMO_ARTICLE = "tokayev-sco-interview-with-lang-switcher.txt"


def build_demo(out_dir: Path, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """The demo: a tiny MarianMT translator, mT5 and BART summarizers, and an article to try
    them on (``article.txt``), under OUT_DIR. Reuses what an earlier build left there."""
    out_dir = Path(out_dir)
    built: dict[str, Path] = {}
    for name, build in (("marian", build_marian), ("mt5", build_mt5), ("bart", build_bart)):
        if progress is not None:
            progress(name)
        built[name] = build(out_dir / name)
    article = out_dir / "article.txt"
    article.write_text((ARABIC_CORPUS / DEMO_ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    built["article"] = article
    return built
