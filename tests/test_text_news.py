"""The text layer on real regional news (tests/data/news): sentence boundaries, furniture,
headlines, paragraphs and datelines, scored against hand-checked gold per region.

Each article in raw/ goes through what the pipeline does (sources.article_from_text,
normalize, strip_furniture, find_title with the page title as fallback, split_sentences) and
is compared with gold/ (one sentence a line, the headline first). docs/sentence-eval.md has
the table this file checks.
"""

from __future__ import annotations

import difflib
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from summarize.articles import article_from_text
from summarize.text import (
    explain,
    find_title,
    normalize,
    paragraphs,
    split_sentences,
    strip_furniture,
)

NEWS = Path(__file__).resolve().parent / "data" / "news"
ARTICLES = tomllib.loads((NEWS / "articles.toml").read_text(encoding="utf-8"))
THRESHOLD = 0.98


@dataclass
class Result:
    name: str
    region: str
    title: str | None
    sentences: list[str]
    removed: list[str]
    clean: str
    paragraphs: int
    published: str | None


def raw_path(name: str) -> Path:
    return next(p for p in (NEWS / "raw").iterdir() if p.stem == name)


def run_article(name: str) -> Result:
    """What the pipeline makes of one article (pipeline.prepare, minus the model checks)."""
    article = article_from_text(raw_path(name).read_text(encoding="utf-8"), name)
    clean, removed = strip_furniture(normalize(article.text))
    title = find_title(clean)
    body = clean
    if title is not None:
        body = clean[clean.index(title) + len(title) :].lstrip()
    elif article.title:
        title = normalize(article.title)
    sentences = split_sentences(body)
    return Result(
        name,
        ARTICLES[name]["region"],
        title,
        ([title] if title else []) + [s.text for s in sentences],
        removed,
        clean,
        len(paragraphs(sentences)),
        article.published,
    )


def gold(name: str) -> list[str]:
    lines = (NEWS / "gold" / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return [line.strip() for line in lines if line.strip()]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _ends(sentences: Sequence[str]) -> list[int]:
    ends, position = [], 0
    for sentence in sentences:
        position += len(_squeeze(sentence))
        ends.append(position)
    return ends[:-1]  # the end of the text is a boundary for free


def boundary_counts(predicted: Sequence[str], truth: Sequence[str]) -> tuple[int, int, int]:
    """(correct, predicted, gold) sentence boundaries, aligned on the non-space characters.

    Texts may differ (furniture kept or removed on one side only): predicted boundaries are
    mapped onto the gold text through a character alignment; one that falls in text the gold
    does not have counts as wrong.
    """
    a, b = _squeeze("".join(predicted)), _squeeze("".join(truth))
    to_gold: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size + 1):
            to_gold.setdefault(block.a + k, block.b + k)
    found = {to_gold.get(end, -1 - end) for end in _ends(predicted)}
    wanted = set(_ends(truth))
    return len(found & wanted), len(_ends(predicted)), len(wanted)


def scores() -> dict[str, tuple[int, int, int]]:
    """Boundary counts per region and overall ("all")."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name in ARTICLES:
        hits, found, wanted = boundary_counts(run_article(name).sentences, gold(name))
        for key in (ARTICLES[name]["region"], "all"):
            counts[key][0] += hits
            counts[key][1] += found
            counts[key][2] += wanted
    return {key: (h, f, w) for key, (h, f, w) in counts.items()}


def test_every_article_has_gold_and_attribution() -> None:
    raw = {p.stem for p in (NEWS / "raw").iterdir()}
    assert raw == set(ARTICLES) == {p.stem for p in (NEWS / "gold").glob("*.txt")}
    for name, meta in ARTICLES.items():
        assert {"outlet", "country", "region", "kind", "url", "licence", "headline"} <= set(meta)
        assert all(normalize(s) == s for s in gold(name)), name
    regions = {meta["region"] for meta in ARTICLES.values()}
    assert {"Gulf", "Levant", "Egypt", "Maghreb"} <= regions


@pytest.mark.parametrize("region", ["all", "Gulf", "Levant", "Egypt", "Maghreb"])
def test_boundary_precision_and_recall_per_region(region: str) -> None:
    hits, found, wanted = scores()[region]
    precision, recall = hits / found, hits / wanted
    assert precision >= THRESHOLD and recall >= THRESHOLD, (
        f"{region}: precision {precision:.3f} recall {recall:.3f} ({hits}/{found}/{wanted})"
    )


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_no_real_sentence_removed(name: str) -> None:
    kept = _squeeze(run_article(name).clean) + _squeeze(run_article(name).title or "")
    for sentence in gold(name):
        assert _squeeze(sentence) in kept, f"{name}: lost {sentence[:60]!r}"


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_headline_found_where_there_is_one(name: str) -> None:
    result = run_article(name)
    if ARTICLES[name]["headline"]:
        assert result.title == gold(name)[0]
    else:
        assert result.title is None


def test_html_page_keeps_dateline_and_paragraphs_and_drops_comment_policy() -> None:
    result = run_article("lb-cnnarabic-syria-clashes-2013")
    assert result.published == "2013-08-28"  # the dateline; the page declares no date
    assert result.paragraphs == 7  # the seven <p> of the story
    assert [r for r in result.removed if "CNN" in r] == [
        r for r in result.removed if "التعليقات" in r or "الآراء" in r
    ]
    assert len(result.removed) == 2
    assert not any("الآراء الواردة" in s for s in result.sentences)


def test_one_line_paragraphs_are_detected() -> None:
    # Scraped copy with one paragraph a line and no blank lines.
    assert run_article("lb-raseef22-mahjar-opinion").paragraphs == 2
    assert run_article("sa-almowaten-masks").paragraphs == 4


def test_text_dateline_is_published() -> None:
    assert run_article("ir-alkawthar-king-salman-tour").published == "2018-11-05"
    # A date in a "you may also like" line is not the story's date.
    assert run_article("eg-ahdath-alyom-madbouly").published is None


def test_explain_names_a_rule_for_every_removal_and_split() -> None:
    text = raw_path("ir-alkawthar-king-salman-tour").read_text(encoding="utf-8")
    decisions = explain(text)
    removed = [(d.rule, d.text) for d in decisions if d.step == "furniture"]
    assert removed == [
        ("date-line", "الإثنين 5 نوفمبر 2018 - 08:55 بتوقيت مكة"),
        ("read-also", "شاركوا هذا الخبر مع أصدقائكم"),
        ("date-line", "الإثنين 5 نوفمبر 2018 - 07:59 بتوقيت مكة"),
    ]
    assert [d.rule for d in decisions if d.step == "title"] == ["exclaiming-headline"]
    splits = [d for d in decisions if d.step == "sentences" and d.split]
    assert splits and all(d.rule and "‖" in d.text for d in splits)
