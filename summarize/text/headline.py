"""The headline of an article: a short first line that is not a sentence."""

from __future__ import annotations

from summarize.text.sentences import CLOSERS, TERMINALS, split_sentences

__all__ = ["find_title", "title_rule"]

_TITLE_MAX_WORDS = 20
_CONTINUES = ":،,;؛"
# Headlines in Gulf and Maghreb papers often end in «!» or «..!»: still a headline.
_EXCLAIMS = "!\u203c"
_QUESTIONS = "؟?"
_QUESTION_MAX_WORDS = 15
_PAUSE_MAX_WORDS = 15


def title_rule(text: str) -> tuple[str | None, str]:
    """The headline of clean ``text`` (or None) and the rule that decided.

    Rules: ``headline`` (a short first line with no final stop), ``exclaiming-headline``
    (ending in «!» or «..!»), ``trailing-headline`` (at most 15 words ending in «..» or «…»),
    ``question-headline`` (a question of at most 15 words followed by
    a blank line); no headline: ``no-text-after``, ``too-long``, ``ends-sentence``,
    ``lead-in`` (ends in «:» or «،»), ``several-sentences``.
    """
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if not first or not rest.strip():
        return None, "no-text-after"
    if len(first.split()) > _TITLE_MAX_WORDS:
        return None, "too-long"
    bare = first.rstrip(CLOSERS)
    if not bare:
        return None, "ends-sentence"
    rule = "headline"
    if (
        bare[-1] in _QUESTIONS
        and rest.startswith("\n")
        and len(first.split()) <= _QUESTION_MAX_WORDS
    ):
        # A short question set apart by a blank line: «ما أهمية تبنّي القيم الصحفية…؟»
        bare = bare.rstrip(TERMINALS + " ")
        rule = "question-headline"
    elif bare[-1] in _EXCLAIMS:
        bare = bare.rstrip(TERMINALS + " ")
        rule = "exclaiming-headline"
    elif bare.endswith(("..", "…")) and len(first.split()) <= _PAUSE_MAX_WORDS:
        # «"الحبيب بورقيبة" مشروع فيلم مُنع من الإنجاز..»: a headline trailing off, not a stop
        bare = bare.rstrip(".… ")
        rule = "trailing-headline"
    if not bare or bare[-1] in TERMINALS:
        return None, "ends-sentence"
    if bare[-1] in _CONTINUES:
        return None, "lead-in"
    if len(split_sentences(bare)) > 1:
        return None, "several-sentences"
    return first, rule


def find_title(text: str) -> str | None:
    """The headline of clean ``text``, or None when the first line is already prose.

    A headline is a short first line (at most 20 words) with text after it that is not a
    sentence: no final stop other than «!» or «..!» (or «؟» when a blank line follows), not
    several sentences, not a lead-in
    ending in «:» or «،». A pause inside it («الفهد.. روح القيادة») does not make it prose.
    """
    return title_rule(text)[0]
