"""Property tests: normalization is idempotent, splitting and chunking lose nothing."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from summarize.chunking import pack_chunks, split_to_fit
from summarize.text import normalize, split_sentences, strip_furniture

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B)]
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0640"]
PUNCTUATION = list(".،؟!؛:…«»\"'()-/%٫")
DIGITS = list("0123456789٠١٢٣٤٥٦٧٨٩")
SPACES = [" ", " ", " ", "\n", "\n\n", "\t", "\u00a0", "\r\n", "\u200f", "\u200b"]
LATIN = list("abcXYZ")

arabic_chars = st.one_of(
    st.sampled_from(ARABIC_LETTERS),
    st.sampled_from(ARABIC_LETTERS),
    st.sampled_from(DIACRITICS),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(DIGITS),
    st.sampled_from(SPACES),
    st.sampled_from(LATIN),
)
arabic_text = st.lists(arabic_chars, max_size=200).map("".join)
# Mostly words and stops: the shapes sentence splitting and packing care about.
arabic_prose = st.lists(
    st.one_of(
        st.lists(st.sampled_from(ARABIC_LETTERS), min_size=1, max_size=8).map("".join),
        st.sampled_from([" ", " ", " ", ". ", ".", "، ", "؟ ", "\n", "\n\n", "3.5", "...", "د. "]),
    ),
    max_size=80,
).map("".join)


def words_plus_2(text: str) -> int:
    return len(text.split()) + 2


@given(st.text())
def test_normalize_idempotent_on_any_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(arabic_text)
def test_normalize_idempotent_on_arabic_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "\u0640" not in once
    assert "\n\n\n" not in once
    assert "  " not in once
    assert once == once.strip()
    assert all(line == line.strip() for line in once.split("\n"))


@given(st.one_of(arabic_text, st.text()))
def test_strip_furniture_output_is_normalized(text: str) -> None:
    clean, removed = strip_furniture(normalize(text))
    assert normalize(clean) == clean
    assert all(line and "\n" not in line for line in removed)


def check_sentences(text: str) -> None:
    position = 0
    for sentence in split_sentences(text):
        assert sentence.start >= position
        assert text[position : sentence.start].strip() == ""
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text and sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text
        position = sentence.end
    assert text[position:].strip() == ""


@given(st.one_of(arabic_text, arabic_prose))
def test_split_sentences_invariants_normalized(text: str) -> None:
    check_sentences(normalize(text))


@given(st.text())
def test_split_sentences_invariants_raw(text: str) -> None:
    check_sentences(text)


def check_chunks(text: str, count: Callable[[str], int], budget: int) -> None:
    chunks = pack_chunks(text, split_sentences(text), count, budget)
    if not text.strip():
        assert chunks == []
        return
    assert "".join(c.text for c in chunks) == text
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.end == after.start
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.strip()
        assert count(chunk.text) <= budget


@given(st.one_of(arabic_prose, arabic_text), st.integers(min_value=3, max_value=50))
def test_pack_chunks_invariants_word_counter(text: str, budget: int) -> None:
    check_chunks(normalize(text), words_plus_2, budget)


@given(st.one_of(arabic_prose, arabic_text), st.integers(min_value=3, max_value=50))
def test_pack_chunks_invariants_char_counter(text: str, budget: int) -> None:
    check_chunks(normalize(text), len, budget)


@given(arabic_prose, st.integers(min_value=3, max_value=30))
def test_split_to_fit_joins_exactly(text: str, budget: int) -> None:
    text = normalize(text)
    pieces = split_to_fit(text, words_plus_2, budget)
    assert "".join(pieces) == text
    assert all(p.strip() and words_plus_2(p) <= budget for p in pieces)
