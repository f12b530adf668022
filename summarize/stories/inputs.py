"""Reading a day's articles for a digest, with what is known of each: outlet, date, address.

A digest reads any of:

- a **folder** of articles (found as ``summarize batch`` finds them, read as ``summarize brief``
  reads a file); an HTML page names its outlet (the site name in its metadata) and its address;
  with ``outlet_from_folder`` the first folder of a path names the outlet (``IN/okaz/a.txt``);
- a **batch's output folder** (``manifest.jsonl`` at its top): the JSON outputs of
  ``summarize batch -f json`` hold the cleaned article and its translations, which are used
  instead of reading and translating again;
- **JSON Lines** of articles, ``{"id", "text"}`` and optionally ``title``, ``outlet``,
  ``published`` and ``url`` (strings), from a file or stdin, as ``--input jsonl`` elsewhere;
- single article files.

An input that cannot be used (empty, not Arabic, unreadable, a malformed line) is skipped with
its reason and the exit code it would have had; the digest goes on without it.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarize.articles import (
    DEFAULT_MAX_CHARS,
    Article,
    article_from_text,
    decode_bytes,
    read_file_bytes,
)
from summarize.batch.discover import DEFAULT_GLOBS, Ignored, find_inputs
from summarize.batch.manifest import parse_records
from summarize.errors import EmptyInput, InputNotFound, SummarizeError, UsageError
from summarize.pipeline.prepare import Prepared, prepare
from summarize.progress import ProgressFn, report
from summarize.stories.result import Skipped
from summarize.streams import iter_objects, line_limit, read_lines
from summarize.text import Sentence, normalize, split_sentences
from summarize.text.fold import fold

__all__ = ["JSONL_SUFFIXES", "Inputs", "NewsItem", "read_inputs"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
_META = ("title", "outlet", "published", "url")
_MANIFEST = re.compile(r"manifest(\.\d+-of-\d+)?\.jsonl")
_MAX_FIELD = 1000  # characters of an outlet, a date or an address worth keeping


@dataclass
class NewsItem:
    """One article of the day: where it is, its cleaned text, and what is known about it."""

    path: str  # relative to the folder read, the record's id, or the file as given
    job: Prepared  # cleaned body, headline and sentences
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    #: Arabic -> English that an earlier run made (a batch's JSON outputs): not translated again
    known: dict[str, str] = field(default_factory=dict)
    #: the models of that run (its JSON ``models``), when the item comes from one
    made_by: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Inputs:
    """What reading found: the articles, the inputs skipped, and what discovery left out."""

    items: list[NewsItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: list[Ignored] = field(default_factory=list)
    reused: int = 0  # items taken from a batch's outputs


def read_inputs(
    sources: Sequence[str | Path],
    *,
    jsonl: bool = False,
    globs: Sequence[str] = DEFAULT_GLOBS,
    hidden: bool = False,
    follow_links: bool = False,
    outlet_from_folder: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: ProgressFn | None = None,
) -> Inputs:
    """Read every source (a folder, a batch's output folder, JSON Lines, a file, or '-' for
    JSON Lines on stdin). JSONL: read files as JSON Lines whatever their names. Paths are
    relative to the folder when one source is given, else prefixed with the source."""
    found = Inputs()
    for source in sources:
        name = str(source)
        prefix = "" if len(sources) == 1 else name.rstrip("/") + "/"
        if name == "-":
            with contextlib.closing(read_lines(sys.stdin.buffer, line_limit(max_chars))) as lines:
                _from_jsonl(lines, found, max_chars, prefix)
            continue
        path = Path(name)
        if path.is_dir():
            if any(_MANIFEST.fullmatch(p.name) for p in path.iterdir() if p.is_file()):
                _from_batch(path, found, outlet_from_folder, max_chars, prefix)
            else:
                _from_folder(
                    path, found, globs, hidden, follow_links, outlet_from_folder, max_chars,
                    prefix, progress,
                )  # fmt: skip
        elif not path.exists():
            raise InputNotFound(f"{name}: no such file or folder")
        elif jsonl or path.suffix.lower() in JSONL_SUFFIXES:
            data = read_file_bytes(path, name, max_chars=_stream_limit(max_chars))
            _from_jsonl(_split_lines(data), found, max_chars, prefix)
        else:
            _take(found, name, _read_file, path, name, None, max_chars, None)
    _unique_paths(found.items)
    return found


def _stream_limit(max_chars: int) -> int:
    """Characters a JSON Lines file or a manifest may hold: many articles' worth."""
    return max(max_chars * 64, 1 << 28)


def _split_lines(data: bytes) -> Iterator[str]:
    return iter(data.decode("utf-8", errors="surrogateescape").split("\n"))


def _take(found: Inputs, path: str, read: Callable[..., NewsItem], *args: Any) -> None:
    """Add READ(*ARGS) to FOUND, or skip PATH with the error it raised."""
    try:
        found.items.append(read(*args))
    except SummarizeError as e:
        found.skipped.append(Skipped(path, str(e), e.exit_code))


def _unique_paths(items: list[NewsItem]) -> None:
    """Give repeated paths (two records with one id) a suffix: ``a``, ``a~2``, ``a~3``."""
    seen: dict[str, int] = {}
    for item in items:
        n = seen.get(item.path, 0) + 1
        seen[item.path] = n
        if n > 1:
            item.path = f"{item.path}~{n}"


def prepared(article: Article, title: str | None = None) -> Prepared:
    """The article cleaned and split (:func:`summarize.pipeline.prepare.prepare`), with TITLE
    as its headline when the input names one: a first line that looked like a headline is
    then the body's."""
    job = prepare(article)
    headline = " ".join(normalize(title).split()) if title else ""
    if not headline:
        return job
    if job.title is not None and fold(job.title) != fold(headline):
        body = f"{job.title}\n\n{job.text}"
        return replace(job, text=body, title=headline, sentences=split_sentences(body))
    return replace(job, title=headline)


# -- folders and files --------------------------------------------------------------------


def _read_file(
    path: Path, name: str, within: Path | None, max_chars: int, outlet: str | None
) -> NewsItem:
    data = read_file_bytes(path, name, max_chars=max_chars, within=within)
    if not data.strip():
        raise EmptyInput(f"{name} is empty")
    text, encoding = decode_bytes(data, name)
    article = article_from_text(text, name, encoding=encoding, max_chars=max_chars)
    url = None
    if article.kind == "html":
        site, url = _page_site(text)
        outlet = outlet or site
    return NewsItem(
        path=name, job=prepared(article), outlet=outlet, published=article.published, url=url
    )


def _page_site(html: str) -> tuple[str | None, str | None]:
    """The site name (or host) and the address a saved page declares in its metadata."""
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:  # a malformed page has no metadata, it is not a failed article
        return None, None
    if meta is None:
        return None, None
    return _field(meta.sitename or meta.hostname), _field(meta.url)


def _field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:_MAX_FIELD]
    return value or None


def _from_folder(
    folder: Path,
    found: Inputs,
    globs: Sequence[str],
    hidden: bool,
    follow_links: bool,
    outlet_from_folder: bool,
    max_chars: int,
    prefix: str,
    progress: ProgressFn | None,
) -> None:
    listing = find_inputs(folder, globs, hidden=hidden, follow_links=follow_links)
    found.left_out += listing.ignored
    root = folder.resolve()
    total = len(listing.paths)
    for done, rel in enumerate(listing.paths, start=1):
        outlet = rel.split("/", 1)[0] if outlet_from_folder and "/" in rel else None
        actual = root / listing.inputs[rel]
        within = None if follow_links else root
        _take(found, prefix + rel, _read_file, actual, prefix + rel, within, max_chars, outlet)
        report(progress, "reading", done, total, item=prefix + rel)


# -- JSON Lines ----------------------------------------------------------------------------


def _from_jsonl(lines: Iterable[str], found: Inputs, max_chars: int, prefix: str) -> None:
    for raw in iter_objects(lines):
        if raw.record is None:
            found.skipped.append(
                Skipped(f"{prefix}line {raw.line}", raw.error or "", raw.exit_code)
            )
            continue
        rid = prefix + str(raw.id)
        _take(found, rid, _record_item, raw.record, raw.line, rid, max_chars)


def _record_item(record: dict[str, Any], number: int, rid: str, max_chars: int) -> NewsItem:
    text = record.get("text")
    if not isinstance(text, str):
        raise UsageError(f'line {number}: "text" must be a string')
    meta: dict[str, str | None] = {}
    for key in _META:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise UsageError(f'line {number}: "{key}" must be a string')
        meta[key] = _field(value)
    article = article_from_text(text, rid, max_chars=max_chars)
    return NewsItem(
        path=rid,
        job=prepared(article, meta["title"]),
        outlet=meta["outlet"],
        published=meta["published"] or article.published,
        url=meta["url"],
    )


# -- a batch's output folder ----------------------------------------------------------------


def _from_batch(
    folder: Path, found: Inputs, outlet_from_folder: bool, max_chars: int, prefix: str
) -> None:
    """The articles of a batch's JSON outputs; failed records are skipped with their error."""
    root = folder.resolve()
    text = ""
    for manifest in sorted(p for p in folder.iterdir() if _MANIFEST.fullmatch(p.name)):
        data = read_file_bytes(manifest, str(manifest), max_chars=_stream_limit(max_chars))
        text += data.decode("utf-8", errors="replace") + "\n"
    records = parse_records(text)
    other: list[tuple[str, str]] = []  # (path, output) of outputs that are not JSON
    for rel in sorted(records):
        record = records[rel]
        shown = prefix + rel
        if record.status != "ok" or record.output is None:
            found.skipped.append(Skipped(shown, record.error or "failed in the batch", 11))
            continue
        if not record.output.endswith(".json"):
            other.append((shown, record.output))
            continue
        outlet = rel.split("/", 1)[0] if outlet_from_folder and "/" in rel else None
        before = len(found.items)
        _take(found, shown, _output_item, root / record.output, shown, root, max_chars, outlet)
        found.reused += len(found.items) - before
    if other and not found.reused:
        raise UsageError(
            f"{folder} holds a batch's {Path(other[0][1]).suffix or 'non-JSON'} outputs; a digest "
            "reuses JSON outputs (summarize batch IN -o OUT -f json): rerun the batch so, or give "
            "the digest the folder of articles"
        )
    found.skipped += [
        Skipped(p, f"{p}: its batch output {out} is not JSON (summarize batch -f json)", 2)
        for p, out in other
    ]


def _output_item(
    output: Path, shown: str, root: Path, max_chars: int, outlet: str | None
) -> NewsItem:
    data = read_file_bytes(output, shown, max_chars=max_chars * 4, within=root)
    try:
        result = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise UsageError(f"{shown}: its output {output.name} is not valid JSON") from None
    if not isinstance(result, dict) or result.get("kind") not in ("brief", "translation"):
        raise UsageError(f"{shown}: its output {output.name} is not a brief or a translation")
    known: dict[str, str] = {}
    title = result.get("title")
    headline = None
    if isinstance(title, dict) and isinstance(title.get("ar"), str):
        headline = title["ar"]
        known[headline] = _text(title.get("en"))
    if result["kind"] == "brief":
        paragraphs = _paragraphs(result.get("article"))
        lines = result.get("summary")
    else:
        lines = result.get("translation")
        paragraphs = _translated_paragraphs(lines)
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict) and isinstance(line.get("ar"), str):
            known[line["ar"]] = _text(line.get("en"))
    if not paragraphs:
        raise UsageError(f"{shown}: its output {output.name} holds no article text")
    published = result.get("published")
    models = result.get("models")
    return NewsItem(
        path=shown,
        job=_from_paragraphs(paragraphs, headline),
        outlet=outlet,
        published=published if isinstance(published, str) else None,
        known={ar: en for ar, en in known.items() if en},
        made_by=[m for m in models if isinstance(m, dict)] if isinstance(models, list) else [],
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _paragraphs(article: object) -> list[list[str]]:
    if not isinstance(article, list):
        return []
    out = []
    for para in article:
        if isinstance(para, list):
            kept = [" ".join(s.split()) for s in para if isinstance(s, str) and s.strip()]
            if kept:
                out.append(kept)
    return out


def _translated_paragraphs(lines: object) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict) and isinstance(line.get("ar"), str):
            p = line.get("paragraph")
            groups.setdefault(p if isinstance(p, int) else 0, []).append(line["ar"])
    return _paragraphs([groups[p] for p in sorted(groups)])


def _from_paragraphs(paragraphs: list[list[str]], title: str | None) -> Prepared:
    """A prepared article rebuilt from paragraphs of sentences (a batch output's ``article``),
    numbered as they were, so that a source (paragraph, index) means the same sentence."""
    sentences: list[Sentence] = []
    parts: list[str] = []
    offset = 0
    for p, para in enumerate(paragraphs):
        for i, text in enumerate(para):
            gap = ("\n\n" if p else "") if i == 0 else " "
            if parts or i:
                parts.append(gap)
                offset += len(gap)
            sentences.append(Sentence(text, offset, offset + len(text), p))
            parts.append(text)
            offset += len(text)
    body = "".join(parts)
    return Prepared(
        text=body, title=title, sentences=sentences, removed=[], words=len(body.split())
    )
