"""JSON Lines in and out: one result line per input line, same id, in order, flushed as it goes.

A line that cannot be parsed or processed becomes an error line for its id (or its line
number) and the stream goes on; the exit code then says that some lines failed. With a gate
(``--strict``), a result the gate refuses keeps its fields and gains the gate's ``error`` and
``exit_code``; the stream goes on, and the exit code is the gate's unless a line failed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict, is_dataclass
from typing import Any, BinaryIO, NamedTuple, TextIO

from summarize.articles import DEFAULT_MAX_CHARS, Article, article_from_text
from summarize.errors import (
    BatchIncomplete,
    ChecksFailed,
    InputNotFound,
    SummarizeError,
    UndecodableInput,
)
from summarize.guarded import NotRegularFile, Unparsable, open_regular, parse_json
from summarize.render.json import json_line

Handler = Callable[[Article], Any]
#: Judges a handler's result: the error its line gets (``--strict``: failed checks), or None.
Gate = Callable[[Any], SummarizeError | None]


class LineTooLong(str):
    """Stands in for a line longer than the reader's limit (its text was not kept)."""

    length: int = 0


# A line the reader decoded with surrogateescape holds its undecodable bytes as U+DC80..U+DCFF.
_BAD_BYTE = re.compile("[\udc80-\udcff]")


def iter_records(lines: Iterable[str]) -> Iterator[tuple[Any, str | None, str | None, int]]:
    """Yield (id, text, error, exit code of the error) for each non-blank line: the
    ``{"id", "text"}`` records of :func:`iter_objects`."""
    for raw in iter_objects(lines):
        if raw.record is None:
            yield raw.id, None, raw.error, raw.exit_code
            continue
        text = raw.record.get("text")
        if not isinstance(text, str):
            yield raw.id, None, f'line {raw.line}: "text" must be a string', 2
            continue
        yield raw.id, text, None, 0


class RawRecord(NamedTuple):
    """One non-blank line of JSON Lines: its object, or the error that stands for it."""

    id: Any  # the record's "id", or the line number
    record: dict[str, Any] | None
    error: str | None
    exit_code: int
    line: int


def iter_objects(lines: Iterable[str]) -> Iterator[RawRecord]:
    """A :class:`RawRecord` for each non-blank line; the id falls back to the line number; a
    malformed record is a usage error (2), invalid UTF-8 exit 5.

    A line is an error, never the end of the stream, whatever it holds: invalid UTF-8 (from
    :func:`read_lines`), a number of 5,000 digits, 100,000 nested arrays, or too many bytes.
    A UTF-8 byte-order mark before the first line is skipped.
    """
    for number, line in enumerate(lines, start=1):
        if isinstance(line, LineTooLong):
            yield RawRecord(
                number,
                None,
                f"line {number}: longer than {line.length:,} characters; split it",
                2,
                number,
            )
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        bad = _BAD_BYTE.search(line)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            why = f"not valid UTF-8 (byte 0x{byte:02x} at character {bad.start() + 1})"
            yield RawRecord(
                number,
                None,
                f"line {number}: {why}; save it as UTF-8",
                UndecodableInput.exit_code,
                number,
            )
            continue
        try:
            record = parse_json(line)  # 5,000 digits, nesting deeper than Python's stack
        except Unparsable as e:
            yield RawRecord(number, None, f"line {number}: {e.reason}", 2, number)
            continue
        if not isinstance(record, dict):
            yield RawRecord(
                number,
                None,
                f'line {number}: expected an object like {{"id": …, "text": …}}',
                2,
                number,
            )
            continue
        rid = record.get("id", number)
        if not isinstance(rid, (str, int, float)) or isinstance(rid, bool):
            rid = number
        elif isinstance(rid, float) and not math.isfinite(rid):
            rid = number  # NaN and Infinity parse in Python but are not JSON; never echo them
        yield RawRecord(rid, record, None, 0, number)


def to_payload(value: Any) -> dict[str, Any]:
    """A handler's result as a JSON object."""
    if hasattr(value, "to_dict"):
        return dict(value.to_dict())
    if isinstance(value, list):
        items: list[Any] = value
        return {"sentences": [{"paragraph": s.paragraph, "text": s.text} for s in items]}
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return {"result": value}


def read_lines(stream: BinaryIO, limit: int) -> Generator[str, None, None]:
    """The lines of a byte STREAM as text, for iter_records: UTF-8 with universal newlines,
    undecodable bytes kept as surrogates (so that each bad line is reported, not replaced with
    U+FFFD), and a line over LIMIT characters read past without being kept."""
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline=None)
    try:
        while True:
            line = text.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith("\n"):
                while line and not line.endswith("\n"):
                    line = text.readline(1 << 20)
                too_long = LineTooLong("x")
                too_long.length = limit
                yield too_long
                continue
            yield line
    finally:
        with contextlib.suppress(ValueError):  # already closed by its owner
            text.detach()  # the caller's stream (stdin) stays open


def process_stream(
    lines: Iterable[str],
    handler: Handler,
    out: TextIO,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    gate: Gate | None = None,
) -> tuple[int, int]:
    """Run HANDLER on every record; write one line each; return (ok, failed). A result GATE
    refuses is still ok: its line keeps the result and gains the gate's error."""
    ok = failed = 0
    for rid, text, error, code in iter_records(lines):
        payload: dict[str, Any] = {}
        if error is None and text is not None:
            try:
                article = article_from_text(text, str(rid), max_chars=max_chars)
                value = handler(article)
                payload = {"id": rid, **to_payload(value)}
                ok += 1
            except SummarizeError as e:
                error, code = str(e), e.exit_code
            else:
                verdict = gate(value) if gate is not None else None
                if verdict is not None:
                    payload |= {"error": str(verdict), "exit_code": verdict.exit_code}
        if error is not None:
            failed += 1
            payload = {"id": rid, "error": error, "exit_code": code}
        out.write(json_line(payload))
        out.flush()
    return ok, failed


def line_limit(max_chars: int) -> int:
    """The longest line worth parsing: an article of MAX_CHARS characters, each written as a
    JSON escape (six characters), and room for the id and the braces."""
    return 6 * max_chars + 65_536


@contextlib.contextmanager
def json_lines(path: str | None, max_chars: int) -> Iterator[Iterator[str]]:
    """The lines of the JSON Lines file PATH (``-`` or None: stdin), each within the limit.

    A file is opened without blocking and must be a regular file: a folder, a FIFO or a
    device is one clear error (stdin takes a stream), never a wait or "no such file"."""
    limit = line_limit(max_chars)
    if path in (None, "-"):
        with contextlib.closing(read_lines(sys.stdin.buffer, limit)) as lines:
            yield lines
        return
    try:
        fd = open_regular(str(path))
    except FileNotFoundError:
        raise InputNotFound(f"{path}: no such file") from None
    except NotRegularFile as e:
        hint = (
            "; `summarize batch DIR -o OUT` takes folders"
            if e.errno == errno.EISDIR
            else "; pipe a stream to stdin instead (… | summarize COMMAND --input jsonl -)"
        )
        raise InputNotFound(f"{path} {e.strerror}{hint}") from None
    except OSError as e:
        raise InputNotFound(f"{path}: cannot be read ({e.strerror or e})") from None
    with open(fd, "rb") as f, contextlib.closing(read_lines(f, limit)) as lines:
        yield lines


def run_jsonl(
    path: str | None,
    handler: Handler,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    gate: Gate | None = None,
) -> None:
    """Read JSON Lines from PATH (or stdin), write results to stdout; raise if any failed
    (BatchIncomplete), else if GATE refused any (ChecksFailed)."""
    refused: list[SummarizeError] = []

    def counted(value: Any) -> SummarizeError | None:
        verdict = gate(value) if gate is not None else None
        if verdict is not None:
            refused.append(verdict)
        return verdict

    with json_lines(path, max_chars) as lines:
        ok, failed = process_stream(lines, handler, sys.stdout, max_chars=max_chars, gate=counted)
    if failed:
        raise BatchIncomplete(
            f'{failed} of {ok + failed} JSON Lines records failed; see their "error" lines'
        )
    if refused:
        raise ChecksFailed(
            f"{len(refused)} of {ok} JSON Lines records failed their checks (--strict); "
            'see their "error" lines'
        )
