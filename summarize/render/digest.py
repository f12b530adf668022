"""A digest in JSON (one object), JSON Lines (one story a line) or, through the modules beside
this one, Markdown and HTML: :func:`render_digest` picks."""

from __future__ import annotations

import json
from collections.abc import Callable

from summarize.render.json import json_line
from summarize.results import SCHEMA
from summarize.stories.result import Digest

__all__ = ["DIGEST_FORMATS", "digest_json", "digest_jsonl", "render_digest"]

DIGEST_FORMATS = ("markdown", "html", "json", "jsonl")


def digest_json(digest: Digest) -> str:
    """The digest's JSON (``Digest.to_dict()``), indented."""
    return json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n"


def digest_jsonl(digest: Digest) -> str:
    """One line per story, most widely carried first: ``{"schema", "kind": "story", "rank",
    …the story's fields}``, for ``jq`` and streams (the skipped inputs go to stderr)."""
    return "".join(
        json_line({"schema": SCHEMA, "kind": "story", "rank": rank, **story.to_dict()})
        for rank, story in enumerate(digest.stories, start=1)
    )


def render_digest(digest: Digest, fmt: str) -> str:
    """DIGEST in FMT, one of :data:`DIGEST_FORMATS`."""
    from summarize.render.digest_html import digest_html
    from summarize.render.digest_markdown import digest_markdown

    renderers: dict[str, Callable[[Digest], str]] = {
        "markdown": digest_markdown,
        "html": digest_html,
        "json": digest_json,
        "jsonl": digest_jsonl,
    }
    return renderers[fmt](digest)
