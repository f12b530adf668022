"""The first stage: an article cleaned, its headline found, its text split into sentences.

Every command starts here, ``summarize sentences`` included, and nothing here knows models.
All of them read the article through :func:`document` (one call of
:func:`summarize.text.read_document`), so a brief's sources, the positions of ``translate`` and
those of ``sentences`` number the same sentences the same way (docs/text-rules.md, "One
numbering").
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize import text as textproc
from summarize.articles import Article
from summarize.errors import EmptyInput, NotArabic

__all__ = ["MIN_ARABIC_RATIO", "Prepared", "document", "prepare", "split_article"]

MIN_ARABIC_RATIO = 0.3


@dataclass
class Prepared:
    """An article cleaned and split: what every command starts from."""

    text: str  # normalized, furniture removed, title line removed
    title: str | None
    sentences: list[textproc.Sentence]
    removed: list[str]
    words: int
    byline: str | None = None


def document(
    article: Article, *, keep_furniture: bool = False, min_arabic: float = MIN_ARABIC_RATIO
) -> textproc.Document:
    """The article through the text layer, once (an HTML page's title is the headline where
    the text has none). Raises EmptyInput when nothing is left."""
    doc = textproc.read_document(
        article.text, keep_furniture=keep_furniture, page_title=article.title, min_arabic=min_arabic
    )
    if not doc.text.strip():
        if keep_furniture or not textproc.normalize(article.text):
            raise EmptyInput(f"{article.source} has no text after cleaning")
        raise EmptyInput(
            f"{article.source} has only page furniture (counters, credits), no article"
        )
    return doc


def prepare(article: Article, *, min_arabic: float = MIN_ARABIC_RATIO) -> Prepared:
    """Clean the article, check it is Arabic, find the headline, split the body into sentences."""
    doc = document(article, min_arabic=min_arabic)
    ratio = textproc.arabic_ratio(doc.text)
    if ratio < min_arabic:
        raise NotArabic(
            f"{article.source} has almost no Arabic ({ratio:.0%} of its letters); "
            "summarize reads Arabic news articles"
        )
    return Prepared(
        text=doc.body,
        title=doc.title,
        sentences=doc.sentences,
        removed=[r.text for r in doc.removed],
        words=len(doc.text.split()),
        byline=doc.byline,
    )


def split_article(article: Article, *, keep_furniture: bool = False) -> textproc.Document:
    """The cleaned article (``summarize sentences``): headline, byline and the body's sentences,
    numbered as a brief and a translation number them. Any language: no Arabic check, and no
    model."""
    return document(article, keep_furniture=keep_furniture)
