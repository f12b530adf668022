"""Vocabulary maps for CTranslate2: the output pieces a summary or a translation may use.

mT5's output layer has 250,112 rows, and computing it is most of a decoding step; an Arabic
summary only ever uses Arabic-script pieces, digits, punctuation and pieces copied from its
own input. CTranslate2 can restrict the output layer per batch to such a set: a *vocabulary
map* (``vmap.txt`` in the converted model's folder) and ``translate_batch(..., use_vmap=True)``.

The file is text, one rule per line: ``src_1 src_2 ... src_N<TAB>tgt_1 tgt_2 ... tgt_K``.
A batch's allowed set is the targets of every rule whose source n-gram occurs in any source of
the batch, plus the line with an empty key (always allowed), plus unk, bos and eos. Tokens are
separated by spaces, so a piece holding whitespace cannot be written (SentencePiece pieces
never do: they write a space as ``▁``).

Everything here is pure: vocabularies in, text out. Nothing imports ctranslate2 or torch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from summarize.fileio import atomic_write
from summarize.guarded import Unparsable, parse_json, read_regular

Script = Literal["arabic", "latin"]
SCRIPTS: tuple[Script, ...] = ("arabic", "latin")

#: SentencePiece's word-boundary mark (U+2581), which starts a piece that begins a word.
WORD_MARK = "\u2581"
#: The file name CTranslate2 loads a vocabulary map from, in a converted model's folder.
VMAP_FILE = "vmap.txt"
#: Special pieces that stay allowed whenever the vocabulary has them.
SPECIAL_PIECES = ("</s>", "<pad>", "<unk>", "<s>")

_ARABIC = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x089F),  # Arabic Extended-B
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
    (0x200C, 0x200D),  # zero-width non-joiner and joiner
)
_LATIN = (
    (0x0041, 0x005A),
    (0x0061, 0x007A),
    (0x00C0, 0x024F),  # Latin-1 letters, Latin Extended-A and -B
    (0x0300, 0x036F),  # combining diacritics
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0xFB00, 0xFB06),  # ligatures (ﬁ, ﬂ)
)
_RANGES: dict[Script, tuple[tuple[int, int], ...]] = {"arabic": _ARABIC, "latin": _LATIN}


def _in(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in ranges)


def _neutral(char: str) -> bool:
    """Digits, punctuation and symbols: allowed in an output of any script."""
    return unicodedata.category(char)[0] in "NPS"


def is_markup(piece: str) -> bool:
    """Whether PIECE is a control token such as ``<extra_id_7>``, ``<0x0A>`` or ``<unused_3>``."""
    return len(piece) > 2 and piece.startswith("<") and piece.endswith(">")


def is_output_piece(piece: str, script: Script) -> bool:
    """Whether PIECE is made of SCRIPT letters, digits, punctuation and symbols only.

    The leading word mark does not count; the bare mark is allowed (it is a space). Control
    tokens (``is_markup``) never are: the specials a model needs are added by name.
    """
    if is_markup(piece):
        return False
    text = piece.lstrip(WORD_MARK)
    ranges = _RANGES[script]
    return all(_in(c, ranges) or _neutral(c) for c in text)


def writable(piece: str) -> bool:
    """Whether PIECE can appear in a vmap file (no whitespace: it separates tokens)."""
    return bool(piece) and not any(c.isspace() for c in piece)


def _other_form(piece: str) -> str:
    """The same piece at the other position: word-initial ``▁x`` <-> word-internal ``x``."""
    if piece.startswith(WORD_MARK):
        return piece[len(WORD_MARK) :]
    return WORD_MARK + piece


@dataclass(frozen=True)
class VocabularyMap:
    """A vocabulary map: pieces always allowed, and pieces each source piece allows."""

    always: tuple[str, ...]
    copies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    vocabulary_size: int = 0
    script: Script = "arabic"

    def lines(self) -> Iterator[str]:
        """The file's lines (without newlines): the always-allowed line first."""
        yield "\t" + " ".join(self.always)
        for source, targets in self.copies.items():
            yield source + "\t" + " ".join(targets)

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines())

    def write(self, path: Path) -> Path:
        """Write the map to PATH (a folder gets ``vmap.txt``), atomically."""
        path = Path(path)
        if path.is_dir():
            path = path / VMAP_FILE
        atomic_write(path, self.text())  # every byte checked, the umask's mode (not 0600)
        return path

    def allowed(self, sources: Iterable[Sequence[str]]) -> set[str]:
        """The pieces CTranslate2 allows for a batch of these tokenized sources.

        The always-allowed line plus what each source piece maps to. (CTranslate2 also adds
        its unk, bos and eos tokens, which ``build_vmap`` puts on the always line anyway.)
        """
        out = set(self.always)
        for tokens in sources:
            for token in tokens:
                out.update(self.copies.get(token, ()))
        return out

    @property
    def stats(self) -> dict[str, int | float | str]:
        """Sizes worth printing: how much of the output layer is left."""
        return {
            "script": self.script,
            "vocabulary": self.vocabulary_size,
            "always_allowed": len(self.always),
            "always_allowed_share": round(len(self.always) / max(1, self.vocabulary_size), 4),
            "copy_rules": len(self.copies),
        }


def build_vmap(
    vocabulary: Sequence[str],
    script: Script = "arabic",
    *,
    copies: bool = True,
    specials: Iterable[str] = SPECIAL_PIECES,
    extra: Iterable[str] = (),
) -> VocabularyMap:
    """The vocabulary map for outputs in SCRIPT over VOCABULARY (a model's target pieces).

    Always allowed: the pieces of SCRIPT, digits, punctuation and symbols (``is_output_piece``),
    the SPECIALS the vocabulary has, and EXTRA. With COPIES, every other piece (control tokens
    aside) maps to itself and to its other word position (``▁Tokayev`` and ``Tokayev``), so a
    name or a Latin word in the input can still be copied into the output.
    """
    known = set(vocabulary)
    always: list[str] = []
    seen: set[str] = set()
    wanted = set(extra) | (set(specials) & known)
    for piece in vocabulary:
        if piece in seen or not writable(piece):
            continue
        if piece in wanted or is_output_piece(piece, script):
            always.append(piece)
            seen.add(piece)
    rules: dict[str, tuple[str, ...]] = {}
    if copies:
        for piece in vocabulary:
            if piece in seen or piece in rules or not writable(piece) or is_markup(piece):
                continue
            other = _other_form(piece)
            targets = [piece]
            if other in known and other not in seen and writable(other):
                targets.append(other)
            rules[piece] = tuple(targets)
    return VocabularyMap(
        always=tuple(always), copies=rules, vocabulary_size=len(vocabulary), script=script
    )


_VOCABULARY_FILES = (
    "target_vocabulary.json",
    "shared_vocabulary.json",
    "target_vocabulary.txt",
    "shared_vocabulary.txt",
)


# mT5's 250,112 pieces take about 5 MB.
MAX_VOCABULARY_BYTES = 1 << 28


def read_ct2_vocabulary(model_dir: Path) -> list[str]:
    """The target vocabulary of a converted CTranslate2 model, in id order.

    The map is resolved against this list when CTranslate2 loads it, so building the map from
    it (rather than from the tokenizer) covers padded rows and renamed specials alike.
    """
    model_dir = Path(model_dir)
    for name in _VOCABULARY_FILES:
        path = model_dir / name
        if not path.is_file():
            continue
        text = read_regular(path, MAX_VOCABULARY_BYTES).decode("utf-8")
        if name.endswith(".json"):
            try:
                tokens = parse_json(text)
            except Unparsable as e:
                raise ValueError(f"{path} is {e.reason}") from None
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise ValueError(f"{path} is not a list of tokens")
            return list(tokens)
        lines = text.split("\n")
        return lines[:-1] if lines and lines[-1] == "" else lines
    raise FileNotFoundError(
        f"no target vocabulary in {model_dir} (looked for {', '.join(_VOCABULARY_FILES)})"
    )


def write_vmap_for(model_dir: Path, script: Script, *, copies: bool = True) -> VocabularyMap:
    """Build the map for a converted model from its own vocabulary and write ``vmap.txt``.

    CTranslate2 reads ``vmap.txt`` from the model folder when the model loads, exactly as the
    converter's ``vmap=`` argument would have placed it; call this before publishing a
    conversion (or before loading an older one).
    """
    vmap = build_vmap(read_ct2_vocabulary(model_dir), script, copies=copies)
    vmap.write(Path(model_dir) / VMAP_FILE)
    return vmap
