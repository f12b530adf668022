"""The checks a reader of the English column cannot make: one function per use.

- :func:`check_brief_line`: a summary line (Arabic, English) against the cleaned article;
- :func:`check_translation_line`: a translated sentence (Arabic, English) against itself;
- :func:`trust_brief`: every line of a brief, with its sources and its checks.

Each finding is a :class:`Check` of one of six kinds:

========================  =====================================================================
``weak_source``           the line's sources cover less than ``WEAK_SUPPORT`` of it; the
                          value is the coverage ("0.18")
``unsupported_number``    a figure of the Arabic summary line that the article does not have
``unsupported_name``      a name of the Arabic summary line that the article does not have
``lost_in_translation``   a figure of the Arabic line that its English does not have
``added_in_translation``  a figure of the English line that neither its Arabic nor the
                          article has (for a translation: that its Arabic does not have)
``name_lost_in_``         a place of the Arabic line that its English replaced by another
``translation``           place, or a Latin token of the Arabic the English lacks
                          (:mod:`summarize.trust.name_pairs`)
========================  =====================================================================

A figure's value is written as it appears in the line it was found in («3.5 مليار», "15%").
Spelled-out one and two are never reported (see :mod:`summarize.trust.numbers`). All kinds
are failures for a pipeline gate: ``bool(checks)`` is the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarize.text import Sentence
from summarize.trust.name_pairs import latin_names, lost_names
from summarize.trust.names import NameLexicon, unsupported_names
from summarize.trust.numbers import NumberMention, code_numbers, extract_numbers, figure_keys
from summarize.trust.provenance import WEAK_SUPPORT, SourceIndex, SourceRef, Support
from summarize.trust.translit import same_name

__all__ = [
    "ADDED_IN_TRANSLATION",
    "CHECK_KINDS",
    "LOST_IN_TRANSLATION",
    "NAME_LOST_IN_TRANSLATION",
    "UNSUPPORTED_NAME",
    "UNSUPPORTED_NUMBER",
    "WEAK_SOURCE",
    "ArticleIndex",
    "Check",
    "LineTrust",
    "check_brief_line",
    "check_summary_line",
    "check_translation_line",
    "trust_brief",
]

WEAK_SOURCE = "weak_source"
UNSUPPORTED_NUMBER = "unsupported_number"
UNSUPPORTED_NAME = "unsupported_name"
LOST_IN_TRANSLATION = "lost_in_translation"
ADDED_IN_TRANSLATION = "added_in_translation"
NAME_LOST_IN_TRANSLATION = "name_lost_in_translation"
CHECK_KINDS = (
    WEAK_SOURCE,
    UNSUPPORTED_NUMBER,
    UNSUPPORTED_NAME,
    LOST_IN_TRANSLATION,
    ADDED_IN_TRANSLATION,
    NAME_LOST_IN_TRANSLATION,
)
"""Every kind, in the order checks of one line are listed."""


@dataclass(frozen=True)
class Check:
    """One finding about one line: ``{"kind": "lost_in_translation", "value": "15%"}``."""

    kind: str
    value: str


@dataclass
class LineTrust:
    """What a brief line carries in JSON besides ``ar`` and ``en``: ``dataclasses.asdict``
    gives ``{"sources": [{"paragraph", "index", "score"}], "checks": [{"kind", "value"}]}``."""

    sources: list[SourceRef] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


class ArticleIndex:
    """The cleaned article, indexed once for every check of its brief: sentences for
    provenance, figures and names of the sentences and the headline for support."""

    def __init__(self, sentences: Sequence[Sentence], title: str | None = None) -> None:
        texts = [s.text for s in sentences] + ([title] if title else [])
        self.sources = SourceIndex(sentences)
        self.figures = figure_keys(m for text in texts for m in extract_numbers(text))
        self.names = NameLexicon(texts)

    def support(self, line: str) -> Support:
        """The sources of ``line`` and their coverage (see :mod:`summarize.trust.provenance`)."""
        return self.sources.support(line)


def _absent(mentions: Iterable[NumberMention], keys: frozenset[str]) -> list[str]:
    """The text of each strong mention that ``keys`` do not support, once per value."""
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.weak or m.supported_by(keys) or m.value in seen:
            continue
        seen.add(m.value)
        out.append(m.text)
    return out


def _hijri_only_both(
    ar_figures: list[NumberMention], en_figures: list[NumberMention]
) -> tuple[list[NumberMention], list[NumberMention]]:
    """Hijri months are compared only where both sides name one: a translator may give
    «رمضان» as a Gregorian date, or leave "Ramadan" for «الشهر الفضيل»."""

    def hijri(m: NumberMention) -> bool:
        return m.kind in ("month", "date") and "h" in m.value

    if any(map(hijri, ar_figures)) and any(map(hijri, en_figures)):
        return ar_figures, en_figures
    return [m for m in ar_figures if not hijri(m)], [m for m in en_figures if not hijri(m)]


def _translation_checks(
    ar: str, ar_figures: list[NumberMention], en: str, also_supported: frozenset[str] = frozenset()
) -> list[Check]:
    en_figures = extract_numbers(en)
    ar_compared, en_compared = _hijri_only_both(ar_figures, en_figures)
    en_names = latin_names(en)
    lost = _absent(
        [m for m in ar_compared if not _is_name(m, en_names)],
        figure_keys(en_figures) | code_numbers(en),
    )
    added = _absent(en_compared, figure_keys(ar_figures) | also_supported | code_numbers(ar))
    names = lost_names(ar, en)
    return (
        [Check(LOST_IN_TRANSLATION, v) for v in lost]
        + [Check(ADDED_IN_TRANSLATION, v) for v in added]
        + [Check(NAME_LOST_IN_TRANSLATION, v) for v in names]
    )


def _is_name(mention: NumberMention, en_names: list[str]) -> bool:
    """A spelled Arabic figure that is a name of the English: «وايلد وست» "Wild West"."""
    if any(c.isdigit() for c in mention.text) or " " in mention.text:
        return False
    return any(same_name(mention.text, name) for name in en_names)


def check_translation_line(ar: str, en: str) -> list[Check]:
    """The translation checks of one translated text (a sentence, a headline, or a whole
    article): ``lost_in_translation``, ``added_in_translation``, ``name_lost_in_translation``."""
    return _translation_checks(ar, extract_numbers(ar), en)


def _summary_line(
    ar: str, article: ArticleIndex, ar_figures: list[NumberMention]
) -> tuple[Support, list[Check]]:
    support = article.support(ar)
    checks = []
    if support.coverage < WEAK_SUPPORT:
        checks.append(Check(WEAK_SOURCE, f"{support.coverage:.2f}"))
    checks += [Check(UNSUPPORTED_NUMBER, v) for v in _absent(ar_figures, article.figures)]
    names = dict.fromkeys(m.text for m in unsupported_names(ar, article.names))  # once each
    checks += [Check(UNSUPPORTED_NAME, name) for name in names]
    return support, checks


def check_summary_line(ar: str, article: ArticleIndex) -> list[Check]:
    """The source checks of an Arabic summary line with no English: ``weak_source``,
    ``unsupported_number``, ``unsupported_name`` (what ``summarize check`` gives a summary)."""
    return _summary_line(ar, article, extract_numbers(ar))[1]


def _brief_line(ar: str, en: str, article: ArticleIndex) -> LineTrust:
    ar_figures = extract_numbers(ar)
    support, checks = _summary_line(ar, article, ar_figures)
    checks += _translation_checks(ar, ar_figures, en, article.figures)
    return LineTrust(support.sources, checks)


def check_brief_line(ar: str, en: str, article: ArticleIndex) -> list[Check]:
    """Every check of one summary line (Arabic ``ar``, its English ``en``) against the article,
    in the order of :data:`CHECK_KINDS`."""
    return _brief_line(ar, en, article).checks


def trust_brief(
    lines: Iterable[tuple[str, str]], sentences: Sequence[Sentence], title: str | None = None
) -> list[LineTrust]:
    """Sources and checks of every (Arabic, English) summary line of one article.

    ``sentences`` are the cleaned article's (``pipeline.prepare(...).sentences``), ``title``
    its headline: a summary may take a name or a figure from the headline.
    """
    article = ArticleIndex(sentences, title)
    return [_brief_line(ar, en, article) for ar, en in lines]
