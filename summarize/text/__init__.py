"""Unicode cleanup, page-furniture removal and Arabic-aware sentence splitting.

Everything here is a pure function over ``str``: no I/O, no model knowledge. The steps run
in this order: :func:`normalize` (make the text stable), :func:`strip_furniture` (drop lines
that are not prose), :func:`find_title`, then :func:`split_sentences`.

Page furniture is what a news page carries around an article: language switchers
("Ru En"), view and comment counters ("0", "133"), date stamps ("٠١ يوليو"), photo and
source credits ("الصورة: ...", "المصدر: تاس"), agency tags ("(أ ف ب)") and share/print
widgets. None of it is prose; fed to a summarizer it surfaces as invented "facts", fed to a
translator it wastes work. Removal is conservative on purpose: a line goes only when every
token in it belongs to a furniture vocabulary, it has no letters at all, or it is a short
credit line. A headline, byline, sub-heading or any sentence is never removed.

Sentence splitting exists because no common splitter handles Arabic news: they split on the
Arabic comma, ignore «؟», or miss full stops glued to the next word («والسلام.ونظراً»).

The package is split by step: ``normalize``, ``letters``, ``dates``, ``furniture`` (with
``bylines`` and ``edges``, furniture glued to prose), ``stops`` and ``sentences``, ``headline``,
``runon`` (where a run-on sentence is cut for the models), ``document`` (all of it once over
an article: the one sentence numbering every command
shares), ``explain`` (which rule decided each removal and split), and ``fold`` (a lossy form
for comparing texts, never for display). docs/text-rules.md lists
every rule with a real example.
"""

from summarize.text.dates import parse_date
from summarize.text.document import Document, read_document
from summarize.text.explain import Decision, explain
from summarize.text.furniture import (
    Removal,
    find_dateline,
    furniture_rule,
    strip_furniture,
    strip_furniture_explained,
)
from summarize.text.headline import find_title, title_rule
from summarize.text.letters import arabic_ratio, is_arabic_letter
from summarize.text.normalize import normalize
from summarize.text.runon import RUN_ON_WORDS, run_on_cuts, split_run_on
from summarize.text.sentences import (
    Boundary,
    Sentence,
    explain_sentences,
    paragraph_convention,
    paragraphs,
    split_sentences,
)

__all__ = [
    "RUN_ON_WORDS",
    "Boundary",
    "Decision",
    "Document",
    "Removal",
    "Sentence",
    "arabic_ratio",
    "explain",
    "explain_sentences",
    "find_dateline",
    "find_title",
    "furniture_rule",
    "is_arabic_letter",
    "normalize",
    "paragraph_convention",
    "paragraphs",
    "parse_date",
    "read_document",
    "run_on_cuts",
    "split_run_on",
    "split_sentences",
    "strip_furniture",
    "strip_furniture_explained",
    "title_rule",
]
