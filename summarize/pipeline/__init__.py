"""The pipeline: an article through its stages, one module each.

``prepare`` (clean, headline, sentences) -> a summarization strategy (``mapreduce`` or
``extractive``) -> ``translate`` (sentence-aligned) -> ``checking`` (sources and checks of
every line), composed by the :class:`~summarize.pipeline.engine.Engine`.
"""

from summarize.pipeline.engine import Engine
from summarize.pipeline.prepare import Prepared, prepare
from summarize.tasks import Task

__all__ = ["Engine", "Prepared", "Task", "prepare"]
