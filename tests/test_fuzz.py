"""Fuzz passes (hypothesis, many examples, bounded): the text pipeline and the JSON Lines reader.

Hostile text of every kind goes through normalize -> strip_furniture -> split_sentences ->
pack_chunks, and through pipeline.prepare on Article objects; garbage lines go through
streams.process_stream. Nothing may raise except a SummarizeError, and nothing is lost or
reordered. The per-function properties on tamer text live in tests/test_text_properties.py.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarize.articles import Article
from summarize.chunking import pack_chunks
from summarize.errors import SummarizeError
from summarize.pipeline import Prepared, prepare
from summarize.streams import process_stream
from summarize.text import normalize, split_sentences, strip_furniture
from tests.cli_support import BIDI_CONTROLS, SAMPLES

pytestmark = pytest.mark.fuzz

SAMPLE_LINES = [
    line for s in SAMPLES for line in s.read_text(encoding="utf-8").splitlines() if line.strip()
]
HOSTILE_PIECES = [
    *BIDI_CONTROLS,
    "\u200b",
    "\ufeff",
    "\u0640",
    "\x00",
    "\x1b[31m",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\ud800",
    "\udfff",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "3.5",
    "د. ",
    "https://example.com/a.b?c=d",
    "a@b.co",
    "Ru En",
    "0",
    "133",
    "الصورة: رويترز",
    "والسلام.ونظراً",
    "...",
    "؟!",
    "،",
    "ﻻ",
    "ﷺ",
    "\u064b\u064b\u0651",
    " " * 5,
    "\n\n\n",
]
# Every code point, lone surrogates included (JSON escapes can produce them).
any_char = st.characters(exclude_categories=())
piece = st.one_of(
    st.sampled_from(SAMPLE_LINES).map(lambda line: line[:120]),
    st.sampled_from(HOSTILE_PIECES),
    st.text(any_char, max_size=12),
    st.lists(st.sampled_from([chr(c) for c in range(0x0621, 0x064B)]), max_size=12).map("".join),
)
hostile_text = st.lists(piece, max_size=30).map(" ".join) | st.lists(piece, max_size=30).map(
    "".join
)

FUZZ = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def count_tokens(tiny_mt5_dir: Path) -> Any:
    """The tiny mT5's own tokenizer: real, non-additive token counts."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tiny_mt5_dir))
    return lambda text: len(tokenizer(text, add_special_tokens=True)["input_ids"])


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


def _check_text_pipeline(text: str, count_tokens: Any, budget: int) -> None:
    normalized = normalize(text)
    assert normalize(normalized) == normalized
    assert not set(normalized) & set(BIDI_CONTROLS)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in normalized)

    clean, removed = strip_furniture(normalized)
    # Every character is kept or reported removed, in order: nothing vanishes silently. (A
    # removal is a whole line, or a credit cut from the end of a prose line, glued or not.)
    chars = list("".join(normalized.split()))
    kept_chars = list("".join(clean.split()))
    removed_chars = list("".join("".join(r.split()) for r in removed))
    assert sorted(kept_chars + removed_chars) == sorted(chars)
    assert _is_subsequence(kept_chars, chars) and _is_subsequence(removed_chars, chars)

    sentences = split_sentences(clean)
    previous = 0
    for sentence in sentences:
        assert sentence.text and "\n" not in sentence.text
        assert previous <= sentence.start and clean[sentence.start : sentence.end] == sentence.text
        previous = sentence.end
    assert "".join("".join(s.text for s in sentences).split()) == "".join(clean.split())

    chunks = pack_chunks(clean, sentences, count_tokens, budget)
    assert "".join(c.text for c in chunks) == (clean if clean.strip() else "")
    for chunk in chunks:
        assert chunk.text.strip(), "an empty chunk"
        assert count_tokens(chunk.text) <= budget


@FUZZ
@given(hostile_text)
def test_fuzz_text_pipeline(count_tokens: Any, text: str) -> None:
    _check_text_pipeline(text, count_tokens, budget=24)


@FUZZ
@given(hostile_text)
def test_fuzz_prepare_on_articles(text: str) -> None:
    article = Article(text=text, source="fuzz.txt", encoding="utf-8")
    try:
        prepared = prepare(article)
    except SummarizeError:
        return
    assert isinstance(prepared, Prepared)
    assert prepared.sentences and prepared.words > 0
    assert not set(prepared.text) & set(BIDI_CONTROLS)
    assert prepared.title is None or not set(prepared.title) & set(BIDI_CONTROLS)
    for sentence in prepared.sentences:
        assert prepared.text[sentence.start : sentence.end] == sentence.text


# -- JSON Lines ------------------------------------------------------------------------

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(any_char, max_size=8),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
record = st.fixed_dictionaries(
    {},
    optional={
        "id": json_value,
        "text": st.one_of(hostile_text, json_value),
        "extra": json_value,
    },
).map(json.dumps)
garbage_line = st.one_of(
    record,
    record,
    json_value.map(json.dumps),
    st.text(any_char, max_size=40),
    record.map(lambda line: line[: len(line) // 2]),  # cut short
    st.sampled_from(["", " ", "\t", "{", "}", "[]", "null", "NaN", '{"id": 1}', "\ufeff{}"]),
)


def _handler(article: Article) -> list[Any]:
    """What `sentences --input jsonl` returns, after the checks `brief` makes (prepare)."""
    return list(prepare(article).sentences)


def _no_constants(name: str) -> None:
    raise AssertionError(f"output is not strict JSON: {name}")


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(garbage_line, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_fuzz_json_lines_reader(lines: list[str], newline: str) -> None:
    blob = newline.join(lines) + newline
    # What the CLI reads: a text stream with universal newlines, as stdin and files are.
    expected_lines = [line for line in io.StringIO(blob, newline=None) if line.strip()]
    out = io.StringIO()
    ok, failed = process_stream(io.StringIO(blob, newline=None), _handler, out)
    rows = out.getvalue().splitlines()
    assert ok + failed == len(rows) == len(expected_lines), "one output line per input line"
    for number, (source, row_text) in enumerate(zip(expected_lines, rows, strict=True)):
        row_text.encode("utf-8")  # writable to a UTF-8 stdout
        row = json.loads(row_text, parse_constant=_no_constants)
        assert "id" in row
        assert ("error" in row) != ("sentences" in row)
        if "error" in row:
            assert row["exit_code"] in (2, 4, 5, 6, 7) and row["error"]
        try:
            data = json.loads(source)
        except ValueError:
            continue
        rid = data.get("id") if isinstance(data, dict) else None
        if isinstance(rid, (str, int)) and not isinstance(rid, bool):
            assert row["id"] == rid, f"line {number + 1}: the id was not kept"
        elif isinstance(rid, float) and math.isfinite(rid):
            assert row["id"] == rid
        else:
            assert isinstance(row["id"], int), "a missing or odd id falls back to a line number"
