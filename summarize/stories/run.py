"""A digest, end to end: read the articles, group them into stories, find the figures their
articles disagree on, brief each story, most widely carried first."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.batch.discover import DEFAULT_GLOBS
from summarize.errors import EmptyInput, UsageError
from summarize.pipeline.engine import Engine
from summarize.pipeline.mapreduce import model_info
from summarize.progress import ProgressFn, report
from summarize.results import BriefLine, ModelInfo
from summarize.stories.briefing import DEFAULT_SENTENCES, StoryBriefer
from summarize.stories.figures import Said, article_figures, disagreements
from summarize.stories.grouping import (
    Doc,
    Grouping,
    central,
    content_terms,
    group,
    links,
    unlink_templates,
)
from summarize.stories.inputs import Inputs, NewsItem, read_inputs
from summarize.stories.result import ArticleRef, Digest, Story, StoryLine

__all__ = ["build_digest", "digest"]


def digest(paths: str | Path | Sequence[str | Path], **options: Any) -> dict[str, Any]:
    """The digest of PATHS as the JSON of ``summarize digest -f json``: ``build_digest(paths,
    **options).to_dict()``."""
    return build_digest(paths, **options).to_dict()


def build_digest(
    paths: str | Path | Sequence[str | Path],
    *,
    jsonl: bool = False,
    summarizer: str | None = None,
    translator: str | None = None,
    sentences: int | None = None,
    similarity: float | None = None,
    outlet_from_folder: bool = False,
    globs: Sequence[str] = DEFAULT_GLOBS,
    hidden: bool = False,
    follow_links: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    engine: Engine | None = None,
    progress: ProgressFn | None = None,
    **engine_options: Any,
) -> Digest:
    """The stories of the articles at PATHS (folders, a batch's output folder, JSON Lines
    files, article files, or '-' for JSON Lines on stdin), most widely carried first.

    ``summarizer``: as for ``brief``; the digest's default is ``"extractive"`` (``sentences``
    lines, 3 by default). ``similarity``: the link threshold of the grouping (0-1, default
    0.3; see :mod:`summarize.stories.grouping`). ``outlet_from_folder``: the first folder of a
    path names its outlet. ``engine``: an :class:`Engine` to use (its summarizer and
    translator); else one is made from ``summarizer``, ``translator``, ``sentences`` and
    ``engine_options`` (the keywords of :class:`Engine`).
    """
    started = time.perf_counter()
    sources = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if engine is None:
        engine = Engine(
            summarizer=summarizer or "extractive",
            translator=translator,
            sentences=sentences,
            progress=progress,
            **engine_options,
        )
    settings = Grouping() if similarity is None else Grouping(link=_checked(similarity))
    found = read_inputs(
        sources,
        jsonl=jsonl,
        globs=globs,
        hidden=hidden,
        follow_links=follow_links,
        outlet_from_folder=outlet_from_folder,
        max_chars=max_chars,
        progress=progress,
    )
    if not found.items and not found.skipped:
        raise EmptyInput(
            f"no articles in {', '.join(str(s) for s in sources)} (a folder is searched for "
            f"{' '.join(globs)}; JSON Lines need one article a line)"
        )
    read_s = time.perf_counter() - started
    report(progress, "grouping stories", 0, 1)
    groups = _stories(found.items, settings)
    report(progress, "grouping stories", 1, 1)
    grouped = time.perf_counter()
    briefer = StoryBriefer(engine, sentences or DEFAULT_SENTENCES, progress)
    drafts = []
    for done, members in enumerate(groups, start=1):
        drafts.append(briefer.draft(members, _title(members)))
        report(progress, "summarizing stories", done, len(groups))
    stories = []
    with ThreadPoolExecutor(briefer.workers(drafts), thread_name_prefix="digest") as pool:
        for done, (members, brief) in enumerate(
            zip(groups, pool.map(briefer.finish, drafts), strict=True), start=1
        ):
            stories.append(_story(members, *brief))
            report(progress, "translating stories", done, len(groups))
    return Digest(
        stories=stories,
        articles=len(found.items),
        skipped=found.skipped,
        grouping=settings.to_dict(),
        models=_models(engine, briefer, found),
        timings={
            "read_s": round(read_s, 3),
            "group_s": round(grouped - started - read_s, 3),
            "brief_s": round(time.perf_counter() - grouped, 3),
            "total_s": round(time.perf_counter() - started, 3),
        },
        warnings=_warnings(found),
    )


def _checked(similarity: float) -> float:
    if not 0 < similarity <= 1:
        raise UsageError(f"--similarity takes a share between 0 and 1, got {similarity}")
    return similarity


def _stories(items: list[NewsItem], settings: Grouping) -> list[list[NewsItem]]:
    """The stories of ITEMS, each most central article first then by date and path, most
    widely carried first (outlets, then articles, then the earliest date, then the path)."""
    docs = [
        Doc(
            terms=tuple(content_terms(f"{item.job.title or ''}\n{item.job.text}")),
            headline=frozenset(content_terms(item.job.title or "")),
            outlet=item.outlet,
        )
        for item in items
    ]
    sims = links(docs, settings)
    linked = sorted({a for pair in sims for a in pair})
    figures = {i: article_figures(_sentences(items[i])) for i in linked}
    sims = unlink_templates(sims, figures, settings)
    stories = []
    for members in group(docs, settings, sims):
        lead = central(members, sims)
        rest = sorted((m for m in members if m != lead), key=lambda m: _when(items[m]))
        stories.append([items[lead]] + [items[m] for m in rest])
    return sorted(stories, key=_rank)


def _when(item: NewsItem) -> tuple[str, str]:
    return (item.published or "\uffff", item.path)


def _rank(story: list[NewsItem]) -> tuple[int, int, tuple[str, str]]:
    outlets = {item.outlet for item in story if item.outlet}
    unknown = sum(1 for item in story if not item.outlet)
    return (-(len(outlets) + unknown), -len(story), min(_when(item) for item in story))


def _sentences(item: NewsItem) -> list[str]:
    """The article's headline, when it has one, and its sentences."""
    return [*([item.job.title] if item.job.title else []), *(s.text for s in item.job.sentences)]


def _title(items: list[NewsItem]) -> str | None:
    """The story's headline: its most central article's, else the first one there is."""
    return next((item.job.title for item in items if item.job.title), None)


def _story(
    items: list[NewsItem], headline: BriefLine | None, summary: list[StoryLine], warnings: list[str]
) -> Story:
    said = [Said(item.path, item.outlet, _sentences(item)) for item in items]
    return Story(
        title=headline,
        summary=summary,
        articles=[
            ArticleRef(item.path, item.job.title, item.outlet, item.published, item.url)
            for item in items
        ],
        disagreements=disagreements(said),
        warnings=warnings,
    )


def _models(engine: Engine, briefer: StoryBriefer, found: Inputs) -> list[ModelInfo]:
    """What made the digest: the summarizer, the translator when it ran, and the models of the
    batch run whose translations were taken."""
    models = [engine.summarizer.info] if engine.summarizer_spec.kind == "extractive" else []
    if briefer.summarized:
        models = [engine.summarizer.info]
    if briefer.translated:
        models.append(model_info(engine.translator))
    seen = {(m.role, m.name, m.revision) for m in models}
    for item in found.items:
        for made in item.made_by:
            if made.get("role") != "translator":  # only its translations are taken
                continue
            info = _model_info(made)
            if (info.role, info.name, info.revision) not in seen:
                seen.add((info.role, info.name, info.revision))
                models.append(info)
    return models


def _model_info(made: dict[str, Any]) -> ModelInfo:
    """A batch output's ``models`` entry as a ModelInfo ("?" where a field is missing)."""

    def text(key: str) -> str:
        value = made.get(key)
        return value if isinstance(value, str) else "?"

    def maybe(key: str) -> str | None:
        value = made.get(key)
        return value if isinstance(value, str) else None

    return ModelInfo(
        role=text("role"),
        name=text("name"),
        hub_id=maybe("hub_id"),
        revision=maybe("revision"),
        license=text("license"),
        backend=text("backend"),
        device=text("device"),
        precision=text("precision"),
    )


def _warnings(found: Inputs) -> list[str]:
    out = []
    if found.items and not any(item.outlet for item in found.items):
        out.append(
            "no article names its outlet, so stories are ranked by how many articles carry "
            'them; give JSON Lines an "outlet", or file articles by outlet and pass '
            "--outlet-from-folder"
        )
    if found.skipped:
        out.append(f"{len(found.skipped)} input(s) skipped (see skipped)")
    return out
