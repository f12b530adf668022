"""Sentence boundaries judged by a person on real news the project was not written against
(tests/data/boundaries, README there): the splitter's precision and recall where it matters.

ANT excerpts are stored with the judgments, so their test always runs; SaudiNewsNet may not be
copied, so its judgments are offsets into the corpus, read from ../shared/corpora (CI has it).
"""

from __future__ import annotations

import pytest

from summarize.text import split_sentences
from tests import corpora
from tests.boundary_support import RULES, Judged, judged, precision_recall, predicted_split

# The natural mix of marks (the `uniform` sets, 445 judged) must be split as well as a
# careful reader would; the stratified sets over-sample «..», «!!», «؟!» and «...», where the
# splitter is weakest (docs/text-rules.md has the figures): they guard against regressions.
NATURAL = 0.98
NATURAL_JUDGED = 350
STRATIFIED_PRECISION = {"ant": 0.95, "saudinewsnet": 0.87}
RECALL = 0.98


def _pairs(rows: list[Judged], texts: dict[str, str]) -> list[tuple[bool, bool]]:
    out = []
    for row in rows:
        text = row.text if row.text is not None else texts[row.id]
        assert text[row.offset - len(row.mark) : row.offset] == row.mark, (row.id, row.offset)
        out.append((row.split, predicted_split(text, row.offset, row.mark)))
    return out


def _texts(corpus: str) -> dict[str, str]:
    if corpus == "ant":
        return {}
    corpora.require("saudinewsnet")
    return {a.id: corpora.boundary_text(a) for a in corpora.saudinewsnet()}


def test_the_judged_set_is_large_and_well_formed() -> None:
    rows = judged("ant") + judged("saudinewsnet")
    assert len(rows) >= 300
    assert all(r.rule in RULES and (r.rule == "new-sentence") == r.split for r in rows)
    assert len({(r.corpus, r.id, r.offset, r.text) for r in rows}) == len(rows)
    assert {r.set for r in rows} >= {
        "uniform", "uniform-2", "stratified-1", "stratified-2", "stratified-3", "stratified-4"
    }  # fmt: skip
    assert sum(_natural(r) for r in rows) >= NATURAL_JUDGED


def _natural(row: Judged) -> bool:
    return row.set.startswith("uniform")


def test_saudinewsnet_judgments_hold_no_text() -> None:
    """Its licence (CC BY-NC-SA, research only) keeps the corpus out of the repository."""
    assert all(r.text is None and len(r.mark) <= 6 for r in judged("saudinewsnet"))


@pytest.mark.parametrize("corpus", ["ant", "saudinewsnet"])
def test_natural_mix_of_marks(corpus: str) -> None:
    rows = [r for r in judged(corpus) if _natural(r)]
    precision, recall = precision_recall(_pairs(rows, _texts(corpus)))
    assert precision >= NATURAL and recall >= NATURAL, (corpus, precision, recall)


@pytest.mark.parametrize("corpus", ["ant", "saudinewsnet"])
def test_hard_marks_do_not_regress(corpus: str) -> None:
    rows = [r for r in judged(corpus) if not _natural(r)]
    precision, recall = precision_recall(_pairs(rows, _texts(corpus)))
    assert precision >= STRATIFIED_PRECISION[corpus] and recall >= RECALL, (
        corpus,
        precision,
        recall,
    )


def test_pauses_before_a_new_sentence_still_split() -> None:
    """Every judged «..» / «...» / «…» before a new sentence in ANT is split."""
    rows = [r for r in judged("ant") if r.split and r.mark.rstrip("»”\"')").endswith(("..", "…"))]
    assert rows
    assert all(p for _, p in _pairs(rows, {}))


def test_ant_excerpts_decide_as_their_articles_do() -> None:
    """An ANT excerpt stands for its article: the splitter decides the same at the judged mark
    in both (checked when the excerpts were cut, and again whenever a rule changes)."""
    corpora.require("ant")
    texts = {a.id: corpora.boundary_text(a) for a in corpora.ant()}
    for row in judged("ant"):
        assert row.text is not None
        whole = texts[row.id]
        at = whole.find(row.text)
        assert at >= 0, row.id
        assert predicted_split(row.text, row.offset, row.mark) == predicted_split(
            whole, at + row.offset, row.mark
        ), (row.id, row.offset)


def test_a_second_run_of_marks_closes_the_same_sentence() -> None:
    """«هذا هو السبب.. .. ونعود»: the sentence ends after the last run, not before a stray «..»."""
    text = "انتهى الاجتماع لهذا السبب.. .. ونعود إلى الموضوع."
    assert [s.text for s in split_sentences(text)] == [
        "انتهى الاجتماع لهذا السبب.. ..",
        "ونعود إلى الموضوع.",
    ]
    assert [s.text for s in split_sentences("انتهى العمل. .")] == ["انتهى العمل. ."]


@pytest.mark.parametrize("text", [".. " * 20_000 + "نص", "بداية الكلام. " + ".. " * 20_000])
def test_runs_of_marks_with_no_text_are_looked_at_once(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line of 20,000 «..» with no word between them: the search for text since the sentence
    began started over from the sentence's start at every run (97 s for 50,000 runs)."""
    import re

    from summarize.text import stops

    scanned: list[int] = []
    alnum = stops._ALNUM

    class Counting:
        def search(self, line: str, pos: int, endpos: int) -> re.Match[str] | None:
            scanned.append(endpos - pos)
            return alnum.search(line, pos, endpos)

    monkeypatch.setattr(stops, "_ALNUM", Counting())
    split_sentences(text)
    assert sum(scanned) < 5 * len(text), "characters scanned: a few times the line, no more"
