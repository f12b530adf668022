"""A batch's records of its work: the manifest record of each outcome (with its output
written), and which earlier outputs a record proves are its own (to skip them, or to remove
them when their input now fails)."""

from __future__ import annotations

from summarize.batch.manifest import Record, now_utc, sha256_text
from summarize.batch.outputs import intact, output_name
from summarize.batch.work import Outcome
from summarize.errors import OutputError, StorageFull
from summarize.fileio import Folder

__all__ = ["is_done", "make_record", "own_output"]


def make_record(
    fmt: str, outcome: Outcome, key: str, folder: Folder, previous: Record | None
) -> Record:
    """Write OUTCOME's output (when it has one) and make its manifest record.

    A file that fails has no output: an output an earlier run made for it is removed (it
    was made from other bytes or other settings), and the record says so. So the folder
    never shows an old result beside a ``failed`` record.
    """
    failed = Record(
        outcome.rel,
        outcome.sha256,
        "failed",
        encoding=outcome.encoding,
        error=outcome.error,
        settings=key,
        finished=now_utc(),
    )
    target = None
    if outcome.status == "ok" and outcome.text is not None:
        try:
            target = output_name(outcome.rel, fmt)
            folder.write(target, outcome.text)
        except StorageFull:
            raise  # a full disk fails every later file too: stop here (exit 10)
        except OutputError as e:
            failed.error = str(e)
            target = None
    if target is None or outcome.text is None:
        stale = own_output(previous, folder) if previous is not None else None
        if stale and _remove(folder, stale):
            failed.error = f"{failed.error or 'failed'}; its earlier output {stale} was removed"
        return failed
    return Record(
        path=outcome.rel,
        sha256=outcome.sha256,
        status="ok",
        output=target,
        output_sha256=sha256_text(outcome.text),
        encoding=outcome.encoding,
        warnings=outcome.warnings,
        seconds=outcome.seconds,
        settings=key,
        title_ar=outcome.title_ar,
        title_en=outcome.title_en,
        summary_en=outcome.summary_en,
        finished=now_utc(),
    )


def own_output(record: Record, folder: Folder) -> str | None:
    """RECORD's output when the record proves it is its own (see :func:`intact`)."""
    return record.output if intact(record, folder) else None


def _remove(folder: Folder, rel: str) -> bool:
    try:
        return folder.unlink(rel)
    except OutputError:
        return False


def is_done(previous: Record, key: str, folder: Folder, fmt: str) -> bool:
    """Whether PREVIOUS finished with these settings and its output, at the name this input's
    output has, is still intact."""
    if previous.status != "ok" or previous.settings != key:
        return False
    try:
        expected = output_name(previous.path, fmt)
    except OutputError:
        return False
    return previous.output == expected and own_output(previous, folder) == expected
