"""The judged sentence boundaries of tests/data/boundaries, and how the splitter is scored on
them (shared by tests/test_text_boundaries.py and bench/text_corpora.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from summarize.text import explain_sentences, title_rule
from summarize.text.sentences import CLOSERS, TERMINALS

BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries"
RULES = frozenset(
    {
        "new-sentence", "continuation", "headline", "quoted-title", "abbreviation",
        "elision", "no-text-before", "list-number",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Judged:
    """One judged candidate: the mark run ``text[offset - len(mark):offset]``."""

    corpus: str
    id: str
    offset: int
    mark: str
    split: bool
    rule: str
    set: str
    text: str | None = None  # ANT carries its excerpt; SaudiNewsNet is read from the corpus


def judged(corpus: str) -> list[Judged]:
    name = "ant.jsonl" if corpus == "ant" else "saudinewsnet.jsonl"
    with (BOUNDARIES / name).open(encoding="utf-8") as f:
        return [Judged(corpus, **json.loads(line)) for line in f if line.strip()]


def predicted_split(text: str, offset: int, mark: str) -> bool:
    """Whether the text layer ends a sentence at the mark ending at OFFSET, as the pipeline
    reads the text: a headline line is one unit, never split; elsewhere the splitter decides."""
    title, _ = title_rule(text)
    if title is not None and offset <= text.index(title) + len(title):
        return False
    # A run of marks split by spaces («هذا هو السبب.. .. ونعود», «!! .. أما») is one place: the
    # sentence may end after any of its runs.
    runs = f"[{re.escape(TERMINALS)}]+[{re.escape(CLOSERS)}]*"
    before = re.search(f"(?:{runs} +)*$", text[: offset - len(mark)])
    after = re.match(f"(?: +{runs})*", text[offset:])
    low = before.start() if before else offset - len(mark)
    high = offset + (after.end() if after else 0)
    return any(
        b.split
        for b in explain_sentences(text)
        if low <= b.offset <= high + 1 and b.rule not in ("line-break", "paragraph-break")
    )


def counts(pairs: list[tuple[bool, bool]]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of (gold, predicted) pairs."""
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    return tp, fp, fn


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    tp, fp, fn = counts(pairs)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
