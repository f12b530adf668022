"""Vocabulary maps (summarize/vmap.py): the file CTranslate2 reads, and what it changes.

The pure part is tested on small vocabularies. On the tiny models, a map written into a
converted model's folder restricts CTranslate2's output to the allowed pieces, and leaves the
output unchanged wherever the unrestricted output already lies inside the allowed set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarize import vmap as vm
from tests.samples import sample_paths


def test_arabic_pieces_digits_and_punctuation_are_output_pieces() -> None:
    for piece in ["▁كازاخستان", "ال", "،", "▁«", "2024", "▁٣٠", "؟", "▁", "%", "ـ", "ً"]:
        assert vm.is_output_piece(piece, "arabic"), piece
    for piece in ["▁Tokayev", "CICA", "<extra_id_0>", "<0x0A>", "▁Москва", "▁中国", "aب"]:
        assert not vm.is_output_piece(piece, "arabic"), piece


def test_latin_script_for_english_output() -> None:
    for piece in ["▁the", "ing", "▁Café", "▁2024", ".", "▁(", "ﬁ"]:
        assert vm.is_output_piece(piece, "latin"), piece
    for piece in ["▁كازاخستان", "<unused_3>", "▁Москва"]:
        assert not vm.is_output_piece(piece, "latin"), piece


VOCAB = ["<pad>", "</s>", "<unk>", "▁", ".", "▁ال", "كتاب", "▁Tokayev", "Tokayev", "▁SCO",
         "ing", "<extra_id_0>", "a b", "٣"]  # fmt: skip


def test_map_always_line_and_copy_rules() -> None:
    m = vm.build_vmap(VOCAB, "arabic")
    assert m.always == ("<pad>", "</s>", "<unk>", "▁", ".", "▁ال", "كتاب", "٣")
    # Every other writable piece may be copied from the input, at either word position;
    # control tokens and pieces holding whitespace get no rule.
    assert m.copies == {
        "▁Tokayev": ("▁Tokayev", "Tokayev"),
        "Tokayev": ("Tokayev", "▁Tokayev"),
        "▁SCO": ("▁SCO",),
        "ing": ("ing",),
    }
    lines = m.text().splitlines()
    assert lines[0] == "\t<pad> </s> <unk> ▁ . ▁ال كتاب ٣"
    assert "▁SCO\t▁SCO" in lines
    for line in lines:  # one tab; the key and the targets are space-separated pieces
        key, targets = line.split("\t")
        assert all(targets.split(" "))
    assert m.allowed([["▁ال", "▁Tokayev", "</s>"]]) == set(m.always) | {"▁Tokayev", "Tokayev"}
    assert m.stats["always_allowed"] == 8 and m.stats["vocabulary"] == len(VOCAB)


def test_without_copies_and_with_extra_pieces() -> None:
    m = vm.build_vmap(VOCAB, "latin", copies=False, extra=["كتاب"])
    assert m.copies == {}
    assert "كتاب" in m.always and "▁Tokayev" in m.always and "▁ال" not in m.always


def test_write_is_atomic_and_reads_back(tmp_path: Path) -> None:
    (tmp_path / "shared_vocabulary.json").write_text(
        json.dumps(VOCAB, ensure_ascii=False), encoding="utf-8"
    )
    assert vm.read_ct2_vocabulary(tmp_path) == VOCAB
    m = vm.write_vmap_for(tmp_path, "arabic")
    assert (tmp_path / "vmap.txt").read_text(encoding="utf-8") == m.text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    (tmp_path / "shared_vocabulary.json").unlink()
    (tmp_path / "target_vocabulary.txt").write_text("a\nb\n", encoding="utf-8")
    assert vm.read_ct2_vocabulary(tmp_path) == ["a", "b"]
    (tmp_path / "target_vocabulary.txt").write_text("a\nb", encoding="utf-8")  # no final newline
    assert vm.read_ct2_vocabulary(tmp_path) == ["a", "b"]
    with pytest.raises(FileNotFoundError, match="no target vocabulary"):
        vm.read_ct2_vocabulary(tmp_path / "nothing")


# --------------------------------------------------------------------------- CTranslate2


def _converted(directory: Path, role: str) -> Path:
    from summarize.backends.conversion import ensure_converted
    from summarize.registry import load_registry, resolve

    spec = resolve(str(directory), role, load_registry())  # type: ignore[arg-type]
    return ensure_converted(spec, directory, "float32")


def _sources(model_dir: Path, samples_dir: Path) -> list[list[str]]:
    from summarize.articles import Article
    from summarize.backends.tokenizers import load_tokenizer
    from summarize.pipeline import prepare

    tok = load_tokenizer(model_dir)
    out = []
    for path in sample_paths(samples_dir)[:3]:
        article = Article(text=path.read_text(encoding="utf-8"), source=str(path), encoding="utf-8")
        for s in prepare(article).sentences[:8]:
            ids = tok(s.text, add_special_tokens=True)["input_ids"]
            out.append(list(tok.convert_ids_to_tokens(ids)))
    return out


def _decode(
    translator: Any, sources: list[list[str]], beam: int, use_vmap: bool
) -> list[list[str]]:
    results = translator.translate_batch(
        sources, beam_size=beam, max_decoding_length=16, use_vmap=use_vmap
    )
    return [r.hypotheses[0] for r in results]


ALWAYS = {"<unk>", "</s>", "<pad>", "<s>"}  # CTranslate2 adds unk, bos and eos itself


@pytest.mark.parametrize(("arch", "role", "script"), [("mt5", "summarizer", "arabic"),
                                                      ("marian", "translator", "latin")])  # fmt: skip
def test_vmap_restricts_and_keeps_in_set_outputs(
    arch: str,
    role: str,
    script: vm.Script,
    tiny_mt5_dir: Path,
    tiny_marian_dir: Path,
    samples_dir: Path,
) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    directory = tiny_mt5_dir if arch == "mt5" else tiny_marian_dir
    converted = _converted(directory, role)
    sources = _sources(directory, samples_dir)
    m = vm.write_vmap_for(converted, script)  # after conversion: read when the model loads
    translator = ctranslate2.Translator(str(converted), compute_type="float32")
    for beam in (1, 4):
        free = _decode(translator, sources, beam, use_vmap=False)
        restricted = _decode(translator, sources, beam, use_vmap=True)
        inside = 0
        for src, a, b in zip(sources, free, restricted, strict=True):
            allowed = m.allowed([src]) | ALWAYS
            assert set(b) <= allowed  # the map is in force
            if set(a) <= allowed:  # the unrestricted argmax was allowed anyway
                inside += 1
                assert a == b
        if arch == "marian":  # its outputs are English-looking pieces only: all inside
            assert inside == len(sources)


def test_greedy_output_identical_when_the_set_holds_it(
    tiny_mt5_dir: Path, samples_dir: Path
) -> None:
    """A map that allows what the model would say anyway changes nothing (greedy).

    Random tiny weights rarely keep to Arabic pieces, so the set is made to hold each
    unrestricted output (``extra``); other pieces are still cut.
    """
    ctranslate2 = pytest.importorskip("ctranslate2")
    converted = _converted(tiny_mt5_dir, "summarizer")
    sources = _sources(tiny_mt5_dir, samples_dir)
    plain = ctranslate2.Translator(str(converted), compute_type="float32")
    free = _decode(plain, sources, 1, use_vmap=False)
    vocabulary = vm.read_ct2_vocabulary(converted)
    for src, expected in list(zip(sources, free, strict=True))[:6]:
        m = vm.build_vmap(vocabulary, "arabic", copies=False, extra=expected)
        assert len(m.always) < len(vocabulary)
        m.write(converted)
        restricted = ctranslate2.Translator(str(converted), compute_type="float32")
        assert _decode(restricted, [src], 1, use_vmap=True) == [expected]
