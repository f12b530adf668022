"""The text layer on the shared real-news corpora: the figures of docs/text-rules.md.

    .venv/bin/python bench/text_corpora.py furniture    # what furniture removal takes, by outlet
    .venv/bin/python bench/text_corpora.py boundaries   # judged boundaries: precision and recall
    .venv/bin/python bench/text_corpora.py runon        # run-on sentences and their pieces
    .venv/bin/python bench/text_corpora.py lead         # extractive first line vs the lead

Reads ../shared/corpora beside the checkout (SaudiNewsNet, ANT; see its README) and the
judgments in tests/data/boundaries and tests/data/leads. Prints Markdown tables. No model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.pipeline.extractive import is_turn, summary_units  # noqa: E402
from summarize.registry import DEFAULT_SENTENCES  # noqa: E402
from summarize.text import RUN_ON_WORDS, normalize, read_document  # noqa: E402
from summarize.text.runon import split_run_on  # noqa: E402
from tests import corpora  # noqa: E402
from tests.boundary_support import (  # noqa: E402
    counts,
    judged,
    precision_recall,
    predicted_split,
)


def _articles() -> list[corpora.CorpusArticle]:
    corpora.require_available("saudinewsnet")
    corpora.require_available("ant")
    return list(corpora.saudinewsnet() + corpora.ant())


def furniture() -> None:
    by: dict[str, Counter[str]] = defaultdict(Counter)
    articles: Counter[str] = Counter()
    bylines: Counter[str] = Counter()
    for a in _articles():
        doc = read_document(a.page())
        articles[a.source] += 1
        bylines[a.source] += doc.byline is not None
        for r in doc.removed:
            by[a.source][r.rule] += 1
    rules = sorted({r for c in by.values() for r in c})
    print("| outlet / section | articles | with a byline | " + " | ".join(rules) + " |")
    print("|---|---:|---:|" + "---:|" * len(rules))
    for source in articles:
        cells = " | ".join(str(by[source][r]) for r in rules)
        print(f"| {source} | {articles[source]} | {bylines[source]} | {cells} |")


def boundaries() -> None:
    texts = {a.id: corpora.boundary_text(a) for a in corpora.saudinewsnet()}
    rows = judged("saudinewsnet") + judged("ant")
    groups: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    rounds: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    kinds: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for r in rows:
        text = r.text if r.text is not None else texts[r.id]
        pair = (r.split, predicted_split(text, r.offset, r.mark))
        drawn = "uniform" if r.set.startswith("uniform") else "stratified"
        groups[(r.corpus, drawn)].append(pair)
        groups[("all", drawn)].append(pair)
        groups[("all", "")].append(pair)
        rounds[(r.corpus, r.set)].append(pair)
        bare = r.mark.rstrip("\"'”’»)")
        kind = bare if bare in (".", "..", "...", "…", "!", "!!", "؟", "؟!") else "other"
        kinds[kind].append(pair)
    _pr_table(("corpus", "drawn"), groups)
    _pr_table(("corpus", "set"), rounds)
    _pr_table(("mark",), {(f"«{k}»",): v for k, v in kinds.items()}, by_size=True)


def _pr_table(
    columns: tuple[str, ...],
    groups: Mapping[tuple[str, ...], list[tuple[bool, bool]]],
    *,
    by_size: bool = False,
) -> None:
    """A Markdown table: judged, splits, precision and recall of each group of
    (judged, predicted) pairs, in key order or largest group first."""
    print("| " + " | ".join(columns) + " | judged | splits | precision | recall |")
    print("|" + "---|" * len(columns) + "---:|---:|---:|---:|")
    rows = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]) if by_size else kv[0])
    for key, pairs in rows:
        tp, _, fn = counts(pairs)
        p, rc = precision_recall(pairs)
        print(f"| {' | '.join(key)} | {len(pairs)} | {tp + fn} | {p:.3f} | {rc:.3f} |")
    print()


def runon() -> None:
    sentences = long = pieces = longest_before = longest_after = 0
    rules: Counter[str] = Counter()
    for a in _articles():
        for s in read_document(a.page()).sentences:
            sentences += 1
            n = len(s.text.split())
            longest_before = max(longest_before, n)
            if n <= RUN_ON_WORDS:
                continue
            long += 1
            for piece, rule in split_run_on(s.text):
                pieces += 1
                rules[rule or "(first piece)"] += 1
                longest_after = max(longest_after, len(piece.split()))
    print(f"sentences: {sentences}; over {RUN_ON_WORDS} words: {long}; longest: {longest_before}")
    print(f"their pieces: {pieces}; longest piece: {longest_after} words")
    print("| cut | pieces |\n|---|---:|")
    for rule, n in rules.most_common():
        print(f"| {rule} | {n} |")


def lead() -> None:
    articles = {a.id: a for a in _articles()}
    rows = [json.loads(line) for line in (ROOT / "tests/data/leads/judged.jsonl").open()]
    first_is_lead = lead_n = has_lead = 0
    avoided: Counter[str] = Counter()
    by_corpus: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        article = articles[row["id"]]
        body = normalize(article.body)
        span = (row["start"], row["end"])
        doc = read_document(article.page())
        chosen = summary_units(doc.sentences, DEFAULT_SENTENCES)

        def in_lead(text: str, span: tuple[int, int] = span, body: str = body) -> bool:
            at = body.find(text)
            return at >= 0 and span[0] <= at < span[1]

        first = in_lead(chosen[0].text) if chosen else False
        first_is_lead += first
        has_lead += any(in_lead(u.text) for u in chosen)
        lead_n += bool(doc.sentences) and in_lead(doc.sentences[0].text)
        by_corpus[row["corpus"]].append(first)
        avoided["list items or turns chosen"] += sum(u.list_item or is_turn(u.text) for u in chosen)
    n = len(rows)
    print(f"articles: {n}; summary lines: {DEFAULT_SENTENCES}")
    print("| system | first line is the lead | the lead among the lines |")
    print("|---|---:|---:|")
    print(f"| extractive | {first_is_lead}/{n} ({first_is_lead / n:.0%}) | {has_lead}/{n} |")
    print(f"| lead-{DEFAULT_SENTENCES} | {lead_n}/{n} ({lead_n / n:.0%}) | {lead_n}/{n} |")
    for corpus, firsts in by_corpus.items():
        print(f"extractive, {corpus}: {sum(firsts)}/{len(firsts)}")
    print(dict(avoided))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["furniture", "boundaries", "runon", "lead"])
    {"furniture": furniture, "boundaries": boundaries, "runon": runon, "lead": lead}[
        parser.parse_args().what
    ]()


if __name__ == "__main__":
    main()
