"""Briefs a reader can check: where each summary line comes from, and which figures or names
changed on the way.

Pure functions over text, computed after generation, so they serve every summarizer and
translator alike (docs/trust.md explains the method and its limits):

- :mod:`~summarize.trust.provenance`: the 1-3 source sentences of a summary line, scored;
- :mod:`~summarize.trust.numbers`: figures of Arabic and English text as comparable values;
- :mod:`~summarize.trust.names`: names of a summary line the article does not have;
- :mod:`~summarize.trust.checks`: the checks of a brief line or a translated line.

Every result is a dataclass; ``dataclasses.asdict`` gives its documented JSON.
"""

from summarize.trust.checks import (
    ADDED_IN_TRANSLATION,
    CHECK_KINDS,
    LOST_IN_TRANSLATION,
    NAME_LOST_IN_TRANSLATION,
    UNSUPPORTED_NAME,
    UNSUPPORTED_NUMBER,
    WEAK_SOURCE,
    ArticleIndex,
    Check,
    LineTrust,
    check_brief_line,
    check_summary_line,
    check_translation_line,
    trust_brief,
)
from summarize.trust.names import NameLexicon, NameMention, name_candidates, unsupported_names
from summarize.trust.numbers import NumberMention, extract_numbers
from summarize.trust.provenance import (
    MAX_SOURCES,
    MIN_EXTRA_COVERAGE,
    MIN_SOURCE_SCORE,
    WEAK_SUPPORT,
    SourceIndex,
    SourceRef,
    Support,
    find_sources,
    sentence_positions,
)

__all__ = [
    "ADDED_IN_TRANSLATION",
    "CHECK_KINDS",
    "LOST_IN_TRANSLATION",
    "NAME_LOST_IN_TRANSLATION",
    "MAX_SOURCES",
    "MIN_EXTRA_COVERAGE",
    "MIN_SOURCE_SCORE",
    "UNSUPPORTED_NAME",
    "UNSUPPORTED_NUMBER",
    "WEAK_SOURCE",
    "WEAK_SUPPORT",
    "ArticleIndex",
    "Check",
    "LineTrust",
    "NameLexicon",
    "NameMention",
    "NumberMention",
    "SourceIndex",
    "SourceRef",
    "Support",
    "check_brief_line",
    "check_summary_line",
    "check_translation_line",
    "extract_numbers",
    "find_sources",
    "name_candidates",
    "sentence_positions",
    "trust_brief",
    "unsupported_names",
]
