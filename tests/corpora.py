"""The shared real-news corpora, read in place for tests and bench scripts.

They live in ``../shared/corpora`` beside the checkout (CI has ``../shared`` there too); see its
README for sources and licences. SaudiNewsNet (CC BY-NC-SA 4.0, research use only) is read here
and never copied into the repository: tests that need it skip with :func:`require` when it is
absent. ANT (Apache-2.0, Chouigui et al., AICCSA 2017) and UD Arabic-PUD (CC BY-SA 4.0) may be
quoted as fixtures, with their citation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
FILES = {
    "saudinewsnet": "saudinewsnet-2015-07-23.jsonl",
    "ant": "ant-sample.jsonl",
    "pud": "pud-ar-en-dev.jsonl",
}


@dataclass(frozen=True)
class CorpusArticle:
    """One article as its corpus stores it: headline, byline and body are separate fields."""

    id: str
    source: str  # SaudiNewsNet: the outlet; ANT: the section
    title: str
    byline: str
    body: str

    def page(self, *, headline: bool = True, byline: bool = True, gap: str = "\n\n") -> str:
        """The article as a page's text would give it: headline, byline, body, each followed
        by GAP (a blank line, or a single line break as scraped text has)."""
        parts = [self.title.strip()] if headline and self.title.strip() else []
        if byline and self.byline.strip():
            parts.append(self.byline.strip())
        parts.append(self.body)
        return gap.join(parts)


def boundary_text(article: CorpusArticle) -> str:
    """The text judged sentence boundaries point into (tests/data/boundaries): the headline, a
    blank line, the body, normalized, as the pipeline reads an article."""
    from summarize.text import normalize

    return normalize(article.page(byline=False))


def path(name: str) -> Path:
    return CORPORA / FILES[name]


def available(name: str) -> bool:
    return path(name).is_file()


def require(name: str) -> None:
    """Skip the calling test, saying why, when corpus NAME is not beside the checkout."""
    import pytest

    if not available(name):
        pytest.skip(f"{path(name)} is absent: the shared corpora are not beside this checkout")


def require_available(name: str) -> None:
    """For scripts: exit with a message when corpus NAME is not beside the checkout."""
    if not available(name):
        raise SystemExit(f"{path(name)} is absent: put the shared corpora beside the checkout")


def _records(name: str) -> list[dict[str, object]]:
    with path(name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@cache
def saudinewsnet() -> tuple[CorpusArticle, ...]:
    """The 1,318 articles of one day of 10 Saudi outlets, in corpus order."""
    return tuple(
        CorpusArticle(
            str(r["id"]), str(r["source"]), str(r["title"]), str(r["author"]), str(r["content"])
        )
        for r in _records("saudinewsnet")
    )


def _element(doc: str, tag: str) -> str:
    match = re.search(f"<{tag}>(.*?)</{tag}>", doc, re.DOTALL)
    return match.group(1).strip() if match else ""


@cache
def ant() -> tuple[CorpusArticle, ...]:
    """The 360 ANT articles (Jawhara FM, 9 sections): TITLE and TEXT of each record."""
    return tuple(
        CorpusArticle(
            str(r["id"]),
            str(r["path"]).split("/")[0],
            _element(str(r["text"]), "TITLE"),
            _element(str(r["text"]), "AUTHOR"),
            _element(str(r["text"]), "TEXT"),
        )
        for r in _records("ant")
    )


@cache
def pud() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """UD Arabic-PUD's dev half: (document id, its gold sentences)."""
    return tuple(
        (str(r["id"]), tuple(str(s) for s in r["sentences"]))  # type: ignore[attr-defined]
        for r in _records("pud")
    )
