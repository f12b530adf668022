"""Cut text into pieces that fit a model's token budget, losing nothing.

MarianMT's position embeddings end at 512 tokens and mT5 summaries degrade past its input
length, so every string fed to a model must be measured first. This module knows nothing of
models: it takes a :data:`TokenCounter` (the model's own tokenizer, special tokens included)
and a budget. Chunks tile the source exactly, so offsets map results back to the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarize.text import Sentence
from summarize.text.runon import LIST_RULES, RUN_ON_WORDS, split_run_on

__all__ = [
    "RUN_ON_WORDS",
    "Chunk",
    "TokenCounter",
    "Unit",
    "model_units",
    "pack_chunks",
    "split_for_models",
    "split_to_fit",
]

TokenCounter = Callable[[str], int]
"""Counts the tokens a model would see for a string, special tokens included."""


@dataclass(frozen=True)
class Chunk:
    """An exact span of the source text, ``source[start:end]``, that fits the budget."""

    text: str
    start: int
    end: int

    @property
    def model_text(self) -> str:
        """The chunk as fed to a model: whitespace runs, line breaks included, made one space."""
        return " ".join(self.text.split())


_NON_SPACE = re.compile(r"\S")
# A clause ends after «،» or «؛» (spaces or not), or after , ; : when a space follows
# (so 1,500 and 10:30 stay whole). The cut goes after the spaces.
_CLAUSE_END = re.compile(r"[،؛]\s*|[,;:]\s+")
_WORD_GAP = re.compile(r"\s+(?=\S)")
_MAX_RETRIES = 8


@dataclass(frozen=True)
class Unit:
    """A piece of one sentence as the models get it: the whole sentence, or a piece of a
    run-on (:mod:`summarize.text.runon`). ``sentence`` is the sentence's index; ``rule`` the
    cut before the piece (``""`` for a first piece or a whole sentence)."""

    text: str
    sentence: int
    rule: str

    @property
    def list_item(self) -> bool:
        """An item of a bullet or dash list, not a sentence."""
        return self.rule in LIST_RULES


def model_units(sentences: Sequence[Sentence], max_words: int = RUN_ON_WORDS) -> list[Unit]:
    """The sentences as units for the models: a sentence over MAX_WORDS words is cut at its
    strongest internal boundaries (bullets, dash runs, a label's colon, «؛», «،»), so that no
    summary line and no translation unit is a run-on of hundreds of words."""
    return [
        Unit(piece.strip(), i, rule)
        for i, sentence in enumerate(sentences)
        for piece, rule in split_run_on(sentence.text, max_words)
        if piece.strip()
    ]


def split_for_models(
    text: str, count_tokens: TokenCounter, budget: int, max_words: int = RUN_ON_WORDS
) -> list[str]:
    """One sentence as the pieces a model gets: cut where it runs on (see
    :func:`model_units`), then each piece fit to ``budget`` tokens (:func:`split_to_fit`).
    ``"".join(pieces) == text``."""
    return [
        part
        for piece, _ in split_run_on(text, max_words)
        for part in (split_to_fit(piece, count_tokens, budget) if piece else [])
    ]


def split_to_fit(text: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    """Split one over-long string into pieces of at most ``budget`` tokens each.

    Cuts prefer clause boundaries («،» «؛» «:» , ;), then word boundaries, then characters;
    ``"".join(pieces) == text``. Raises ValueError when the budget cannot hold even one
    character (with the whitespace that must travel with it).
    """
    if not text:
        return []
    if count_tokens(text) <= budget:
        return [text]
    return [text[a:b] for a, b in _split_spans(text, count_tokens, budget)]


def _split_spans(text: str, count_tokens: TokenCounter, budget: int) -> list[tuple[int, int]]:
    """Greedy cut of ``text`` into spans that fit; no span is empty or whitespace only.

    For each piece the reach (the longest prefix that fits) is found by galloping then binary
    search, so count_tokens only ever sees strings about twice a piece's length. The cut is
    then the last clause boundary within reach, else the last word boundary, else the reach.
    """
    n = len(text)
    non_space = [m.start() for m in _NON_SPACE.finditer(text)]
    if not non_space:
        raise ValueError(f"whitespace-only text does not fit a budget of {budget} tokens")
    last = non_space[-1]
    clause_cuts = [m.end() for m in _CLAUSE_END.finditer(text) if m.end() < n]
    word_cuts = [m.end() for m in _WORD_GAP.finditer(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        first = non_space[bisect.bisect_left(non_space, start)]

        def fits(end: int, start: int = start) -> bool:
            return count_tokens(text[start:end]) <= budget

        if not fits(first + 1):
            raise ValueError(
                f"budget of {budget} tokens is too small: even {text[start : first + 1]!r} "
                "does not fit"
            )
        reach = _reach(fits, first + 1, n)
        if reach == n:
            spans.append((start, n))
            return spans
        # The cut must leave a non-space character on both sides.
        limit = min(reach, last)
        cut = (
            _last_fitting(clause_cuts, first, limit, fits)
            or _last_fitting(word_cuts, first, limit, fits)
            or _char_cut(text, first, limit, fits)
        )
        if cut is None:
            raise ValueError(
                f"budget of {budget} tokens is too small to cut {text[start:]!r} "
                "without leaving a whitespace-only piece"
            )
        spans.append((start, cut))
        start = cut


def _reach(fits: Callable[[int], bool], low: int, n: int) -> int:
    """The largest end in [low, n] that fits, given that ``low`` fits (counts assumed monotone)."""
    good, step = low, 1
    while good < n:
        probe = min(good + step, n)
        if not fits(probe):
            return _bisect(fits, good, probe)
        good = probe
        step *= 2
    return good


def _bisect(fits: Callable[[int], bool], good: int, bad: int) -> int:
    """The largest x in [GOOD, BAD) that fits, given that GOOD fits and BAD does not."""
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(middle):
            good = middle
        else:
            bad = middle
    return good


def _last_fitting(
    cuts: Sequence[int], first: int, limit: int, fits: Callable[[int], bool]
) -> int | None:
    """The last cut in (first, limit] that fits; real tokenizers are only nearly monotone."""
    index = bisect.bisect_right(cuts, limit) - 1
    for _ in range(_MAX_RETRIES):
        if index < 0 or cuts[index] <= first:
            return None
        if fits(cuts[index]):
            return cuts[index]
        index -= 1
    return None


def _char_cut(text: str, first: int, limit: int, fits: Callable[[int], bool]) -> int | None:
    """A character cut at or before ``limit`` that does not orphan a combining mark."""
    cut = limit
    while cut - 1 > first and unicodedata.category(text[cut])[0] == "M":
        cut -= 1
    if unicodedata.category(text[cut])[0] == "M":  # only marks after the base: cut anyway
        cut = limit
    while cut > first:
        if fits(cut):
            return cut
        cut -= 1
    return None


def pack_chunks(
    text: str, sentences: Sequence[Sentence], count_tokens: TokenCounter, budget: int
) -> list[Chunk]:
    """Pack consecutive sentences of ``text`` greedily into chunks of at most ``budget`` tokens.

    The chunks tile ``text`` exactly (the whitespace after a sentence goes with it when it
    fits); each chunk's real token count is checked, since counts are not quite additive.
    A sentence longer than the budget is cut by :func:`split_to_fit` into chunks of its own.
    Empty or whitespace-only text gives no chunks.
    """
    if not text.strip():
        return []
    _check_sentences(text, sentences)
    n = len(text)
    # (end of the sentence, start of the next sentence or end of text)
    if sentences:
        bounds = [(s.end, nxt.start) for s, nxt in zip(sentences, sentences[1:], strict=False)]
        bounds.append((sentences[-1].end, n))
    else:
        bounds = [(len(text.rstrip()), n)]

    def fits(start: int, end: int) -> bool:
        return count_tokens(text[start:end]) <= budget

    chunks: list[Chunk] = []
    start = 0
    index = 0
    guess = 1  # sentences in the last chunk: where the next search starts
    while index < len(bounds):
        # The most sentences from INDEX on that fit with their trailing whitespace, found by
        # galloping from the last chunk's size, then binary search. Adding one sentence at a
        # time and counting the whole chunk again cost O(k^2) per chunk of k sentences: with
        # one-word lines (k ~ 250 for 512 tokens) that was most of a long brief's time.
        # Now each chunk costs O(log k) counts, each of at most about two chunks of text.
        def fits_through(j: int, start: int = start) -> bool:
            return fits(start, bounds[j][1])

        last = _most_fitting(fits_through, index, len(bounds), guess)
        end: int | None = bounds[last][1] if last is not None else None
        following = last + 1 if last is not None else index
        if following < len(bounds):
            # Leave the whitespace to the next chunk, never to a whitespace-only tail.
            core, full = bounds[following]
            if full < n and fits(start, core):
                end = core
                following += 1
        guess = max(1, following - index)
        if end is not None:
            chunks.append(Chunk(text[start:end], start, end))
            start, index = end, following
            continue
        # This sentence alone is over budget: cut it, then let its last piece take the
        # whitespace after it when that still fits.
        core, full = bounds[index]
        stop = core if full < n else n
        spans = [
            (start + a, start + b) for a, b in _split_spans(text[start:stop], count_tokens, budget)
        ]
        last_start, last_end = spans[-1]
        if last_end < full and fits(last_start, full):
            spans[-1] = (last_start, full)
        chunks.extend(Chunk(text[a:b], a, b) for a, b in spans)
        start = spans[-1][1]
        index += 1
    return chunks


def _most_fitting(fits: Callable[[int], bool], low: int, high: int, guess: int) -> int | None:
    """The largest j in [LOW, HIGH) with FITS(j), or None when FITS(LOW) is false; counts are
    taken as monotone in j. Starts at LOW + GUESS - 1, then gallops and bisects."""
    probe = min(high - 1, low + guess - 1)
    if fits(probe):
        good, step = probe, 1
        while good < high - 1:
            nxt = min(high - 1, good + step)
            if not fits(nxt):
                bad = nxt
                break
            good, step = nxt, step * 2
        else:
            return good
    else:
        if probe == low:
            return None
        bad, step = probe, 1
        while True:  # gallop down to something that fits
            nxt = max(low, bad - step)
            if fits(nxt):
                good = nxt
                break
            if nxt == low:
                return None
            bad, step = nxt, step * 2
    return _bisect(fits, good, bad)


def _check_sentences(text: str, sentences: Sequence[Sentence]) -> None:
    """Refuse sentences that do not belong to ``text``: chunks would silently lose text."""
    previous_end = 0
    for sentence in sentences:
        if not previous_end <= sentence.start < sentence.end <= len(text):
            raise ValueError(
                f"sentence at {sentence.start}:{sentence.end} is out of order or out of range"
            )
        if text[sentence.start : sentence.end] != sentence.text or not sentence.text.strip():
            raise ValueError(f"sentence at {sentence.start}:{sentence.end} does not match text")
        previous_end = sentence.end
