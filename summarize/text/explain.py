"""Why the text layer did what it did: every removed line, the headline, every split.

``summarize sentences --explain`` prints these, so that a user who sees a wrong split or a
lost line can name the rule that did it.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarize.text.document import read_document
from summarize.text.runon import run_on_cuts
from summarize.text.sentences import explain_sentences

__all__ = ["Decision", "explain"]

_CONTEXT = 24
_CONVENTIONS = {
    "blank-line": "a blank line separates paragraphs",
    "line": "one paragraph a line (single line breaks after finished sentences outnumber blank lines)",
}


@dataclass(frozen=True)
class Decision:
    """One decision of the text layer.

    ``step`` is ``furniture`` (a line or credit removed), ``title`` (the headline found, or
    why there is none), ``paragraphs`` (the document's paragraph convention), ``run-on`` (where
    a sentence over 80 words is cut for the models: ``bullet``, ``dash-run``, ``label-colon``,
    ``semicolon``, ``comma-chain``, ``words``), or ``sentences`` (a candidate sentence end: ``split`` says whether a
    sentence ends there). ``rule`` names the rule that decided. ``text`` is the removed text,
    the headline, or the text around a sentence boundary with «‖» at the boundary. ``offset``
    is, for ``sentences``, the boundary's offset in the body (the cleaned text after the
    headline); for ``furniture``, the 0-based number of the input line; else None.
    """

    step: str
    rule: str
    text: str
    split: bool = False
    offset: int | None = None


def _around(text: str, offset: int) -> str:
    before = text[max(0, offset - _CONTEXT) : offset].replace("\n", "⏎")
    after = text[offset : offset + _CONTEXT].replace("\n", "⏎")
    return f"{before}‖{after}"


def explain(
    text: str, *, keep_furniture: bool = False, page_title: str | None = None
) -> list[Decision]:
    """Run the text layer on raw ``text`` and return each decision, in order.

    Same steps as the pipeline (:func:`summarize.text.read_document`): normalize, remove
    furniture (unless ``keep_furniture``), find the headline, decide the paragraph convention
    (``paragraphs``: ``blank-line`` or ``line``), split the rest into sentences, and cut
    run-on sentences for the models (``run-on``, listed before the sentence decisions).
    """
    doc = read_document(text, keep_furniture=keep_furniture, page_title=page_title)
    decisions = [Decision("furniture", r.rule, r.text, offset=r.line) for r in doc.removed]
    decisions.append(Decision("title", doc.title_rule, doc.title or ""))
    decisions.append(Decision("paragraphs", doc.convention, _CONVENTIONS[doc.convention]))
    body = doc.body
    decisions += [
        Decision(
            "run-on", cut.rule, _around(body, s.start + cut.offset), True, s.start + cut.offset
        )
        for s in doc.sentences
        for cut in run_on_cuts(s.text)
    ]
    for boundary in explain_sentences(body, convention=doc.convention):
        decisions.append(
            Decision(
                "sentences",
                boundary.rule,
                _around(body, boundary.offset),
                split=boundary.split,
                offset=boundary.offset,
            )
        )
    return decisions
