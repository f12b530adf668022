"""One article through the whole text layer, once: the one numbering every command shares.

A brief's source ``{paragraph, index}``, the positions of ``summarize translate`` and those of
``summarize sentences`` all come from :func:`read_document`, so they name the same sentence
of the same text:

- the headline is never a numbered paragraph: it is ``title``; positions number the body (the
  cleaned text after the headline) from paragraph 0;
- the paragraph convention (blank-line or one paragraph a line) is decided once for the
  whole document; the break after the headline does not vote, since every convention has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarize.text.furniture import Removal, byline_of, strip_furniture_explained
from summarize.text.headline import title_rule
from summarize.text.letters import arabic_ratio
from summarize.text.normalize import normalize
from summarize.text.sentences import Sentence, paragraph_convention, split_sentences

__all__ = ["PAGE_TITLE_MIN_ARABIC", "Document", "read_document"]

PAGE_TITLE_MIN_ARABIC = 0.3


@dataclass(frozen=True)
class Document:
    """An article cleaned, its headline found, its body split into numbered sentences.

    ``text`` is the cleaned text (normalized, page furniture removed), headline included;
    ``body`` is what follows the headline, the text ``sentences`` (and their offsets) are of.
    ``convention`` is ``"blank-line"`` or ``"line"`` (see :func:`paragraph_convention`);
    ``removed`` lists what furniture removal took out, and ``byline`` is the article's byline
    («جدة - واس», «بقلم …») when one was taken out.
    """

    text: str
    title: str | None
    title_rule: str
    body: str
    convention: str
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    byline: str | None = None

    def positions(self) -> list[tuple[int, int]]:
        """(paragraph, index within the paragraph) of each sentence, both from 0."""
        out: list[tuple[int, int]] = []
        for s in self.sentences:
            index = out[-1][1] + 1 if out and out[-1][0] == s.paragraph else 0
            out.append((s.paragraph, index))
        return out

    def to_dict(self) -> dict[str, object]:
        """``{"title", "byline", "sentences": [{"paragraph", "index", "text"}]}``."""
        return {
            "title": self.title,
            "byline": self.byline,
            "sentences": [
                {"paragraph": p, "index": i, "text": s.text}
                for (p, i), s in zip(self.positions(), self.sentences, strict=True)
            ],
        }


def _body(text: str, title: str | None) -> str:
    if title is None:
        return text
    return text[text.index(title) + len(title) :].lstrip()


def read_document(
    text: str,
    *,
    keep_furniture: bool = False,
    page_title: str | None = None,
    min_arabic: float = PAGE_TITLE_MIN_ARABIC,
) -> Document:
    """Normalize raw ``text``, remove page furniture (unless KEEP_FURNITURE), find the
    headline, decide the paragraph convention once, and split the body into sentences.

    PAGE_TITLE (an HTML page's ``<title>``) is the headline when the text has no headline line
    and the title is Arabic enough (rule ``page-title``); it is not in the text, so the
    numbering does not change."""
    clean = normalize(text)
    removed: list[Removal] = []
    if not keep_furniture:
        clean, removed = strip_furniture_explained(clean)
    title, rule = title_rule(clean)
    body = _body(clean, title)
    if title is None and page_title and arabic_ratio(page_title) >= min_arabic:
        title, rule = normalize(page_title) or None, "page-title"
    convention = paragraph_convention(body)  # the whole text, the headline's break not voting
    return Document(
        text=clean,
        title=title,
        title_rule=rule,
        body=body,
        convention=convention,
        sentences=split_sentences(body, convention=convention),
        removed=removed,
        byline=byline_of(removed),
    )
