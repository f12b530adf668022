"""The segments file of ``summarize eval --segments``: one JSON line per scored segment, the
log a long evaluation resumes from (see :mod:`summarize.evaluation.runner`)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarize.errors import OutputError
from summarize.fileio import write_all, write_error
from summarize.guarded import (
    NotRegularFile,
    TooLarge,
    Unparsable,
    open_regular,
    parse_json,
    read_open,
)

__all__ = ["SegmentsLog"]

# The fields every line of a segments file has; a line without them is not ours.
_RECORD_KEYS = ("id", "system", "fingerprint", "source", "reference", "hypothesis", "scores")
# A segments file of 8,000 articles with their summaries is well under 1 GiB.
MAX_SEGMENTS_BYTES = 1 << 32


class SegmentsLog:
    """The per-segment results file: read once to index what is done, then appended to.

    It is opened once, without blocking, and must be a regular file (a FIFO is refused, never
    waited on); it is read through the bounded reader. It is only ever changed when it is a
    segments file: every whole line must be one of ours, and a last line without its newline
    is cut off only when it is a line of ours cut short (a kill, a full disk). Anything else
    (the references file, a note) is refused and left exactly as it was. Each group of
    results is appended in one write and fsynced: a resume starts from whole groups.
    """

    def __init__(self, path: Path, done: dict[tuple[str, str, str], dict[str, Any]], fd: int):
        self.path = path
        self._done = done
        self._fd = fd

    @classmethod
    def open(cls, path: str | Path) -> SegmentsLog:
        """Index PATH (created if missing), drop a line of ours cut short, open it to append."""
        p = Path(path)
        try:
            fd = open_regular(p, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        except NotRegularFile as e:
            raise OutputError(f"{p} {e.strerror}; give --segments a file") from None
        except OSError as e:
            raise OutputError(f"{p}: cannot be written ({e.strerror or e})") from None
        try:
            done = cls._index(p, fd)
        except BaseException:
            os.close(fd)
            raise
        return cls(p, done, fd)

    @staticmethod
    def _index(p: Path, fd: int) -> dict[tuple[str, str, str], dict[str, Any]]:
        done: dict[tuple[str, str, str], dict[str, Any]] = {}
        try:
            data = read_open(fd, MAX_SEGMENTS_BYTES)
        except TooLarge:
            raise OutputError(
                f"{p} is over {MAX_SEGMENTS_BYTES >> 30} GiB; is it a segments file? give "
                "another --segments file"
            ) from None
        except OSError as e:
            raise OutputError(f"{p}: cannot be read ({e.strerror or e})") from None
        lines = data.split(b"\n")
        tail = lines.pop()  # b"" when the file ends with a newline
        whole = 0
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            record = _parse_record(raw)
            if record is None:
                raise OutputError(
                    f"{p} line {number} is not a line of `summarize eval --segments`; "
                    "give another --segments file, or remove this one"
                )
            done[_key(record["system"], record["fingerprint"], record["id"])] = record
            whole += 1
        last = _parse_record(tail) if tail.strip() else None
        try:
            if last is not None:  # complete, only its newline is missing
                done[_key(last["system"], last["fingerprint"], last["id"])] = last
                write_all(fd, b"\n")
            elif tail.strip():
                if not _cut_short(tail, after_records=whole > 0):
                    raise OutputError(
                        f"{p} line {len(lines) + 1} is not a line of `summarize eval "
                        "--segments`; the file was left as it is: give another --segments file"
                    )
                os.ftruncate(fd, len(data) - len(tail))  # start over from the last whole line
        except OSError as e:
            raise write_error(str(p), e) from None
        return done

    def lookup(self, system: str, fingerprint: str, segment_id: str | int) -> dict[str, Any] | None:
        return self._done.get(_key(system, fingerprint, segment_id))

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Append RECORDS (SegmentResult.to_dict()), one line each, in one write, durably."""
        text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        try:
            size = os.fstat(self._fd).st_size
            try:
                write_all(self._fd, text.encode("utf-8"))
                os.fsync(self._fd)
            except OSError:
                os.ftruncate(self._fd, size)  # a full disk cut it: never half a group
                raise
        except OSError as e:
            raise write_error(str(self.path), e) from None
        for record in records:
            self._done[_key(record["system"], record["fingerprint"], record["id"])] = record

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


# A line of ours, cut short after its id: ``{"id": 12, "system": "…`` (to_dict's order).
_OURS_CUT_SHORT = re.compile(rb'\{"id": (?:-?[0-9]+|"(?:[^"\\]|\\.)*"), "system": "')


def _cut_short(tail: bytes, *, after_records: bool) -> bool:
    """Whether TAIL, a last line without its newline, is a line of ours cut short: it names a
    system right after its id, or it starts like one of ours after whole lines of ours. A
    references file (``{"id": 1, "ar": …``) or a note is neither."""
    if _OURS_CUT_SHORT.match(tail):
        return True
    return after_records and (tail.startswith(b'{"id": ') or b'{"id": '.startswith(tail))


def _key(system: str, fingerprint: str, segment_id: object) -> tuple[str, str, str]:
    return system, fingerprint, json.dumps(segment_id)


def _parse_record(raw: bytes) -> dict[str, Any] | None:
    try:
        record = parse_json(raw)  # deep nesting, a 5,000-digit id: not ours, never a crash
    except Unparsable:
        return None
    if not isinstance(record, dict) or any(k not in record for k in _RECORD_KEYS):
        return None
    if not all(isinstance(record[k], str) for k in _RECORD_KEYS[1:6]):
        return None
    return record
