"""Tests for summarize.chunking: exact tiling, budgets, and fallbacks for over-long sentences."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from summarize.chunking import Chunk, pack_chunks, split_to_fit
from summarize.text import Sentence, normalize, split_sentences, strip_furniture
from tests.samples import sample_paths


def words_plus_2(text: str) -> int:
    """Stand-in for a tokenizer: one token a word, plus BOS/EOS."""
    return len(text.split()) + 2


def tokenizer_like(text: str) -> int:
    """Does work proportional to the text, as a real tokenizer would: ~3 characters a token."""
    return len(re.findall(r"\w{1,3}|[^\w\s]", text)) + 2


def assert_tiles(text: str, chunks: list[Chunk], count: object, budget: int) -> None:
    assert callable(count)
    assert "".join(c.text for c in chunks) == text
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.end == after.start
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.strip()
        assert count(chunk.text) <= budget


# --------------------------------------------------------------------------- Chunk


def test_chunk_model_text_collapses_whitespace() -> None:
    chunk = Chunk("جملة أولى.\n\nجملة  ثانية. ", 0, 24)
    assert chunk.model_text == "جملة أولى. جملة ثانية."


# --------------------------------------------------------------------------- split_to_fit


def test_split_to_fit_short_text_is_one_piece() -> None:
    assert split_to_fit("جملة قصيرة.", words_plus_2, 10) == ["جملة قصيرة."]
    assert split_to_fit("", words_plus_2, 10) == []


def test_split_to_fit_prefers_arabic_comma() -> None:
    text = (
        "وأكد الرئيس أن بلاده ستواصل دعم التعاون الإقليمي، وأن القمة المقبلة ستبحث ملفات "
        "الأمن والطاقة، فضلاً عن التجارة والنقل واللوجستيات؛ وأشار إلى أهمية الحوار."
    )
    pieces = split_to_fit(text, words_plus_2, 14)
    assert "".join(pieces) == text
    assert pieces == [
        "وأكد الرئيس أن بلاده ستواصل دعم التعاون الإقليمي، ",
        "وأن القمة المقبلة ستبحث ملفات الأمن والطاقة، فضلاً عن التجارة والنقل واللوجستيات؛ ",
        "وأشار إلى أهمية الحوار.",
    ]
    assert (
        split_to_fit(text, words_plus_2, 10)[1] == "وأن القمة المقبلة ستبحث ملفات الأمن والطاقة، "
    )


def test_split_to_fit_packs_several_clauses() -> None:
    pieces = split_to_fit("أ، ب، ج، د، ه، و، ز", words_plus_2, 5)
    assert pieces == ["أ، ب، ج، ", "د، ه، و، ", "ز"]


def test_split_to_fit_latin_separators_but_not_numbers() -> None:
    text = "بلغ العدد 1,500 عند 10:30 تماماً; ثم ارتفع, وقال: نعم"
    pieces = split_to_fit(text, words_plus_2, 6)
    assert "".join(pieces) == text
    assert all(not p.endswith(("1,", "10:")) for p in pieces)
    assert pieces[0] == "بلغ العدد 1,500 عند "


def test_split_to_fit_long_clause_falls_back_to_words() -> None:
    text = "قصير، " + " ".join(f"كلمة{i}" for i in range(30))
    pieces = split_to_fit(text, words_plus_2, 10)
    assert "".join(pieces) == text
    assert pieces[0] == "قصير، "
    assert all(words_plus_2(p) <= 10 for p in pieces)
    assert all(not p[:1].isspace() for p in pieces)  # whitespace stays with the word before


def test_split_to_fit_single_long_word_by_characters() -> None:
    text = "ب" * 1000
    pieces = split_to_fit(text, len, 64)
    assert "".join(pieces) == text
    assert [len(p) for p in pieces] == [64] * 15 + [40]


def test_split_to_fit_does_not_orphan_combining_marks() -> None:
    text = "بَ" * 50  # letter + fatha
    pieces = split_to_fit(text, len, 7)
    assert "".join(pieces) == text
    assert all(p[0] != "\u064e" for p in pieces)
    assert all(len(p) <= 7 for p in pieces)


def test_split_to_fit_budget_too_small() -> None:
    with pytest.raises(ValueError, match="too small"):
        split_to_fit("كلمة طويلة", words_plus_2, 2)
    with pytest.raises(ValueError, match="too small"):
        split_to_fit("ab", len, 0)


def test_split_to_fit_20000_chars_without_punctuation_is_fast() -> None:
    calls: list[int] = []

    def counting(text: str) -> int:
        calls.append(len(text))
        return tokenizer_like(text)

    no_spaces = "ب" * 20_000
    words = ("كلمة " * 4_000)[:20_000]
    started = time.perf_counter()
    for text in (no_spaces, words):
        calls.clear()
        pieces = split_to_fit(text, counting, 50)
        assert "".join(pieces) == text
        assert all(tokenizer_like(p) <= 50 for p in pieces)
        assert sum(calls) < 40 * len(text)  # never O(n) calls on O(n)-long strings
    assert time.perf_counter() - started < 0.5


# --------------------------------------------------------------------------- pack_chunks


def test_pack_chunks_empty() -> None:
    assert pack_chunks("", [], words_plus_2, 10) == []
    assert pack_chunks(" \n ", [], words_plus_2, 10) == []


def test_pack_chunks_packs_greedily_and_tiles() -> None:
    text = "الجملة الأولى هنا. الجملة الثانية هنا.\n\nالجملة الثالثة هنا؟ الرابعة."
    sentences = split_sentences(text)
    chunks = pack_chunks(text, sentences, words_plus_2, 8)
    assert_tiles(text, chunks, words_plus_2, 8)
    assert [c.text for c in chunks] == [
        "الجملة الأولى هنا. الجملة الثانية هنا.\n\n",
        "الجملة الثالثة هنا؟ الرابعة.",
    ]


def test_pack_chunks_one_sentence_a_chunk_when_budget_is_tight() -> None:
    text = "أ ب ج. د ه و. ز ح ط."
    chunks = pack_chunks(text, split_sentences(text), words_plus_2, 5)
    assert [c.text for c in chunks] == ["أ ب ج. ", "د ه و. ", "ز ح ط."]


def test_pack_chunks_checks_the_real_count() -> None:
    # Not additive: every chunk costs 3 extra tokens, and joining sentences costs 2 more.
    def surcharged(text: str) -> int:
        return len(text.split()) + 3 + 2 * text.count(". ")

    text = "أ ب. ج د. ه و. ز ح."
    chunks = pack_chunks(text, split_sentences(text), surcharged, 8)
    assert_tiles(text, chunks, surcharged, 8)


def test_pack_chunks_splits_a_long_sentence_into_chunks_of_its_own() -> None:
    long = "وأكد البيان " + "، ".join(f"النقطة رقم {i} في جدول الأعمال" for i in range(12)) + "."
    text = f"جملة قصيرة أولى. {long} جملة قصيرة أخيرة."
    sentences = split_sentences(text)
    assert len(sentences) == 3
    chunks = pack_chunks(text, sentences, words_plus_2, 20)
    assert_tiles(text, chunks, words_plus_2, 20)
    assert chunks[0].text == "جملة قصيرة أولى. "
    assert chunks[-1].text == "جملة قصيرة أخيرة."
    middle = chunks[1:-1]
    assert len(middle) > 1
    assert "".join(c.text for c in middle) == long + " "
    assert all(c.text.rstrip().endswith(("،", ".")) for c in middle)


def test_pack_chunks_20000_char_sentence() -> None:
    text = "بداية. " + "ب" * 20_000 + ". نهاية."
    sentences = split_sentences(text)
    started = time.perf_counter()
    chunks = pack_chunks(text, sentences, tokenizer_like, 100)
    assert time.perf_counter() - started < 0.5
    assert_tiles(text, chunks, tokenizer_like, 100)


def test_pack_chunks_whitespace_goes_forward_when_it_does_not_fit() -> None:
    text = "abc\n\nde"
    sentences = split_sentences(text)
    chunks = pack_chunks(text, sentences, len, 4)
    assert_tiles(text, chunks, len, 4)
    assert [c.text for c in chunks] == ["abc", "\n\nde"]


def test_pack_chunks_without_sentences_uses_the_whole_text() -> None:
    text = "نص بلا جمل معروفة"
    chunks = pack_chunks(text, [], words_plus_2, 4)
    assert_tiles(text, chunks, words_plus_2, 4)


def test_pack_chunks_rejects_foreign_sentences() -> None:
    with pytest.raises(ValueError):
        pack_chunks("نص.", [Sentence("آخر", 0, 3, 0)], words_plus_2, 10)
    with pytest.raises(ValueError):
        pack_chunks("نص. نص.", [Sentence("نص.", 4, 7, 0), Sentence("نص.", 0, 3, 0)], len, 10)


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
@pytest.mark.parametrize("budget", [3, 12, 60, 510])
def test_pack_chunks_samples(path: Path, budget: int) -> None:
    text, _ = strip_furniture(normalize(path.read_text(encoding="utf-8")))
    chunks = pack_chunks(text, split_sentences(text), words_plus_2, budget)
    assert_tiles(text, chunks, words_plus_2, budget)


def test_packing_one_word_lines_is_not_quadratic() -> None:
    """200,000 one-word lines: packing them into chunks counted the whole growing chunk once
    per sentence (about 250 counts of up to 512 tokens per chunk). It now costs O(log k)
    counts per chunk of k sentences."""
    from summarize.chunking import pack_chunks
    from summarize.text import split_sentences

    text = "\n".join(["كلمة"] * 20_000)
    sentences = split_sentences(text)
    calls = []

    def count(piece: str) -> int:
        calls.append(len(piece))
        return len(piece.split()) + 1

    chunks = pack_chunks(text, sentences, count, 512)
    assert "".join(c.text for c in chunks) == text and all(count(c.text) <= 512 for c in chunks)
    calls_per_chunk = (len(calls) - len(chunks)) / len(chunks)
    assert calls_per_chunk < 25, calls_per_chunk  # was about 512 (one per sentence)
    assert sum(calls) < 40 * len(text), "characters counted: a few times the text, no more"
