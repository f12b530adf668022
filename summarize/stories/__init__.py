"""The day's news as stories: ``summarize digest``.

Articles from many outlets are read (:mod:`~summarize.stories.inputs`), grouped into stories
(:mod:`~summarize.stories.grouping`), compared for the figures they give differently
(:mod:`~summarize.stories.figures`), and each story gets one bilingual brief
(:mod:`~summarize.stories.briefing`); :mod:`~summarize.stories.run` composes them and
:mod:`~summarize.stories.result` is the result type, whose ``to_dict()`` is the JSON.

The package is not called ``digest`` on purpose: ``summarize.digest`` is the API function,
and a subpackage of that name would replace it as an attribute of ``summarize`` once imported.
"""

from summarize.stories.grouping import Grouping
from summarize.stories.result import (
    ArticleRef,
    Digest,
    Disagreement,
    FigureValue,
    Skipped,
    Story,
    StoryLine,
    StorySource,
)
from summarize.stories.run import build_digest, digest

__all__ = [
    "ArticleRef",
    "Digest",
    "Disagreement",
    "FigureValue",
    "Grouping",
    "Skipped",
    "Story",
    "StoryLine",
    "StorySource",
    "build_digest",
    "digest",
]
