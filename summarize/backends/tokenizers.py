"""Tokenizers, and keeping the Hugging Face libraries quiet on our stderr."""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.backends.base import TRANSFORMERS_LOCK
from summarize.errors import ModelError, first_line
from summarize.guarded import Unparsable, parse_json, read_regular


def quiet_libraries() -> None:
    """Keep transformers' and the hub's progress bars and advice out of our output."""
    quiet_hub()
    quiet_transformers()


def quiet_hub() -> None:
    """The hub client's part of :func:`quiet_libraries` (no transformers import)."""
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import huggingface_hub.utils

    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)  # retries and advice
    huggingface_hub.utils.disable_progress_bars()  # type: ignore[attr-defined]


def quiet_transformers() -> None:
    """transformers' part of :func:`quiet_libraries`: imports it, so only where it is used."""
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    import transformers.utils.logging as tlog

    tlog.set_verbosity_error()  # type: ignore[no-untyped-call]
    tlog.disable_progress_bar()  # type: ignore[no-untyped-call]
    warnings.filterwarnings("ignore", module="transformers")
    # torch 2.13 deprecates the quantized tensors that dynamic int8 quantization creates.
    warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)


def tokenizer_class(directory: Path) -> Any:
    """The transformers class DIRECTORY's tokenizer_config.json names, or None (no file, no
    name, or a name transformers lacks: AutoTokenizer decides). A name that is not a
    tokenizer class is refused: a folder whose tokenizer_class named a model class
    (MarianMTModel) made transformers load the model's weights, pickle included, without
    --allow-pickle, wherever it loads the tokenizer (here, and CTranslate2's converter)."""
    with TRANSFORMERS_LOCK:  # transformers' lazy imports are not thread-safe
        return _tokenizer_class(directory)


def _tokenizer_class(directory: Path) -> Any:
    import transformers

    quiet_transformers()
    config_path = directory / "tokenizer_config.json"
    if not config_path.is_file():
        return None
    from summarize.backends.hub import read_json

    name = read_json(config_path).get("tokenizer_class")
    if name is None:
        return None
    cls = getattr(transformers, str(name), None) if str(name).isidentifier() else None
    tokenizer_base = transformers.PreTrainedTokenizerBase
    if cls is not None and not (isinstance(cls, type) and issubclass(cls, tokenizer_base)):
        raise ModelError(
            f"{config_path} names tokenizer_class {str(name)!r}, which is not a "
            "tokenizer; fix that field (for example T5Tokenizer, MarianTokenizer)"
        )
    return cls


def load_tokenizer(directory: Path) -> Any:
    """The directory's tokenizer, by the class its tokenizer_config.json names.

    Loading the named class directly keeps torch out of the process (AutoTokenizer imports
    it), which saves seconds of start-up on the CTranslate2 path. The name must be a tokenizer
    class (:func:`tokenizer_class`).
    """
    with TRANSFORMERS_LOCK:
        import transformers

        cls = tokenizer_class(directory) or transformers.AutoTokenizer
        try:
            return cls.from_pretrained(
                str(directory), local_files_only=True, trust_remote_code=False
            )
        except Exception as e:
            broken = _broken_tokenizer_file(directory)
            raise ModelError(
                f"cannot load the tokenizer in {directory}: {broken or first_line(e)}"
            ) from None


# SentencePiece model files a tokenizer may be built from, when there is no tokenizer.json.
SENTENCEPIECE_FILES = ("spiece.model", "sentencepiece.bpe.model", "source.spm", "target.spm")


def _broken_tokenizer_file(directory: Path) -> str | None:
    """Which tokenizer file of DIRECTORY is damaged, and how (after a load failed): the
    library's own message often names neither the file nor the problem (a corrupt
    spiece.model surfaced as "tiktoken is required")."""
    from summarize.backends.hub import read_json

    tokenizer_json = directory / "tokenizer.json"
    if tokenizer_json.is_file():
        try:
            read_json(tokenizer_json)
        except ModelError as e:
            return f"{e}; download the model again"
    for name in SENTENCEPIECE_FILES:
        path = directory / name
        if not path.is_file():
            continue
        try:
            import sentencepiece

            processor = sentencepiece.SentencePieceProcessor()
            processor.LoadFromSerializedProto(read_regular(path, 1 << 30))
        except ImportError:
            return None
        except Exception:
            return f"{path} is not a SentencePiece model (corrupt or cut short?); download the model again"
    return None


class PieceTokenizer:
    """Text to the pieces a CTranslate2 model reads, and its output pieces back to text.

    CTranslate2 takes and gives token strings. This base class does it with a transformers
    tokenizer; :func:`load_pieces` gives a lighter one where the directory's layout allows,
    which reads the same files with the ``tokenizers`` or ``sentencepiece`` package directly
    and so keeps transformers (0.6-1.2 s of imports) out of the process.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def tokens(self, text: str) -> list[str]:
        """TEXT's pieces as the model sees them, special tokens included."""
        ids = self.tokenizer(text, add_special_tokens=True)["input_ids"]
        return list(self.tokenizer.convert_ids_to_tokens(ids))

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of output pieces; special tokens left out."""
        ids = self.tokenizer.convert_tokens_to_ids(list(tokens))
        return str(self.tokenizer.decode(ids, skip_special_tokens=True)).strip()


class JsonPieces(PieceTokenizer):
    """A ``tokenizer.json`` read by the ``tokenizers`` package (what transformers' fast
    tokenizers wrap): mT5 and BART-family models."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(path))

    def tokens(self, text: str) -> list[str]:
        ids = self.tokenizer.encode(text, add_special_tokens=True).ids
        return [str(self.tokenizer.id_to_token(i)) for i in ids]  # unknown pieces as <unk>

    def detokenize(self, tokens: Sequence[str]) -> str:
        unknown = self.tokenizer.token_to_id("<unk>")
        ids = [self.tokenizer.token_to_id(t) for t in tokens]
        known = [i if i is not None else unknown for i in ids]
        return str(self.tokenizer.decode([i for i in known if i is not None])).strip()


class SentencePieces(PieceTokenizer):
    """SentencePiece models read by the ``sentencepiece`` package, as transformers' slow
    MarianTokenizer and T5Tokenizer use them: pieces of SOURCE (those not in VOCABULARY, or
    unknown to SOURCE when there is none, as ``<unk>``), then ``</s>``; output pieces joined
    by DECODER with SPECIALS left out."""

    def __init__(
        self,
        source: Path,
        decoder: Path,
        specials: Sequence[str],
        *,
        vocabulary: frozenset[str] | None = None,
        language_codes: bool = False,
    ) -> None:
        import sentencepiece

        self.source = sentencepiece.SentencePieceProcessor(model_file=str(source))
        self.decoder = (
            self.source
            if decoder == source
            else sentencepiece.SentencePieceProcessor(model_file=str(decoder))
        )
        self.specials = frozenset(specials)
        self.vocabulary = vocabulary
        self.language_codes = language_codes

    def _known(self, piece: str) -> bool:
        if self.vocabulary is not None:
            return piece in self.vocabulary
        return bool(self.source.piece_to_id(piece) != self.source.unk_id())

    def tokens(self, text: str) -> list[str]:
        code: list[str] = []
        if self.language_codes and text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[: end + 2]], text[end + 2 :]  # as MarianTokenizer does
        pieces = [*code, *self.source.encode(text, out_type=str)]
        return [p if self._known(p) else "<unk>" for p in pieces] + ["</s>"]

    def detokenize(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in self.specials]
        return str(self.decoder.decode_pieces(pieces)).replace("\u2581", " ").strip()


def load_pieces(directory: Path) -> PieceTokenizer:
    """The lightest tokenizer that reads DIRECTORY exactly as transformers would: the
    SentencePiece files of a MarianMT or a T5 tokenizer with no tokenizer.json, or the
    tokenizer.json of any other; transformers' own tokenizer for anything else (a tokenizer
    with settings these do not copy)."""
    try:  # bounded: a FIFO or /dev/zero there never hangs a load
        config = parse_json(read_regular(directory / "tokenizer_config.json", 1 << 24))
    except (OSError, Unparsable):
        config = {}
    if not isinstance(config, dict):
        config = {}
    kind = str(config.get("tokenizer_class") or "")
    plain = not config.get("clean_up_tokenization_spaces") and not config.get("do_lower_case")
    try:
        if kind == "MarianTokenizer" and plain:
            source, target = directory / "source.spm", directory / "target.spm"
            if source.is_file() and target.is_file():
                vocab = json.loads(read_regular(directory / "vocab.json", 1 << 28))
                specials = _special_tokens(config, ("</s>", "<unk>", "<pad>"))
                # With one vocabulary for both sides transformers decodes with the source model.
                decoder = target if config.get("separate_vocabs") else source
                return SentencePieces(
                    source, decoder, specials, vocabulary=frozenset(vocab), language_codes=True
                )
        if (directory / "tokenizer.json").is_file() and plain:
            return JsonPieces(directory / "tokenizer.json")
        if kind == "T5Tokenizer" and plain and (directory / "spiece.model").is_file():
            specials = _special_tokens(config, ("</s>", "<unk>", "<pad>"))
            spiece = directory / "spiece.model"
            return SentencePieces(spiece, spiece, specials)
    except Exception as e:
        broken = _broken_tokenizer_file(directory)
        raise ModelError(
            f"cannot load the tokenizer in {directory}: {broken or first_line(e)}"
        ) from None
    return PieceTokenizer(load_tokenizer(directory))


def _special_tokens(config: dict[str, Any], defaults: Sequence[str]) -> list[str]:
    """The special tokens a tokenizer_config.json names (skipped when decoding)."""
    found = list(defaults)
    for key in ("eos_token", "unk_token", "pad_token", "bos_token"):
        value = config.get(key)
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            found.append(value)
    for entry in (config.get("added_tokens_decoder") or {}).values():
        if (
            isinstance(entry, dict)
            and entry.get("special")
            and isinstance(entry.get("content"), str)
        ):
            found.append(entry["content"])
    extra = config.get("additional_special_tokens") or config.get("extra_special_tokens") or []
    found += [t for t in extra if isinstance(t, str)] if isinstance(extra, list) else []
    return found
