"""The first stage: an article cleaned, its headline found, its text split into sentences.

Every command starts here, ``summarize sentences`` included, and nothing here knows models.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize import text as textproc
from summarize.articles import Article
from summarize.errors import EmptyInput, NotArabic

__all__ = ["MIN_ARABIC_RATIO", "Prepared", "clean", "prepare", "split_article"]

MIN_ARABIC_RATIO = 0.3


@dataclass
class Prepared:
    """An article cleaned and split: what every command starts from."""

    text: str  # normalized, furniture removed, title line removed
    title: str | None
    sentences: list[textproc.Sentence]
    removed: list[str]
    words: int


def clean(article: Article, *, keep_furniture: bool = False) -> tuple[str, list[str]]:
    """The article's text normalized, without page furniture (unless KEEP_FURNITURE), and the
    furniture lines removed. Raises EmptyInput when nothing is left."""
    normalized = textproc.normalize(article.text)
    if not normalized:
        raise EmptyInput(f"{article.source} has no text after cleaning")
    if keep_furniture:
        return normalized, []
    text, removed = textproc.strip_furniture(normalized)
    if not text.strip():
        raise EmptyInput(
            f"{article.source} has only page furniture (counters, credits), no article"
        )
    return text, removed


def prepare(article: Article, *, min_arabic: float = MIN_ARABIC_RATIO) -> Prepared:
    """Clean the article, check it is Arabic, find the headline, split the body into sentences."""
    text, removed = clean(article)
    ratio = textproc.arabic_ratio(text)
    if ratio < min_arabic:
        raise NotArabic(
            f"{article.source} has almost no Arabic ({ratio:.0%} of its letters); "
            "summarize reads Arabic news articles"
        )
    title = textproc.find_title(text)
    body = text
    if title is not None:
        body = text[text.index(title) + len(title) :].lstrip()
    elif article.title and textproc.arabic_ratio(article.title) >= min_arabic:
        title = textproc.normalize(article.title) or None
    return Prepared(
        text=body,
        title=title,
        sentences=textproc.split_sentences(body),
        removed=removed,
        words=len(text.split()),
    )


def split_article(article: Article, *, keep_furniture: bool = False) -> list[textproc.Sentence]:
    """The cleaned article's sentences, the headline line included (``summarize sentences``).
    Any language: no Arabic check, and no model."""
    text, _ = clean(article, keep_furniture=keep_furniture)
    return textproc.split_sentences(text)
