"""manifest.jsonl: one record per input, what makes a batch resumable and auditable."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from summarize.fileio import Folder
from summarize.render.json import json_line

__all__ = ["Manifest", "Record", "Status", "now_utc", "parse_records", "sha256_text"]

Status = Literal["ok", "failed"]
STATUSES = frozenset(get_args(Status))


@dataclass
class Record:
    """One manifest line. ``status`` and ``finished`` are those of the run that produced the
    output; ``reused`` says that a later run found it done and kept it."""

    path: str
    sha256: str
    status: Status
    output: str | None = None
    output_sha256: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    settings: str = ""
    title_ar: str | None = None
    title_en: str | None = None
    summary_en: str | None = None
    finished: str | None = None  # when the output was written (UTC, ISO 8601); None before 0.2
    reused: bool = False

    @classmethod
    def from_json(cls, data: Any) -> Record | None:
        """The record in DATA (a parsed line), or None when it is not one: a line of another
        shape, edited by hand or cut short by a kill is never trusted, only redone. Older
        shapes load: before ``reused`` existed, a reused output was status ``skipped``."""
        if not isinstance(data, dict):
            return None
        if data.get("status") == "skipped":
            data = {**data, "status": "ok", "reused": True}
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        try:
            record = cls(**values)
        except TypeError:  # a required field is missing
            return None
        return record if record._well_formed() else None

    def _well_formed(self) -> bool:
        def text(v: object) -> bool:
            return isinstance(v, str)

        def maybe(v: object) -> bool:
            return v is None or isinstance(v, str)

        return (
            text(self.path)
            and bool(self.path)
            and text(self.sha256)
            and self.status in STATUSES
            and all(maybe(v) for v in (self.output, self.output_sha256, self.encoding))
            and all(maybe(v) for v in (self.error, self.title_ar, self.title_en, self.summary_en))
            and isinstance(self.warnings, list)
            and all(text(w) for w in self.warnings)
            and isinstance(self.seconds, (int, float))
            and not isinstance(self.seconds, bool)
            and math.isfinite(self.seconds)
            and text(self.settings)
            and maybe(self.finished)
            and isinstance(self.reused, bool)
        )


def now_utc() -> str:
    """The time now, as the manifest writes it: 2026-11-25T12:45:24Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_records(text: str) -> dict[str, Record]:
    """The well-formed records of manifest TEXT by path; the last line of a path wins."""
    records: dict[str, Record] = {}
    for line in text.split("\n"):  # not splitlines(): U+2028 in a name is not a line break
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):  # cut short by a kill, or garbage
            continue
        record = Record.from_json(data)
        if record is not None:
            records[record.path] = record
    return records


def _line(record: Record) -> str:
    return json_line(asdict(record))


class Manifest:
    """manifest.jsonl: appended and fsynced per file while running, compacted at the end.

    Read and written only through FOLDER (no link inside the output folder is followed): a
    manifest that is a link, a folder or a FIFO stops the run with an OutputError before
    anything is written. A line that is not a well-formed record is ignored, so its input is
    simply redone.
    """

    def __init__(self, folder: Folder, name: str) -> None:
        self.folder = folder
        self.name = name
        self.path = folder.path / name
        raw = folder.read(name)
        text = raw.decode("utf-8", errors="replace") if raw is not None else ""
        # A run killed mid-line leaves no final newline; the next line must not join it.
        self._cut_short = bool(text) and not text.endswith("\n")
        self.records = parse_records(text)

    def append(self, record: Record) -> None:
        self.records[record.path] = record
        line = _line(record)
        if self._cut_short:
            line, self._cut_short = "\n" + line, False
        self.folder.append(self.name, line)

    def compact(self, keep: Iterable[str]) -> None:
        """Rewrite with one line per path of KEEP that has a record, in path order.

        Atomic (a temp file renamed): if it cannot be written, the appended manifest stays as
        it is, every finished file still recorded.
        """
        lines = [_line(self.records[p]) for p in sorted(set(keep)) if p in self.records]
        self.folder.write(self.name, "".join(lines))
