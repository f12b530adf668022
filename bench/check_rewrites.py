"""False name alarms on real rewrites: one outlet's sentences checked against another outlet's copy.

    .venv/bin/python bench/check_rewrites.py [--corpus ../shared/corpora/saudinewsnet-2015-07-23.jsonl]
                                             [--show flags] [--json]

A summary paraphrases; a check that never flags an unchanged sentence may still flag every
rewrite. Saudi outlets reprint the same agency story the same day, each with its own edits: the
sentences of one outlet's copy, checked against another outlet's copy of the story, are real
rewrites. Stories are paired by the words they share (Jaccard of their word sets, words of three
letters or more, >= 0.5, two different outlets); a sentence of one copy is a rewrite when at least
half of its words (five or more) are in one sentence of the other copy, but not all of them. Each
such sentence is checked as a summary line of the other copy (`summarize check`'s source checks),
in both directions; the script prints how many get an `unsupported_name`.

Not every flag is false: an outlet may name someone the other copy leaves out (a longer list of
officials at a reception); `--show flags` lists the flagged names with their lines, to judge by
hand (docs/trust.md gives a judged count). The corpus is SaudiNewsNet (CC BY-NC-SA 4.0, research
use only): it lives outside the repository (`../shared/corpora/`), and without it the script says
so and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.articles import article_from_text  # noqa: E402
from summarize.errors import SummarizeError  # noqa: E402
from summarize.pipeline.prepare import Prepared, prepare  # noqa: E402
from summarize.text.fold import words  # noqa: E402
from summarize.trust.checks import UNSUPPORTED_NAME, ArticleIndex, check_summary_line  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-2015-07-23.jsonl"
MIN_STORY = 0.5  # Jaccard of two copies' word sets: the same story
MIN_LINE = 0.5  # share of a sentence's words found in one sentence of the other copy
MIN_WORDS = 5
MIN_LETTERS = 3


@dataclass
class Copy:
    """One outlet's copy of a story: its sentences, their word sets, and the whole word set."""

    id: str
    source: str
    job: Prepared
    sentences: list[str]
    sentence_words: list[frozenset[str]]
    vocabulary: frozenset[str]


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if len(w) >= MIN_LETTERS)


def read_copies(path: Path) -> list[Copy]:
    copies = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = f"{record['title']}\n{record['content']}"
            try:
                job = prepare(article_from_text(text, record["source"]))
            except SummarizeError:
                continue  # too short, not Arabic: not an article
            sentences = [s.text for s in job.sentences]
            sentence_words = [_words(s) for s in sentences]
            vocabulary = frozenset().union(*sentence_words) if sentence_words else frozenset()
            if vocabulary:
                copies.append(
                    Copy(record["id"], record["source"], job, sentences, sentence_words, vocabulary)
                )
    return copies


def story_pairs(copies: list[Copy]) -> Iterator[tuple[Copy, Copy]]:
    """Pairs of copies of one story by two outlets."""
    for a, b in combinations(copies, 2):
        if a.source != b.source:
            shared = len(a.vocabulary & b.vocabulary)
            if shared / (len(a.vocabulary) + len(b.vocabulary) - shared) >= MIN_STORY:
                yield a, b


def rewrites(copies: list[Copy]) -> Iterator[tuple[str, Copy]]:
    """(sentence of one copy that rewrites a sentence of the other, the other copy)."""
    for a, b in story_pairs(copies):
        for line_copy, article in ((a, b), (b, a)):
            for line, line_words in zip(line_copy.sentences, line_copy.sentence_words, strict=True):
                if len(line_words) < MIN_WORDS:
                    continue
                best = max(len(line_words & s) for s in article.sentence_words)
                if MIN_LINE <= best / len(line_words) and not any(
                    line_words <= s for s in article.sentence_words
                ):
                    yield line, article


def run(path: Path, show: bool) -> dict[str, object]:
    copies = read_copies(path)
    indexes: dict[str, ArticleIndex] = {}
    lines = flagged = 0
    names: Counter[str] = Counter()
    for line, article in rewrites(copies):
        if article.id not in indexes:
            indexes[article.id] = ArticleIndex(article.job.sentences, article.job.title)
        found = [
            c.value
            for c in check_summary_line(line, indexes[article.id])
            if c.kind == UNSUPPORTED_NAME
        ]
        lines += 1
        if found:
            flagged += 1
            names.update(found)
            if show:
                print(f"{article.id} {found}\n  {line}")
    return {
        "rewrite_lines": lines,
        "rewrite_lines_flagged": flagged,
        "rewrite_flag_rate": flagged / lines if lines else float("nan"),
        "rewrite_names": names.most_common(),
    }


def print_report(r: dict[str, object]) -> None:
    print(
        f"rewrites of other outlets' copies flagged for names: {r['rewrite_lines_flagged']} of "
        f"{r['rewrite_lines']} = {float(r['rewrite_flag_rate']):.1%}"  # type: ignore[arg-type]
    )


def absent(script: str, corpus: Path, name: str) -> int:
    """Say that a corpus is absent and where it belongs; the exit status 2."""
    sys.stderr.write(
        f"{script}: {corpus} is absent; put the shared corpora beside the repository "
        f"(../shared/corpora/{name}) or pass --corpus FILE\n"
    )
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", choices=("flags",))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        return absent("check_rewrites", args.corpus, DEFAULT_CORPUS.name)
    report = run(args.corpus, args.show == "flags")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
