"""summarize: Arabic news to side-by-side Arabic-English briefs.

The Python API, the same one the command line uses::

    import summarize

    engine = summarize.Engine(summarizer="arabart", backend="ctranslate2", precision="int8")
    result = engine.brief(summarize.read_article("article.txt"))
    for line in result.summary:
        print(line.en, "|", line.ar)
    result.to_dict()          # exactly the CLI's `-f json` (timings aside)

    summarize.brief(text)     # one call, default models
    summarize.translate(text)
    summarize.sentences(text)
    summarize.digest("day/")  # a folder of articles as stories (the JSON of `summarize digest`)

Errors are :class:`SummarizeError` subclasses with a message a user can act on (and the exit
code the CLI uses). Nothing heavy is imported here: torch, transformers and ctranslate2 load
with the first model, so ``import summarize`` and ``summarize --help`` stay instant.
"""

from __future__ import annotations

from importlib import import_module
from os import PathLike
from typing import TYPE_CHECKING, Any

from summarize.version import __version__

if TYPE_CHECKING:
    from summarize.articles import Article, read_article
    from summarize.backends import LoadOptions, Model, register_backend
    from summarize.errors import (
        ChecksFailed,
        EmptyInput,
        InputNotFound,
        InputTooLarge,
        ModelError,
        NotArabic,
        OutputError,
        RegistryError,
        SummarizeError,
        UndecodableInput,
        UsageError,
    )
    from summarize.pipeline.engine import Engine
    from summarize.progress import Progress
    from summarize.results import Brief, BriefLine, ModelInfo, Result, Stats, Translation
    from summarize.stories import Digest, digest
    from summarize.tasks import Task
    from summarize.text import Document, Sentence

# name -> module that defines it; imported on first use (PEP 562)
_EXPORTS = {
    "Engine": "summarize.pipeline.engine",
    "Result": "summarize.results",
    "Brief": "summarize.results",
    "Translation": "summarize.results",
    "Task": "summarize.tasks",
    "BriefLine": "summarize.results",
    "Stats": "summarize.results",
    "ModelInfo": "summarize.results",
    "Article": "summarize.articles",
    "read_article": "summarize.articles",
    "Document": "summarize.text",
    "Sentence": "summarize.text",
    "digest": "summarize.stories",
    "Digest": "summarize.stories",
    "Progress": "summarize.progress",
    "LoadOptions": "summarize.backends",
    "Model": "summarize.backends",
    "register_backend": "summarize.backends",
    **dict.fromkeys(
        (
            "SummarizeError",
            "UsageError",
            "ChecksFailed",
            "InputNotFound",
            "EmptyInput",
            "UndecodableInput",
            "NotArabic",
            "InputTooLarge",
            "ModelError",
            "RegistryError",
            "OutputError",
        ),
        "summarize.errors",
    ),
}

__all__ = [
    "Article",
    "Brief",
    "BriefLine",
    "ChecksFailed",
    "Digest",
    "Document",
    "EmptyInput",
    "Engine",
    "InputNotFound",
    "InputTooLarge",
    "LoadOptions",
    "Model",
    "ModelError",
    "ModelInfo",
    "NotArabic",
    "OutputError",
    "Progress",
    "RegistryError",
    "Result",
    "Sentence",
    "Stats",
    "SummarizeError",
    "Task",
    "Translation",
    "UndecodableInput",
    "UsageError",
    "__version__",
    "brief",
    "digest",
    "read_article",
    "register_backend",
    "sentences",
    "translate",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summarize' has no attribute {name!r}")


def brief(text: str | Article | PathLike[str], *, source: str = "-", **options: Any) -> Brief:
    """The brief of one article: ``Engine(**options).brief(text)``."""
    from summarize.pipeline.engine import Engine

    return Engine(**options).brief(text, source=source)


def translate(
    text: str | Article | PathLike[str], *, source: str = "-", **options: Any
) -> Translation:
    """The whole article translated sentence by sentence: ``Engine(**options).translate(text)``."""
    from summarize.pipeline.engine import Engine

    return Engine(**options).translate(text, source=source)


def sentences(
    text: str | Article | PathLike[str], *, source: str = "-", keep_furniture: bool = False
) -> Document:
    """The cleaned article: ``title``, ``byline`` and the body's ``sentences``, numbered as a
    brief's sources and a translation number them (no model is loaded)."""
    from summarize.articles import as_article
    from summarize.pipeline.prepare import split_article

    return split_article(as_article(text, source), keep_furniture=keep_furniture)
