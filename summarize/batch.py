"""Batch mode: a folder of articles in, one output each out, resumable and nothing lost.

The output folder holds the outputs (mirroring the input tree), ``manifest.jsonl`` (one line
per input) and ``index.html``. Every file is written atomically (temp file, then rename), the
manifest is appended and fsynced line by line, and a lock keeps two runs from sharing a folder.
Rerunning the same command skips inputs already done with the same content and settings.
"""

from __future__ import annotations

import fnmatch
import hashlib
import html
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from summarize import __version__
from summarize.errors import (
    Busy,
    InputNotFound,
    Interrupted,
    OutputError,
    SummarizeError,
)
from summarize.pipeline import Engine, Result
from summarize.render import html_page, render
from summarize.sources import DEFAULT_MAX_CHARS, Article, article_from_bytes, read_file_bytes

Task = Literal["brief", "translate"]
DEFAULT_GLOBS = ("*.txt", "*.md", "*.html")
EXTENSIONS = {"markdown": ".md", "json": ".json", "html": ".html"}
GROUP_FILES = 16  # files whose sentences share model batches
GROUP_CHARS = 200_000
Status = Literal["ok", "skipped", "failed"]


@dataclass(frozen=True)
class Shard:
    """The K-th of N deterministic slices (1-based): every N-th input of the sorted list.

    Round-robin over sorted paths keeps slices within one file of each other in size; every
    shard must see the same folder (the usual case for a shared file system or a copy).
    """

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            k_text, n_text = text.split("/")
            k, n = int(k_text), int(n_text)
        except ValueError:
            raise ValueError(f"--shard takes K/N, like 1/4; got {text!r}") from None
        if not 1 <= k <= n:
            raise ValueError(f"--shard K/N needs 1 <= K <= N; got {text!r}")
        return cls(k, n)

    def select(self, paths: Sequence[str]) -> list[str]:
        return [p for i, p in enumerate(sorted(paths)) if i % self.n == self.k - 1]

    @property
    def suffix(self) -> str:
        return f".{self.k}-of-{self.n}"


@dataclass(frozen=True)
class BatchOptions:
    in_dir: Path
    out_dir: Path
    task: Task = "brief"
    fmt: str = "markdown"
    globs: tuple[str, ...] = DEFAULT_GLOBS
    shard: Shard | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    force: bool = False


@dataclass
class Record:
    """One manifest line."""

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


@dataclass
class BatchReport:
    total: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    manifest: Path | None = None
    index: Path | None = None
    failures: list[Record] = field(default_factory=list)


class BatchProgress:
    """What the CLI draws: called with (done, total, current relative path)."""

    def start(self, total: int) -> None: ...

    def advance(self, done: int, current: str | None) -> None: ...


def discover(in_dir: Path, globs: Sequence[str], exclude: Path | None = None) -> list[str]:
    """Relative POSIX paths of the inputs under IN_DIR, sorted; the output folder left out."""
    if not in_dir.is_dir():
        raise InputNotFound(f"{in_dir} is not a directory")
    root = in_dir.resolve()
    skip = exclude.resolve() if exclude is not None else None
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            found.append((here / name).relative_to(root).as_posix())
    return sorted(found)


def safe_output_path(out_dir: Path, rel: str, fmt: str) -> Path:
    """OUT_DIR/REL + extension, refused if it would land outside OUT_DIR (.., absolute, links)."""
    candidate = Path(rel + EXTENSIONS[fmt])
    if candidate.is_absolute() or ".." in candidate.parts:
        raise OutputError(f"{rel}: output path would escape {out_dir}")
    root = out_dir.resolve()
    target = (root / candidate).resolve()
    if root not in target.parents:
        raise OutputError(f"{rel}: output path resolves outside {out_dir} (a symlink?)")
    return target


def atomic_write(path: Path, data: str) -> None:
    """Write DATA to PATH via a temp file in the same folder and a rename: never half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            os.fchmod(f.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600: use the usual mode
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# atomic_write's temp files: mkstemp's ".NAME." + 8 random characters + ".tmp".
_TEMP_FILE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temp_files(targets: Sequence[Path]) -> int:
    """Remove the temp files a killed atomic_write left beside TARGETS; return how many.

    Call it only while holding the folder lock: a live writer's temp file looks the same.
    """
    wanted: dict[Path, set[str]] = {}
    for target in targets:
        wanted.setdefault(target.parent, set()).add(target.name)
    removed = 0
    for directory, names in wanted.items():
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            match = _TEMP_FILE.match(entry.name)
            if match and match["name"] in names and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed


def _output_paths(opts: BatchOptions, paths: Sequence[str]) -> list[Path]:
    targets = []
    for rel in paths:
        try:
            targets.append(safe_output_path(opts.out_dir, rel, opts.fmt))
        except OutputError:
            continue
    return targets


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_key(engine: Engine, opts: BatchOptions) -> str:
    """A hash of everything that changes an output: task, format, models and their settings."""
    specs = [engine.translator_spec] + ([engine.summarizer_spec] if opts.task == "brief" else [])
    data = {
        "version": __version__,
        "task": opts.task,
        "format": opts.fmt,
        "models": [
            [s.name, s.hub_id, s.revision, str(s.path), s.max_input_tokens, asdict(s.generation)]
            for s in specs
        ],
        "precision": engine.options.precision,
        "backend": engine.options.backend,
    }
    return sha256_text(json.dumps(data, sort_keys=True))[:16]


class Manifest:
    """manifest.jsonl: appended and fsynced per file while running, compacted at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[str, Record] = {}
        # A run killed mid-line leaves no final newline; the next line must not join it.
        self._cut_short = False
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace")
            self._cut_short = bool(text) and not text.endswith("\n")
            for line in text.splitlines():
                try:
                    data = json.loads(line)
                    record = Record(**data)
                except (json.JSONDecodeError, TypeError):
                    continue  # a line cut short by a kill: the file it names is simply redone
                self.records[record.path] = record

    def append(self, record: Record) -> None:
        self.records[record.path] = record
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        if self._cut_short:
            line, self._cut_short = "\n" + line, False
        try:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {e.strerror or e}") from None

    def compact(self, keep: Sequence[str]) -> None:
        """Rewrite with one line per input of this run, in path order."""
        lines = [
            json.dumps(asdict(self.records[p]), ensure_ascii=False)
            for p in sorted(keep)
            if p in self.records
        ]
        atomic_write(self.path, "".join(line + "\n" for line in lines))


MAIN_LOCK = ".summarize.lock"
SHARD_LOCKS = ".summarize.*-of-*.lock"


def _busy(out_dir: Path, name: str) -> Busy:
    return Busy(
        f"another summarize batch is writing to {out_dir} (lock {name}); "
        "wait for it to finish, or use another output folder"
    )


@contextmanager
def folder_lock(out_dir: Path, shard: Shard | None) -> Iterator[None]:
    """Hold this run's lock on OUT_DIR; refuse at once if a conflicting run holds one.

    Shards of one job may share a folder (each holds its own lock); a run of the whole
    folder conflicts with any shard. Each run takes its own lock first and then probes the
    others', so two conflicting runs starting together cannot both go on.
    """
    from filelock import FileLock, Timeout

    name = f".summarize{shard.suffix}.lock" if shard else MAIN_LOCK
    own = FileLock(str(out_dir / name))
    try:
        own.acquire(timeout=0)
    except Timeout:
        raise _busy(out_dir, name) from None
    except OSError as e:
        raise OutputError(f"cannot lock {out_dir}: {e.strerror or e}") from None
    try:
        others = [out_dir / MAIN_LOCK] if shard else sorted(out_dir.glob(SHARD_LOCKS))
        for path in others:
            probe = FileLock(str(path))
            try:
                probe.acquire(timeout=0)
            except Timeout:
                raise _busy(out_dir, path.name) from None
            probe.release()
        yield
    finally:
        own.release()


def _groups(paths: Sequence[str], sizes: dict[str, int]) -> Iterator[list[str]]:
    """Consecutive groups of files whose sentences share model batches."""
    group: list[str] = []
    chars = 0
    for p in paths:
        if group and (len(group) >= GROUP_FILES or chars + sizes.get(p, 0) > GROUP_CHARS):
            yield group
            group, chars = [], 0
        group.append(p)
        chars += sizes.get(p, 0)
    if group:
        yield group


def _read(in_dir: Path, rel: str, max_chars: int) -> bytes | SummarizeError:
    # read_file_bytes refuses FIFOs and devices (a FIFO named *.txt would block the batch
    # forever, a link to /dev/zero would never end) and oversized files, before reading.
    path = in_dir / rel
    try:
        return read_file_bytes(path, rel, max_chars=max_chars)
    except InputNotFound as e:
        if not path.exists() and not path.is_symlink():
            return InputNotFound(f"{rel}: the file disappeared before it was read")
        return e
    except SummarizeError as e:
        return e


def _decode(data: bytes, rel: str, max_chars: int) -> Article | SummarizeError:
    try:
        return article_from_bytes(data, rel, max_chars=max_chars)
    except SummarizeError as e:
        return e


def _summary_fields(result: Result) -> dict[str, str | None]:
    english = [line.en for line in result.lines][:3]
    return {
        "title_ar": result.title.ar if result.title else None,
        "title_en": result.title.en if result.title else None,
        "summary_en": " ".join(english) or None,
    }


def run_batch(
    engine: Engine, opts: BatchOptions, progress: BatchProgress | None = None
) -> BatchReport:
    """Process every input of this shard; return the counts. Raises Interrupted on Ctrl-C."""
    if opts.fmt not in EXTENSIONS:
        raise OutputError(f"batch writes markdown, json or html, not {opts.fmt}")
    paths = discover(opts.in_dir, opts.globs, exclude=opts.out_dir)
    if opts.shard is not None:
        paths = opts.shard.select(paths)
    try:
        opts.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create {opts.out_dir}: {e.strerror or e}") from None
    if not os.access(opts.out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"{opts.out_dir} is not writable")
    suffix = opts.shard.suffix if opts.shard else ""
    report = BatchReport(total=len(paths))
    with folder_lock(opts.out_dir, opts.shard):
        manifest_path = opts.out_dir / f"manifest{suffix}.jsonl"
        # A kill -9 during atomic_write leaves its temp file; only this run's own files are
        # cleaned (other shards may be writing theirs), and index.html's only when unsharded.
        own = [manifest_path] + ([opts.out_dir / "index.html"] if opts.shard is None else [])
        remove_stale_temp_files(own + _output_paths(opts, paths))
        manifest = Manifest(manifest_path)
        report.manifest = manifest.path
        try:
            _process(engine, opts, paths, manifest, report, progress)
        except KeyboardInterrupt:
            raise Interrupted(
                f"interrupted after {report.ok + report.skipped + report.failed} of {report.total} "
                "files; finished files are kept: rerun the same command to resume"
            ) from None
        finally:
            manifest.compact([p for p in paths if p in manifest.records])
            report.index = write_index(opts.out_dir)
    return report


def _process(
    engine: Engine,
    opts: BatchOptions,
    paths: list[str],
    manifest: Manifest,
    report: BatchReport,
    progress: BatchProgress | None,
) -> None:
    key = settings_key(engine, opts)
    if progress:
        progress.start(len(paths))

    def tick(current: str) -> None:
        if progress:
            progress.advance(report.ok + report.skipped + report.failed, current)

    sizes = {}
    for p in paths:
        try:
            sizes[p] = (opts.in_dir / p).stat().st_size
        except OSError:
            sizes[p] = 0
    for group in _groups(paths, sizes):
        pending: list[tuple[str, str, Article]] = []
        for rel in group:
            data = _read(opts.in_dir, rel, opts.max_chars)
            digest = hashlib.sha256(data if isinstance(data, bytes) else b"").hexdigest()
            previous = manifest.records.get(rel)
            if not opts.force and previous and _is_done(previous, digest, key, opts.out_dir):
                manifest.append(_skipped(previous))
                report.skipped += 1
                tick(rel)
                continue
            # Decoding (charset detection, HTML extraction) only for files that need work.
            article = (
                data if isinstance(data, SummarizeError) else _decode(data, rel, opts.max_chars)
            )
            if isinstance(article, SummarizeError):
                record = Record(rel, digest, "failed", error=str(article), settings=key)
                _fail(manifest, report, record)
                tick(rel)
                continue
            pending.append((rel, digest, article))
        if not pending:
            continue
        tick(pending[0][0])
        started = time.perf_counter()
        articles = [a for _, _, a in pending]
        results = (
            engine.brief_many(articles) if opts.task == "brief" else engine.translate_many(articles)
        )
        seconds = round((time.perf_counter() - started) / len(pending), 3)
        for (rel, digest, article), result in zip(pending, results, strict=True):
            record = _write_one(opts, rel, digest, article, result, key, seconds)
            if record.status == "failed":
                _fail(manifest, report, record)
            else:
                manifest.append(record)
                report.ok += 1
            tick(rel)


def _write_one(
    opts: BatchOptions,
    rel: str,
    digest: str,
    article: Article,
    result: Result | SummarizeError,
    key: str,
    seconds: float,
) -> Record:
    if isinstance(result, SummarizeError):
        return Record(
            rel, digest, "failed", encoding=article.encoding, error=str(result), settings=key
        )
    result.timings = {}  # outputs must be identical run to run; seconds go in the manifest
    text = render(result, opts.fmt)
    try:
        target = safe_output_path(opts.out_dir, rel, opts.fmt)
        atomic_write(target, text)
    except OutputError as e:
        return Record(rel, digest, "failed", encoding=article.encoding, error=str(e), settings=key)
    return Record(
        path=rel,
        sha256=digest,
        status="ok",
        output=target.relative_to(opts.out_dir.resolve()).as_posix(),
        output_sha256=sha256_text(text),
        encoding=article.encoding,
        warnings=result.warnings,
        seconds=seconds,
        settings=key,
        **_summary_fields(result),
    )


def _is_done(previous: Record, digest: str, key: str, out_dir: Path) -> bool:
    if previous.status not in ("ok", "skipped") or previous.sha256 != digest:
        return False
    if previous.settings != key or not previous.output:
        return False
    target = out_dir / previous.output
    try:
        return sha256_text(target.read_text(encoding="utf-8")) == previous.output_sha256
    except (OSError, UnicodeDecodeError):
        return False


def _skipped(previous: Record) -> Record:
    data = asdict(previous)
    data["status"] = "skipped"
    return Record(**data)


def _fail(manifest: Manifest, report: BatchReport, record: Record) -> None:
    manifest.append(record)
    report.failed += 1
    report.failures.append(record)


def write_index(out_dir: Path) -> Path:
    """OUT_DIR/index.html: every article of every manifest here, with its title and status."""
    records: dict[str, Record] = {}
    for manifest_path in sorted(out_dir.glob("manifest*.jsonl")):
        records.update(Manifest(manifest_path).records)
    e = html.escape
    rows = []
    for rel in sorted(records):
        r = records[rel]
        link = (
            f'<a href="{e(r.output, quote=True)}">{e(rel)}</a>'
            if r.output and r.status != "failed"
            else e(rel)
        )
        title = ""
        if r.title_ar:
            title += f'<div class="ar" dir="rtl" lang="ar">{e(r.title_ar)}</div>'
        if r.title_en:
            title += f"<div>{e(r.title_en)}</div>"
        summary = e(r.summary_en or r.error or "")
        rows.append(
            f'<tr class="{e(r.status)}"><td>{link}</td><td>{title}</td>'
            f"<td>{summary}</td><td>{e(r.status)}</td></tr>"
        )
    counts = {
        s: sum(1 for r in records.values() if r.status == s) for s in ("ok", "skipped", "failed")
    }
    body = (
        f"<h1>Briefs</h1><p>{len(records)} articles: {counts['ok']} done, {counts['skipped']} "
        f"skipped (already done), {counts['failed']} failed.</p>\n"
        '<table class="index"><thead><tr><th>Article</th><th>Title</th><th>English summary</th>'
        "<th>Status</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    index = out_dir / "index.html"
    atomic_write(index, html_page("Briefs", body))
    return index


def status_callback(fn: Callable[[int, int, str | None], None]) -> BatchProgress:
    """A BatchProgress from a plain function (done, total, current)."""

    class _Progress(BatchProgress):
        total = 0

        def start(self, total: int) -> None:
            self.total = total
            fn(0, total, None)

        def advance(self, done: int, current: str | None) -> None:
            fn(done, self.total, current)

    return _Progress()
