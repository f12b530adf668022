"""Reading articles: files or stdin, any common encoding, plain text or saved HTML pages.

Encoding detection is charset-normalizer's; HTML text extraction is trafilatura's. What
comes out is an ``Article``: decoded text plus where it came from and how it was read, and
when the story was published where the page or a dateline says so.
"""

from __future__ import annotations

import codecs
import errno
import io
import re
import sys
from dataclasses import dataclass
from os import PathLike, fspath
from pathlib import Path
from typing import BinaryIO

from summarize.errors import EmptyInput, InputNotFound, InputTooLarge, UndecodableInput
from summarize.fileio import NotRegularFile, TooLarge, human_size, read_regular
from summarize.text.dates import parse_date
from summarize.text.furniture import find_dateline, furniture_rule

DEFAULT_MAX_CHARS = 1_000_000
# UTF-8 Arabic takes two bytes a letter; allow four per character before refusing unread.
BYTES_PER_CHAR = 4
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Article:
    """One input, decoded."""

    text: str
    source: str
    encoding: str
    kind: str = "text"  # "text" or "html"
    title: str | None = None  # the page's own title, for HTML
    # YYYY-MM-DD: the page's date metadata first, then a dateline («الأربعاء، 28 آب/اغسطس 2013»)
    published: str | None = None


def read_article(path: str | None, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read PATH ('-' or None for stdin), decode it, and extract text from HTML."""
    if path is None or path == "-":
        data = _read_limited(sys.stdin.buffer, max_chars, "stdin")
        return article_from_bytes(data, "-", max_chars=max_chars)
    data = read_file_bytes(Path(path), path, max_chars=max_chars)
    return article_from_bytes(data, path, max_chars=max_chars)


def read_file_bytes(
    path: Path, name: str, *, max_chars: int = DEFAULT_MAX_CHARS, within: Path | None = None
) -> bytes:
    """The bytes of the regular file PATH (NAME in messages), refused before reading when it
    cannot be an article: a directory, a FIFO or device (reading one could block or never
    end), or a file too large for --max-chars. WITHIN: a folder the file must lie in once
    opened (batch mode: no link out of the input folder)."""
    try:
        return read_regular(path, max_chars * BYTES_PER_CHAR, within=within)
    except FileNotFoundError:
        raise InputNotFound(f"{name}: no such file") from None
    except IsADirectoryError:
        raise _is_a_directory(name) from None
    except PermissionError:
        raise InputNotFound(f"{name}: permission denied") from None
    except NotRegularFile as e:
        if e.errno == errno.EISDIR:
            raise _is_a_directory(name) from None
        if e.errno == errno.EXDEV:
            raise InputNotFound(f"{name} {e.strerror}; pass --follow-links to read it") from None
        raise InputNotFound(f"{name} is not a regular file (a FIFO, socket or device)") from None
    except TooLarge:
        # Refused by its size in bytes, before reading: say it in bytes, and what the limit
        # in characters allows (a character is at most BYTES_PER_CHAR bytes).
        size = _size(path)
        allowed = human_size(max_chars * BYTES_PER_CHAR)
        what = f"{name} is {human_size(size)}" if size else f"{name} is larger"
        raise InputTooLarge(
            f"{what}, more than the limit of {max_chars:,} characters can take ({allowed} at "
            f"most, {BYTES_PER_CHAR} bytes a character); split it, or raise the limit with "
            "--max-chars"
        ) from None
    except OSError as e:
        raise InputNotFound(f"{name}: cannot read ({e.strerror or e})") from None


def _is_a_directory(name: str) -> InputNotFound:
    return InputNotFound(f"{name} is a directory; use `summarize batch {name} -o OUT` for folders")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_limited(stream: BinaryIO | io.BufferedReader, max_chars: int, name: str) -> bytes:
    """At most 4 x MAX_CHARS bytes of STREAM, read in pieces (a huge --max-chars must not
    allocate its whole budget up front)."""
    limit = max_chars * BYTES_PER_CHAR
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise InputTooLarge(
            f"{name} is over the limit of {max_chars:,} characters; "
            "split it, or raise the limit with --max-chars"
        )
    return b"".join(chunks)


def article_from_bytes(data: bytes, source: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Decode DATA and, when it is an HTML page, reduce it to its article text."""
    if not data.strip():
        raise EmptyInput(f"{source} is empty")
    text, encoding = decode_bytes(data, source)
    return article_from_text(text, source, encoding=encoding, max_chars=max_chars)


def article_from_text(
    text: str, source: str, *, encoding: str = "utf-8", max_chars: int = DEFAULT_MAX_CHARS
) -> Article:
    """An Article from already-decoded text (a file's, or a JSON Lines record's)."""
    if not text.strip():
        raise EmptyInput(f"{source} has only whitespace" if text else f"{source} is empty")
    kind, title, published = "text", None, None
    if Path(source).suffix.lower() in _HTML_SUFFIXES or looks_like_html(text):
        text, title, published = _extract_html(text, source)
        kind = "html"
    else:
        published = find_dateline(text)
    if len(text) > max_chars:
        raise InputTooLarge(
            f"{source} has {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it, or raise the limit with --max-chars"
        )
    return Article(
        text=text, source=source, encoding=encoding, kind=kind, title=title, published=published
    )


def decode_bytes(data: bytes, source: str = "input") -> tuple[str, str]:
    """Decode text in any common encoding; return (text, encoding name).

    A BOM wins; then strict UTF-8; then charset-normalizer (Windows-1256, ISO-8859-6, …).
    Binary data (NUL bytes outside UTF-16/32, or no plausible encoding) is refused.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise UndecodableInput(
                    f"{source}: has a {name} BOM but is not valid {name}"
                ) from None
    utf8_error = ""
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            utf8_error = f"not valid UTF-8 (bad byte at offset {e.start}) and "
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableInput(
            f"{source}: {utf8_error}not text in any encoding we recognise (binary data?); "
            "save it as UTF-8 and try again"
        )
    text = str(best)
    if "\x00" in text or _control_ratio(text) > 0.05:
        raise UndecodableInput(f"{source}: looks like binary data, not text")
    return text, best.encoding


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / len(text)


# What a saved page may start with before its first tag: comments (browsers write
# ``<!-- saved from url=(0042)https://… -->``), an XML declaration, a doctype, whitespace.
_PAGE_PREAMBLE = re.compile(r"(?:\s+|<!--.*?-->|<\?xml[^>]*>|<!doctype[^>]*>)*", re.I | re.S)
_PAGE_START = ("<html", "<head", "<body", "<meta")


def looks_like_html(text: str) -> bool:
    """Whether TEXT is a web page, whatever its file name: it starts (after comments, an XML
    declaration or a doctype) with a page tag, or has a <body> early on."""
    head = text[:65_536].lstrip("\ufeff")
    preamble = _PAGE_PREAMBLE.match(head)
    rest = head[preamble.end() if preamble else 0 :].lower()
    if rest.startswith(_PAGE_START) or "<!doctype html" in head[:1024].lower():
        return True
    return "<body" in rest[:16_384] and "</" in rest[:16_384]


def _extract_html(html: str, source: str) -> tuple[str, str | None, str | None]:
    """The article text, title and publication date of a saved news page, without menus,
    scripts and boilerplate. Each block of the page (a ``<p>``, a heading, a list item) is a
    paragraph of the text, separated from the next by a blank line."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        # A page that is almost all article (no template) can be rejected by the
        # precision filter; fall back to recall before giving up.
        text = trafilatura.extract(html, include_comments=False, favor_recall=True)
    if not text or not text.strip():
        raise EmptyInput(f"{source}: no article text found in this HTML page")
    # trafilatura writes one block per line; a blank line between keeps <p> boundaries.
    text = "\n\n".join(line for line in text.split("\n") if line.strip())
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else None
    return text, title, _page_date(html) or _page_dateline(html, text)


def _page_date(html: str) -> str | None:
    """The publication date the page declares in its markup (meta tags, JSON-LD, <time>).

    No guessing from copyright lines or the text: htmldate's extensive search can turn
    «© 2013» into 2013-01-01, which is worse than the dateline.
    """
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate on a malformed page: no date, not a failed article
        return None
    return str(found) if found else None


def _page_dateline(html: str, text: str) -> str | None:
    """The dateline of a saved page: a date line shortly before the article's first paragraph.

    Extraction drops it with the rest of the page template, so it is read from the page's
    own text, nearest the article first.
    """
    from trafilatura.utils import load_html

    root = load_html(html)
    if root is None:
        return None
    for element in root.iter("script", "style", "noscript"):
        element.text = ""
    lines = [" ".join(node.split()) for node in root.itertext()]  # one line per text node
    lines = [line for line in lines if line]
    opening = " ".join(text.split("\n", 1)[0].split())[:40]
    end = next((i for i, line in enumerate(lines) if opening and opening in line), len(lines))
    for line in reversed(lines[max(0, end - 15) : end]):
        if furniture_rule(line) == "date-line":
            found = parse_date(line)
            if found:
                return found
    return None


#: an article, its text, or the path of its file (read as :func:`read_article` reads it)
ArticleLike = Article | str | PathLike[str]


def as_article(article: ArticleLike, source: str = "-") -> Article:
    """ARTICLE as an :class:`Article`: a str is its text (SOURCE names it), a path its file."""
    if isinstance(article, Article):
        return article
    if isinstance(article, PathLike):  # a str is the text itself; a Path names a file
        return read_article(fspath(article))
    if not isinstance(article, str):
        raise TypeError(
            f"an article is an Article, its text (str) or its file's path (pathlib.Path), "
            f"not {type(article).__name__}"
        )
    return article_from_text(article, source, max_chars=max(DEFAULT_MAX_CHARS, len(article)))
