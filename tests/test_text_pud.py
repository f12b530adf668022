"""Held-out sentence boundaries: UD Arabic-PUD gold sentences, joined back into running text
with and without a space after each stop, must split back (F1 ≥ 0.99). The dev half is in
../shared/corpora (CI has it); 40 of its documents are in tests/data/ud_arabic_pud, so a
checkout without the shared corpora still runs the check. The other half of PUD is kept
out on purpose: results are checked on it independently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from summarize.text import normalize, split_sentences
from tests import corpora
from tests.test_text import _f1, boundary_counts, join_glued

PUD = Path(__file__).resolve().parent / "data" / "ud_arabic_pud" / "sample.txt"
F1 = 0.99


def sample() -> list[list[str]]:
    """The sample's documents (blank lines separate them), each a list of gold sentences."""
    runs: list[list[str]] = [[]]
    for line in PUD.read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            continue
        if not line.strip():
            runs.append([])
            continue
        runs[-1].append(normalize(line.split("\t", 1)[1]))
    return [run for run in runs if run]


def f1(documents: Sequence[Sequence[str]], style: str) -> tuple[float, int, int, int]:
    hits = found = truth = 0
    for run in documents:
        text = " ".join(run) if style == "spaced" else join_glued(run)
        got = [s.text for s in split_sentences(text)]
        h, f, t = boundary_counts(got, run)
        hits, found, truth = hits + h, found + f, truth + t
    return _f1(hits, found, truth), hits, found, truth


def test_sample_is_the_dev_half() -> None:
    documents = sample()
    assert len(documents) == 40 and sum(len(d) for d in documents) == 107
    if corpora.available("pud"):
        dev = [[normalize(s) for s in sentences] for _, sentences in corpora.pud()[:40]]
        assert documents == dev


@pytest.mark.parametrize("style", ["spaced", "glued"])
def test_pud_sample_f1(style: str) -> None:
    score, hits, found, truth = f1(sample(), style)
    assert score >= F1, f"PUD sample boundary F1 {score:.3f} ({style}): {hits} of {found}/{truth}"


@pytest.mark.parametrize("style", ["spaced", "glued"])
def test_pud_dev_half_f1(style: str) -> None:
    corpora.require("pud")
    documents = [[normalize(s) for s in sentences] for _, sentences in corpora.pud()]
    score, hits, found, truth = f1(documents, style)
    assert score >= F1, f"PUD dev boundary F1 {score:.3f} ({style}): {hits} of {found}/{truth}"
