"""Reading reference sets: what a system is scored against.

Two layouts, as users already keep them:

- JSON Lines, one object a line: ``{"id", "ar", "en"}`` for translation and
  ``{"id", "text", "summary"}`` for summaries. Other fields (an attribution, a URL) are
  ignored. Blank lines are skipped: a record carries its own id, so nothing shifts.
- For translation, two aligned plain-text files, one segment a line (FLORES, WMT and
  sacrebleu's own layout). The line number is the id. A blank line is an error here, since it
  would be scored as a segment; trailing whitespace is dropped, as the ``sacrebleu`` command does.

Every file must be UTF-8; a UTF-8 byte-order mark at the very start is dropped. Problems are
collected over the whole file and reported together, each with its file and line, so that one
run shows everything to fix.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from summarize.errors import (
    EXIT_USAGE,
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    SummarizeError,
    UndecodableInput,
)
from summarize.guarded import NotRegularFile, TooLarge, Unparsable, parse_json, read_regular
from summarize.tasks import Task

__all__ = [
    "FIELDS",
    "InvalidReferences",
    "Segment",
    "SegmentId",
    "EVAL_NAMES",
    "read_jsonl",
    "read_parallel",
    "read_references",
]

SegmentId = str | int

#: What eval calls each task (its commands, the JSON's ``task``, the segments' fingerprints):
#: ``eval summarize`` scores the summarizer of the brief task.
EVAL_NAMES: dict[Task, str] = {Task.translate: "translate", Task.brief: "summarize"}
# The JSON Lines fields of each task: (source, reference).
FIELDS: dict[Task, tuple[str, str]] = {
    Task.translate: ("ar", "en"),
    Task.brief: ("text", "summary"),
}
# A reference set is read whole: XL-Sum's Arabic test set is about 25 MB.
MAX_REFERENCES_BYTES = 1 << 29
# How many problems one message lists before it says "and N more".
_MAX_SHOWN = 5
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class InvalidReferences(SummarizeError):
    """A reference file breaks its format: a missing or non-string field, a duplicate id, files
    of different lengths. A usage error: the message names the file and the lines to fix."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Segment:
    """One unit to score: the system reads ``source`` and is compared with ``reference``."""

    id: SegmentId
    source: str
    reference: str


def scored_task(task: Task | str) -> Task:
    """TASK as a Task: the API also takes eval's names, "translate" and "summarize"."""
    if isinstance(task, Task):
        return task
    named = {name: t for t, name in EVAL_NAMES.items()}
    return named[task] if task in named else Task.of(task)


def read_references(
    task: Task | str,
    refs: str | Path | None = None,
    *,
    source: str | Path | None = None,
    reference: str | Path | None = None,
    limit: int | None = None,
) -> list[Segment]:
    """The segments of REFS (JSON Lines), or of the aligned files SOURCE and REFERENCE.

    LIMIT keeps the first N segments; the whole input is still checked, so a quick look never
    hides a misaligned file.
    """
    if limit is not None and limit < 1:
        raise InvalidReferences(f"--limit must be at least 1, not {limit}")
    if refs is not None and (source is not None or reference is not None):
        raise InvalidReferences(
            "give either a JSON Lines file or --source and --reference, not both"
        )
    if refs is not None:
        segments = read_jsonl(refs, task)
    elif source is not None and reference is not None:
        if scored_task(task) is not Task.translate:
            raise InvalidReferences(
                "--source/--reference are for translation; summaries need a JSON Lines file "
                'of {"id", "text", "summary"} objects'
            )
        segments = read_parallel(source, reference)
    else:
        raise InvalidReferences(
            "no references: give a JSON Lines file, or both --source and --reference"
        )
    return segments[:limit] if limit is not None else segments


def read_jsonl(path: str | Path, task: Task | str) -> list[Segment]:
    """The segments of a JSON Lines reference file for TASK."""
    task = scored_task(task)
    src_field, ref_field = FIELDS[task]
    name = str(path)
    problems: list[str] = []
    segments: list[Segment] = []
    first_seen: dict[SegmentId, int] = {}
    for number, line in _lines(path, problems):
        if not line.strip():
            continue
        record = _parse_object(line, number, problems)
        if record is None:
            continue
        rid = record.get("id")
        fields = {f: record.get(f) for f in (src_field, ref_field)}
        missing = [f for f in ("id", src_field, ref_field) if f not in record]
        if missing:
            problems.append(f"line {number}: missing {_join(missing)}")
            continue
        if not _valid_id(rid):
            problems.append(f'line {number}: "id" must be a string or an integer, not {_kind(rid)}')
            continue
        bad = [f for f, v in fields.items() if not isinstance(v, str)]
        if bad:
            problems.append(
                f"line {number}: "
                + "; ".join(f'"{f}" must be a string, not {_kind(fields[f])}' for f in bad)
            )
            continue
        empty = [f for f, v in fields.items() if isinstance(v, str) and not v.strip()]
        if empty:
            problems.append(f"line {number}: {_join(empty)} empty")
            continue
        if rid in first_seen:
            problems.append(f"line {number}: id {rid!r} already used on line {first_seen[rid]}")
            continue
        first_seen[rid] = number
        segments.append(Segment(rid, str(fields[src_field]), str(fields[ref_field])))
    _raise_problems(name, problems)
    if not segments:
        raise EmptyInput(f"{name}: no segments (expected lines like {_example(task)})")
    return segments


def read_parallel(source: str | Path, reference: str | Path) -> list[Segment]:
    """Aligned plain-text files: line N of SOURCE is translated and compared with line N of
    REFERENCE. The ids are the line numbers, from 1."""
    problems: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    for path in (source, reference):
        name = str(path)
        found: list[str] = []
        lines = []
        for number, line in _lines(path, found):
            line = line.rstrip()
            if not line:
                found.append(f"line {number}: blank (every line is a segment)")
            lines.append(line)
        problems[name], texts[name] = found, lines
    for name, found in problems.items():
        _raise_problems(name, found)
    src, ref = texts[str(source)], texts[str(reference)]
    if len(src) != len(ref):
        raise InvalidReferences(
            f"{source} has {len(src)} lines but {reference} has {len(ref)}: the files must be "
            "aligned line by line"
        )
    if not src:
        raise EmptyInput(f"{source}: no segments (one source sentence a line)")
    return [Segment(n, s, r) for n, (s, r) in enumerate(zip(src, ref, strict=True), start=1)]


def _lines(path: str | Path, problems: list[str]) -> list[tuple[int, str]]:
    """(number, text) for each line of PATH; lines that are not UTF-8 become problems."""
    name = str(path)
    try:
        data = read_regular(Path(path), MAX_REFERENCES_BYTES)
    except FileNotFoundError:
        raise InputNotFound(f"{name}: no such file") from None
    except NotRegularFile as e:  # a folder; a FIFO or /dev/zero would hang or fill memory
        raise InputNotFound(f"{name}: {e.strerror}") from None
    except TooLarge:
        raise InputTooLarge(
            f"{name}: over {MAX_REFERENCES_BYTES >> 20} MiB; split the reference set"
        ) from None
    except OSError as e:
        raise InputNotFound(f"{name}: cannot be read ({e.strerror})") from None
    if data.startswith(_UTF32_BOMS) or data.startswith(_UTF16_BOMS):
        width = "32" if data.startswith(_UTF32_BOMS) else "16"
        raise UndecodableInput(
            f"{name}: is UTF-{width} (it starts with a UTF-{width} byte-order mark); "
            "save it as UTF-8"
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    out: list[tuple[int, str]] = []
    undecodable: list[str] = []
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()  # the newline that ends the last line
    for number, raw in enumerate(raw_lines, start=1):
        raw = raw.removesuffix(b"\r")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            undecodable.append(f"line {number}: not valid UTF-8 (byte {e.start + 1})")
            continue
        if text.startswith("\ufeff"):
            problems.append(
                f"line {number}: starts with a byte-order mark (were files concatenated?)"
            )
            continue
        out.append((number, text))
    if undecodable:
        # Reported on its own: a file in another encoding fails on most of its lines.
        raise UndecodableInput(_message(name, undecodable) + "; save the file as UTF-8")
    return out


def _parse_object(line: str, number: int, problems: list[str]) -> dict[str, Any] | None:
    try:
        record = parse_json(line)  # deep nesting, a 5,000-digit id: a problem of the line
    except Unparsable as e:
        problems.append(f"line {number}: {e.reason}")
        return None
    if not isinstance(record, dict):
        problems.append(f"line {number}: expected a JSON object, not {_kind(record)}")
        return None
    return record


def _valid_id(value: object) -> TypeGuard[SegmentId]:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int)


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "a string" if value.strip() else "a blank string"
    return {
        type(None): "null",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _join(fields: Sequence[str]) -> str:
    quoted = [f'"{f}"' for f in fields]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _example(task: Task) -> str:
    src, ref = FIELDS[task]
    return f'{{"id": "1", "{src}": "…", "{ref}": "…"}}'


def _message(name: str, problems: Sequence[str]) -> str:
    shown = "; ".join(problems[:_MAX_SHOWN])
    more = len(problems) - _MAX_SHOWN
    count = f"{len(problems)} problems: " if len(problems) > 1 else ""
    return f"{name}: {count}{shown}" + (f"; and {more} more" if more > 0 else "")


def _raise_problems(name: str, problems: Sequence[str]) -> None:
    if problems:
        raise InvalidReferences(_message(name, problems))
