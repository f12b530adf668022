"""Arabic-aware sentence splitting, with offsets and paragraph numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarize.text.stops import CLOSERS, TERMINALS, line_decisions

__all__ = [
    "CLOSERS",
    "TERMINALS",
    "Boundary",
    "Sentence",
    "explain_sentences",
    "paragraph_convention",
    "paragraphs",
    "split_sentences",
]


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == source[start:end]``, stripped, on one line, never empty."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Boundary:
    """One place where a sentence could end, and what the splitter decided there.

    ``offset`` is where the candidate mark ends in the text (for line breaks, the offset of
    the ``\\n``); ``split`` says whether a sentence ends there; ``rule`` names the rule that
    decided. :func:`explain_sentences` lists them so users can report a wrong split exactly.
    """

    offset: int
    split: bool
    rule: str


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_sentence(line: str) -> bool:
    bare = line.rstrip().rstrip(CLOSERS)
    return bool(bare) and bare[-1] in TERMINALS


def paragraph_convention(text: str) -> str:
    """How ``text`` separates paragraphs: ``"blank-line"`` or ``"line"``.

    Scraped corpora and HTML extraction put each paragraph on one line with no blank line
    between. A document uses ``"line"`` when its single line breaks mostly follow a finished
    sentence and outnumber its blank-line breaks; hard-wrapped text (lines broken mid-sentence)
    and ordinary blank-line text keep ``"blank-line"``.
    """
    blank = finished = unfinished = 0
    previous: str | None = None
    gap = False
    for line in text.split("\n"):
        if not line.strip():
            gap = previous is not None
            continue
        if previous is not None:
            if gap:
                blank += 1
            elif _ends_sentence(previous):
                finished += 1
            else:
                unfinished += 1
        previous, gap = line, False
    return "line" if finished > blank and finished > unfinished else "blank-line"


def _sentences_and_boundaries(
    text: str, convention: str | None
) -> tuple[list[Sentence], list[Boundary]]:
    one_line_paragraphs = (convention or paragraph_convention(text)) == "line"
    sentences: list[Sentence] = []
    boundaries: list[Boundary] = []
    paragraph = 0
    seen_text = blank_before = False
    line_start = 0
    for line in text.split("\n"):
        offset = line_start
        line_start += len(line) + 1
        if not line.strip():
            blank_before = seen_text
            continue
        if seen_text:
            new_paragraph = blank_before or one_line_paragraphs
            paragraph += new_paragraph
            rule = "paragraph-break" if new_paragraph else "line-break"
            boundaries.append(Boundary(offset - 1, True, rule))
        blank_before = False
        seen_text = True
        decisions = line_decisions(line)
        boundaries.extend(Boundary(offset + end, split, rule) for end, split, rule in decisions)
        cuts = [end for end, split, _ in decisions if split]
        bounds = [0, *cuts, len(line)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            a, b = _strip_span(line, a, b)
            if a < b:
                sentences.append(Sentence(line[a:b], offset + a, offset + b, paragraph))
    return sentences, boundaries


def split_sentences(text: str, *, convention: str | None = None) -> list[Sentence]:
    """Split normalized ``text`` into sentences, with offsets and paragraph numbers.

    A sentence ends at . ! ? ؟ (plus closing quotes and brackets), at a full stop glued to
    an Arabic word, at «..» / «...» / «…» when what follows starts a new sentence, and always
    at a line break; not at decimals, dates, abbreviations, URLs, e-mail addresses or file
    names. Paragraphs are separated by blank lines, or by single line breaks in a document
    written one paragraph a line (see :func:`paragraph_convention`; CONVENTION, when given,
    is that decision made for the whole document). Only whitespace is left outside the
    sentences.
    """
    return _sentences_and_boundaries(text, convention)[0]


def explain_sentences(text: str, *, convention: str | None = None) -> list[Boundary]:
    """Every candidate sentence end in normalized ``text``, in order, with the rule that decided.

    Splits: ``stop``, ``glued-stop``, ``question``, ``exclamation``, ``pause-new-sentence``,
    ``line-break``, ``paragraph-break``. Kept together: ``abbreviation``, ``no-space-after``,
    ``url-or-email``, ``elision``, ``no-text-before``, ``run-continues``, ``comma-follows``,
    ``inside-brackets``, ``lowercase-follows``, ``list-number``, ``continuation-follows``,
    ``quoted-mark-continues``, ``pause-in-quotes``, ``pause-in-headline``,
    ``pause-after-lead-in``, ``pause-after-label``, ``pause-before-main-clause``,
    ``pause-after-dangling-word``, ``pause-continuation``.
    """
    return _sentences_and_boundaries(text, convention)[1]


def paragraphs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Group consecutive sentences by their paragraph number, keeping order."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        if groups and groups[-1][-1].paragraph == sentence.paragraph:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    return groups
