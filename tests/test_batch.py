"""Batch mode on the fake backend: encodings, HTML, bad files, resume, shards, locks."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.batch import BatchOptions, Shard, discover, run_batch, safe_output_path
from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    Busy,
    Interrupted,
    OutputError,
)
from summarize.pipeline import Engine
from summarize.progress import Progress, Throughput
from summarize.tasks import Task
from tests.fakes import FakeModels
from tests.samples import SAMPLES

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

NEWS_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<script>window.tracking = "should never appear";</script></head>
<body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/world">العالم</a></li>
<li><a href="/sport">رياضة</a></li><li>اشترك في النشرة البريدية</li></ul></nav>
<article><h1>{title}</h1>
{paragraphs}
</article>
<aside>الأكثر قراءة: خبر آخر لا علاقة له بالموضوع</aside>
<footer>جميع الحقوق محفوظة © 2024</footer>
</body></html>
"""


def news_page(text: str) -> str:
    paras = [p for p in text.split("\n") if len(p.split()) > 8]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return NEWS_PAGE.format(title="أمير قطر يبدأ زيارة دولة إلى كازاخستان", paragraphs=body)


def make_folder(root: Path) -> Path:
    """The samples, a nested folder, Windows-1256, UTF-16, an HTML page, an empty and a binary file."""
    src = root / "in"
    (src / "nested" / "deeper").mkdir(parents=True)
    for s in SAMPLES[:3]:
        shutil.copy(s, src / s.name)
    shutil.copy(SAMPLES[3], src / "nested" / SAMPLES[3].name)
    text4 = SAMPLES[4].read_text(encoding="utf-8")
    (src / "nested" / "deeper" / "cp1256.txt").write_bytes(text4.encode("cp1256", errors="ignore"))
    (src / "nested" / "utf16.txt").write_bytes(
        SAMPLES[0].read_text(encoding="utf-8").encode("utf-16")
    )
    (src / "page.html").write_text(
        news_page(SAMPLES[0].read_text(encoding="utf-8")), encoding="utf-8"
    )
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 16)
    (src / "notes.csv").write_text("ignored", encoding="utf-8")
    return src


def manifest(out: Path, name: str = "manifest.jsonl") -> dict[str, dict]:
    rows = [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]
    return {r["path"]: r for r in rows}


def test_folder_with_every_kind_of_file(tmp_path: Path, fake_models: FakeModels) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    rows = manifest(out)
    assert len(rows) == 9  # notes.csv is not taken
    assert {p for p, r in rows.items() if r["status"] == "failed"} == {"empty.txt", "binary.txt"}
    assert "empty" in rows["empty.txt"]["error"]
    assert "binary" in rows["binary.txt"]["error"] or "not text" in rows["binary.txt"]["error"]
    assert rows["nested/deeper/cp1256.txt"]["encoding"] in {"cp1256", "windows-1256"}
    assert rows["nested/utf16.txt"]["encoding"] == "utf-16"
    for path, row in rows.items():
        if row["status"] == "ok":
            output = out / row["output"]
            assert output.is_file() and output.name == Path(path).name + ".md"
            assert "| English | العربية |" in output.read_text(encoding="utf-8")
    # the Windows-1256 file decodes to real Arabic, not mojibake
    cp = (out / rows["nested/deeper/cp1256.txt"]["output"]).read_text(encoding="utf-8")
    assert "كازاخستان" in cp
    # the HTML page is reduced to its article: no menu, no script, no footer reached the models
    page = (out / rows["page.html"]["output"]).read_text(encoding="utf-8")
    assert "tracking" not in page and "الرئيسية" not in page and "الحقوق" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(p in index for p in rows) and 'href="./page.html.md"' in index
    assert "summarize: batch: 7 done, 0 reused, 2 failed of 9" in result.stderr


def test_rerun_skips_what_is_done_and_redoes_nothing(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    runner.invoke(app, ["batch", str(src), "-o", str(out)])
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    calls = len(fake_models.loaded["summarizer"].calls)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert "0 done, 7 reused, 2 failed" in result.stderr
    assert len(fake_models.loaded["summarizer"].calls) == calls, "nothing done is redone"
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == before
    # a changed input is redone, the rest are reused
    changed = src / SAMPLES[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nوأضاف المتحدث أن الزيارة ناجحة.")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert "1 done, 6 reused, 2 failed" in result.stderr


def test_interrupted_run_resumes_to_identical_output(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    src = make_folder(tmp_path)
    for bad in ("empty.txt", "binary.txt"):
        (src / bad).unlink()
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    engine = Engine(backend="fake")
    run_batch(engine, BatchOptions(in_dir=src, out_dir=whole))

    translator = fake_models.loaded["translator"]
    original = translator.generate
    budget = {"calls": 1}

    def dies_later(*args, **kwargs):  # type: ignore[no-untyped-def]
        if budget["calls"] == 0:
            raise KeyboardInterrupt
        budget["calls"] -= 1
        return original(*args, **kwargs)

    translator.generate = dies_later  # type: ignore[method-assign]
    small = BatchOptions(in_dir=src, out_dir=resumed)
    with pytest.raises(Interrupted, match="rerun the same command"):
        run_batch(engine, small)
    partial = manifest(resumed)
    assert 0 < len(partial) < 7
    assert not list(resumed.rglob("*.tmp")), "no half-written file is left"
    translator.generate = original  # type: ignore[method-assign]
    before = len(translator.calls)
    report = run_batch(engine, small)
    assert report.reused == len(partial) and report.ok == 7 - len(partial)
    # one translator call per article redone: articles never share a model batch
    assert len(translator.calls) - before == report.ok
    outputs = sorted(p.relative_to(whole) for p in whole.rglob("*.md"))
    assert outputs == sorted(p.relative_to(resumed) for p in resumed.rglob("*.md"))
    for rel in outputs:
        assert (whole / rel).read_bytes() == (resumed / rel).read_bytes(), rel


def test_shards_cover_every_input_exactly_once(tmp_path: Path, fake_models: FakeModels) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    for k in (1, 2):
        runner.invoke(app, ["batch", str(src), "-o", str(out), "--shard", f"{k}/2"])
    one, two = manifest(out, "manifest.1-of-2.jsonl"), manifest(out, "manifest.2-of-2.jsonl")
    assert not set(one) & set(two)
    assert set(one) | set(two) == set(discover(src, ("*.txt", "*.md", "*.html")))
    assert one and two
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(p in index for p in set(one) | set(two))
    bad = runner.invoke(app, ["batch", str(src), "-o", str(out), "--shard", "3/2"])
    assert bad.exit_code == 2 and "1 <= K <= N" in bad.stderr


def test_shards_are_balanced_and_independent_of_listing_order() -> None:
    paths = [f"dir/{i}.txt" for i in range(200)]
    owners = [Shard(k, 3).select(paths) for k in (1, 2, 3)]
    assert sorted(sum(owners, [])) == sorted(paths)
    assert [len(o) for o in owners] == [67, 67, 66]
    assert Shard(2, 3).select(list(reversed(paths))) == owners[1]


def test_second_run_on_same_folder_is_refused(tmp_path: Path, fake_models: FakeModels) -> None:
    from filelock import FileLock

    src, out = make_folder(tmp_path), tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".summarize.lock")):
        with pytest.raises(Busy, match="another summarize batch"):
            run_batch(Engine(backend="fake"), BatchOptions(in_dir=src, out_dir=out))
        result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
        assert result.exit_code == Busy.exit_code


def test_output_paths_never_escape(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert safe_output_path(out, "a/b.txt", "json") == (out / "a/b.txt.json").resolve()
    for rel in ("../x.txt", "/etc/passwd"):
        with pytest.raises(OutputError):
            safe_output_path(out, rel, "markdown")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (out / "link").symlink_to(outside)
    with pytest.raises(OutputError, match="outside"):
        safe_output_path(out, "link/a.txt", "markdown")


def test_html_and_json_outputs(tmp_path: Path, fake_models: FakeModels) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES[0], src / "a.txt")
    for fmt, ext in (("html", ".html"), ("json", ".json")):
        out = tmp_path / fmt
        result = runner.invoke(
            app, ["batch", str(src), "-o", str(out), "-f", fmt, "--task", "translate"]
        )
        assert result.exit_code == 0, result.stderr
        text = (out / f"a.txt{ext}").read_text(encoding="utf-8")
        if fmt == "json":
            data = json.loads(text)
            assert data["kind"] == "translation" and data["timings"] == {}
        else:
            assert 'dir="rtl"' in text and "Content-Security-Policy" in text


def test_unwritable_output_folder(tmp_path: Path, fake_models: FakeModels) -> None:
    src = make_folder(tmp_path)
    target = tmp_path / "file-not-folder"
    target.write_text("x")
    result = runner.invoke(app, ["batch", str(src), "-o", str(target / "sub")])
    assert result.exit_code == OutputError.exit_code
    assert result.stderr.startswith("summarize: error: cannot create")


def test_articles_never_share_a_model_batch(tmp_path: Path, fake_models: FakeModels) -> None:
    """Each model call holds one file's sentences, so an output never depends on which other
    files were processed with it (resume, shards and Ray give the same bytes)."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"{i}.txt").write_text(f"قال المسؤول رقم {i} إن العمل مستمر.\nوأضاف أن الخطة جاهزة.")
    run_batch(
        Engine(backend="fake"),
        BatchOptions(in_dir=src, out_dir=tmp_path / "out", task=Task.translate),
    )
    calls = fake_models.loaded["translator"].calls
    assert len(calls) == 5
    for i, call in enumerate(calls):
        assert call == [f"قال المسؤول رقم {i} إن العمل مستمر.", "وأضاف أن الخطة جاهزة."]


def test_whole_folder_and_shard_runs_exclude_each_other(tmp_path: Path) -> None:
    from summarize.batch.lock import folder_lock

    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out, Shard(1, 2)):
        with folder_lock(out, Shard(2, 2)):  # shards of one job share the folder
            pass
        with pytest.raises(Busy, match=r"\.summarize\.1-of-2\.lock"):
            with folder_lock(out, None):
                pass
    with folder_lock(out, None):
        with pytest.raises(Busy, match=r"\.summarize\.lock"):
            with folder_lock(out, Shard(1, 2)):
                pass
    with folder_lock(out, Shard(1, 2)), folder_lock(out, Shard(2, 2)):
        pass  # and all locks are released afterwards


def test_skipped_files_are_not_decoded_again(
    tmp_path: Path, fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resuming a large folder should only hash done files, not re-detect encodings or parse HTML."""
    import summarize.batch.work as batch_module

    src, out = make_folder(tmp_path), tmp_path / "out"
    runner.invoke(app, ["batch", str(src), "-o", str(out)])
    decoded: list[str] = []
    real = batch_module.article_from_bytes

    def counting(data: bytes, source: str, **kwargs: object) -> object:
        decoded.append(source)
        return real(data, source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "article_from_bytes", counting)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert "0 done, 7 reused, 2 failed" in result.stderr
    assert sorted(decoded) == ["binary.txt", "empty.txt"], "only the failed files are retried"


# -- progress, and the run that produced each output ----------------------------------------


def test_progress_counts_each_file_as_its_output_is_written(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    events: list[tuple[int, int, str | None, str | None, int]] = []

    def seen(event: Progress) -> None:
        if event.stage == "files":
            written = out / "manifest.jsonl"
            lines = written.read_text(encoding="utf-8").count("\n") if written.exists() else 0
            events.append((event.done, event.total, event.item, event.status, lines))

    run_batch(Engine(backend="fake"), BatchOptions(in_dir=src, out_dir=out), seen)
    assert [e[0] for e in events] == list(range(10)) and {e[1] for e in events} == {9}
    assert all(done == lines for done, _, _, _, lines in events[1:]), "written, then counted"
    statuses = {item: status for _, _, item, status, _ in events[1:]}
    assert statuses["empty.txt"] == statuses["binary.txt"] == "failed"
    assert sorted(statuses) == sorted(manifest(out))
    events.clear()
    run_batch(Engine(backend="fake"), BatchOptions(in_dir=src, out_dir=out), seen)
    assert [e[3] for e in events[1:]].count("reused") == 7


def test_a_resumed_run_keeps_the_status_and_time_of_the_run_that_made_each_output(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    src, out = make_folder(tmp_path), tmp_path / "out"
    runner.invoke(app, ["batch", str(src), "-o", str(out)])
    first = manifest(out)
    assert all(r["finished"] and r["reused"] is False for r in first.values())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["page.html"]["finished"])
    changed = src / SAMPLES[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nوأضاف المتحدث أن الزيارة ناجحة.")
    time.sleep(1.1)  # the manifest's times are to the second
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert "1 done, 6 reused, 2 failed" in result.stderr
    second = manifest(out)
    for path, row in second.items():
        if path == SAMPLES[0].name or row["status"] == "failed":  # made again by this run
            assert row["reused"] is False and row["finished"] > first[path]["finished"], path
        else:  # kept: the earlier run's status and time
            assert row["reused"] is True and row["status"] == "ok", path
            assert row["finished"] == first[path]["finished"], path
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "9 articles: 1 done, 6 reused (made by an earlier run)" in index
    assert "2 failed</b> (listed first)" in index
    body = index.split("<tbody>")[1]
    assert body.index('class="failed"') < body.index('class="ok"') < body.index('class="reused"')


def test_manifests_of_older_versions_still_load_and_resume(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """Before `reused` and `finished`, a reused output was recorded as status `skipped`."""
    src, out = make_folder(tmp_path), tmp_path / "out"
    runner.invoke(app, ["batch", str(src), "-o", str(out)])
    old = []
    for row in manifest(out).values():
        del row["finished"], row["reused"]
        if row["status"] == "ok" and row["path"] != "page.html":
            row["status"] = "skipped"
        old.append(json.dumps(row, ensure_ascii=False))
    (out / "manifest.jsonl").write_text("\n".join(old) + "\n", encoding="utf-8")
    calls = len(fake_models.loaded["summarizer"].calls)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert "0 done, 7 reused, 2 failed" in result.stderr
    assert len(fake_models.loaded["summarizer"].calls) == calls, "nothing done is redone"
    rows = manifest(out)
    assert {r["status"] for r in rows.values()} == {"ok", "failed"}
    assert rows["page.html"]["reused"] is True and rows["page.html"]["finished"] is None


def test_throughput_counts_work_only_and_is_true_between_files() -> None:
    """Rate and time left leave out model loading and files that took no work, and keep
    moving between events (the bar's old figures stood still at 409.9 files/min)."""
    now = [0.0]
    t = Throughput(clock=lambda: now[0])
    t.update(Progress("files", 0, 8))
    now[0] = 0.1  # two files refused at once (empty, binary) and one reused output
    for done, status in ((1, "failed"), (2, "failed"), (3, "reused")):
        t.update(Progress("files", done, 8, f"{done}.txt", status))
    assert t.per_minute() is None and t.seconds_left() is None, "no rate before real work"
    t.update(Progress("loading summarizer arabart", 0, 1))
    now[0] = 30.1
    t.update(Progress("loading summarizer arabart", 1, 1))
    now[0] = 40.1  # the first article took 10 s of work
    t.update(Progress("files", 4, 8, "4.txt", "ok"))
    assert t.per_minute() == pytest.approx(60 / 10.1, rel=1e-3)
    assert t.seconds_left() == pytest.approx(4 * 10.1, rel=1e-3)
    now[0] = 60.1  # 20 s into a slow article: the estimate follows
    assert t.per_minute() == pytest.approx(60 / 30.1, rel=1e-3)
    assert t.seconds_left() == pytest.approx(4 * 30.1, rel=1e-3)


def test_settings_key_names_the_device(fake_models: FakeModels) -> None:
    """A resume on another device redoes the files (float results may differ there)."""
    from summarize.batch.runner import settings_key
    from summarize.pipeline import Engine

    keys = {
        settings_key(Engine(backend="fake", device=d), Task.brief, "json") for d in ("cpu", "cuda")
    }
    assert len(keys) == 2
