"""`summarize check`: the trust checks of translations and summaries made by anything.

Records in, one result per record out, in order: ``{"id", "ar", "en"}`` gets the translation
checks (:func:`summarize.pipeline.checking.check_translation_record`, the checks every sentence
of ``translate`` gets), ``{"id", "text", "summary"}`` the source checks of each summary line
against its Arabic article (:func:`~summarize.pipeline.checking.check_summary_record`). Aligned
plain-text files (``--source/--reference``, as ``summarize eval`` reads them) are translations.

A record that cannot be checked (not JSON, neither pair of fields, an article with no Arabic)
becomes an error result for its id or line, as ``--input jsonl`` does, and the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarize.articles import DEFAULT_MAX_CHARS
from summarize.errors import SummarizeError
from summarize.evaluation.references import SegmentId, read_parallel
from summarize.pipeline.checking import (
    RecordCheck,
    check_summary_record,
    check_translation_record,
)
from summarize.streams import RawRecord, iter_objects, json_lines
from summarize.trust import CHECK_KINDS

__all__ = ["Audited", "FlagRate", "audit", "audit_parallel", "audit_records", "flag_rates"]

_TRANSLATION = ("ar", "en")
_SUMMARY = ("text", "summary")


@dataclass
class Audited:
    """The result for one record: its checks, or the error that kept it from being checked.
    JSON: ``{"id", "checks": [{"kind", "value"}, ...]}`` (a summary's checks also carry their
    ``"line"``), or ``{"id", "error", "exit_code"}``."""

    id: SegmentId
    task: str  # "translation", "summary", or "" for an error
    checks: list[RecordCheck] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0

    def to_dict(self) -> dict[str, Any]:
        if self.error is not None:
            return {"id": self.id, "error": self.error, "exit_code": self.exit_code}
        return {"id": self.id, "checks": [c.to_dict() for c in self.checks]}


def _check(raw: RawRecord, max_chars: int) -> Audited:
    if raw.record is None:
        return Audited(raw.id, "", error=raw.error, exit_code=raw.exit_code)
    record = raw.record
    for task, fields in (("translation", _TRANSLATION), ("summary", _SUMMARY)):
        if not all(f in record for f in fields):
            continue
        bad = [f for f in fields if not isinstance(record[f], str)]
        if bad:
            return Audited(
                raw.id, "", error=f'line {raw.line}: "{bad[0]}" must be a string', exit_code=2
            )
        try:
            if task == "translation":
                checks = check_translation_record(record["ar"], record["en"])
            else:
                source = f"line {raw.line}"
                checks = check_summary_record(
                    record["text"], record["summary"], source=source, max_chars=max_chars
                )
        except SummarizeError as e:
            return Audited(raw.id, "", error=str(e), exit_code=e.exit_code)
        return Audited(raw.id, task, checks)
    return Audited(
        raw.id,
        "",
        error=f'line {raw.line}: expected {{"id", "ar", "en"}} (a translation) or '
        '{"id", "text", "summary"} (a summary)',
        exit_code=2,
    )


def audit_records(lines: Iterable[str], *, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Audited]:
    """One result per non-blank JSON Lines record, in order."""
    for raw in iter_objects(lines):
        yield _check(raw, max_chars)


def audit_parallel(source: str | Path, reference: str | Path) -> Iterator[Audited]:
    """Aligned plain-text files: line N of SOURCE (Arabic) and of REFERENCE (its English),
    read as ``summarize eval`` reads them (a misaligned pair of files is one usage error)."""
    for segment in read_parallel(source, reference):
        checks = check_translation_record(segment.source, segment.reference)
        yield Audited(segment.id, "translation", checks)


def audit(
    path: str | None = None,
    *,
    source: str | None = None,
    reference: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Audited]:
    """The results for PATH (JSON Lines, ``-`` or None for stdin) or for SOURCE and REFERENCE."""
    from summarize.evaluation.references import InvalidReferences

    if source is not None or reference is not None:
        if path not in (None, "-") or source is None or reference is None:
            raise InvalidReferences(
                "give either a JSON Lines file or both --source and --reference, not both"
            )
        yield from audit_parallel(source, reference)
        return
    with json_lines(path, max_chars) as lines:
        yield from audit_records(lines, max_chars=max_chars)


@dataclass(frozen=True)
class FlagRate:
    """How many of the checked records of a task got at least one check of a kind."""

    task: str
    kind: str
    flagged: int
    checked: int


def flag_rates(results: Sequence[Audited]) -> list[FlagRate]:
    """Per task and per kind that occurred (and "any"), the records flagged."""
    out = []
    for task in ("translation", "summary"):
        done = [r for r in results if r.task == task]
        if not done:
            continue
        out.append(FlagRate(task, "any", sum(bool(r.checks) for r in done), len(done)))
        for kind in CHECK_KINDS:
            flagged = sum(any(c.kind == kind for c in r.checks) for r in done)
            if flagged:
                out.append(FlagRate(task, kind, flagged, len(done)))
    return out
