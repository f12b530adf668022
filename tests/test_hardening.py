"""Bad input, tried through the real CLI: each gets a result, or one line and its exit code.

tests/test_cli.py::test_bad_input_one_line_and_its_exit_code already covers `brief` on a
missing file, a directory, empty, whitespace, PNG bytes, English and --max-chars; this module
covers the rest of issue 5's list, the other commands, and what needs a real process.
docs/reliability.md lists every case with the test that covers it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarize.backends.base import TokenizedModel
from summarize.batch import runner as batch_runner
from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    NotArabic,
    OutputError,
    UndecodableInput,
)
from summarize.render.html import SCRIPT
from summarize.text import normalize
from tests.fakes import FakeModels
from tests.hardening_support import (
    BIDI_CONTROLS,
    SAMPLES,
    cli_env,
    one_line_error,
    run_cli,
    write_fast_registry,
)

runner = CliRunner()
SAMPLE = SAMPLES[2]  # qatar-emir-state-visit-kazakhstan.txt
ARTICLE = SAMPLE.read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def invoke(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tiny_args(
    tiny_mt5_dir: Path, tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[str]]:
    """CLI options that run the tiny real models with short, greedy generation."""
    monkeypatch.setenv("SUMMARIZE_THREADS", "1")
    registry = str(write_fast_registry(tmp_path))
    translator = ["--translator", str(tiny_marian_dir), "--models", registry]
    return {
        "brief": ["--summarizer", str(tiny_mt5_dir), *translator],
        "translate": translator,
    }


# -- bad bytes, every command ------------------------------------------------------------

BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "whitespace": " \n\t\n\u00a0 \r\n".encode(),
    "png": PNG,
    "english": b"The minister said the plan is ready. Work continues as planned.",
    "digits": "123 456\n\n2024 ٣٤٥ 7.5\n0\n133".encode(),
    "invalid-utf8": ARTICLE[:150].encode() + b"\xff\xc3\x28" + ARTICLE[150:450].encode(),
    "cesu-surrogates": b"\xed\xa0\x80 " + ARTICLE.encode()[:400],
}
# (case, command) -> exit code; `brief` on empty/whitespace/png/english is in test_cli.py.
EXPECTED: dict[tuple[str, str], int] = {
    ("empty", "translate"): EmptyInput.exit_code,
    ("empty", "sentences"): EmptyInput.exit_code,
    ("whitespace", "translate"): EmptyInput.exit_code,
    ("whitespace", "sentences"): EmptyInput.exit_code,
    ("png", "translate"): UndecodableInput.exit_code,
    ("png", "sentences"): UndecodableInput.exit_code,
    ("english", "translate"): NotArabic.exit_code,
    ("english", "sentences"): 0,  # sentences splits any text; it needs no Arabic
    ("digits", "brief"): EmptyInput.exit_code,  # counters and numbers are page furniture
    ("digits", "translate"): EmptyInput.exit_code,
    ("digits", "sentences"): EmptyInput.exit_code,  # nothing left after furniture
    ("invalid-utf8", "brief"): UndecodableInput.exit_code,
    ("invalid-utf8", "translate"): UndecodableInput.exit_code,
    ("invalid-utf8", "sentences"): UndecodableInput.exit_code,
    ("cesu-surrogates", "brief"): UndecodableInput.exit_code,
    ("cesu-surrogates", "sentences"): UndecodableInput.exit_code,
}


@pytest.mark.parametrize(("case", "command"), list(EXPECTED), ids=lambda v: str(v))
def test_bad_bytes_get_their_exit_code_and_one_line(
    case: str, command: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    path = tmp_path / f"{case}.txt"
    path.write_bytes(BAD_FILES[case])
    code, out, err = invoke(command, str(path))
    assert code == EXPECTED[case, command], err
    if code:
        assert out == "" and one_line_error(err), err
    if case == "invalid-utf8":
        assert f"not valid UTF-8 (bad byte at offset {len(ARTICLE[:150].encode())})" in err
    if (case, command) == ("english", "sentences"):
        assert out.splitlines() == [
            "The minister said the plan is ready.",
            "Work continues as planned.",
        ]
    assert fake_models.loaded == {}, "a model was loaded for input that was refused"


@pytest.mark.parametrize("command", ["translate", "sentences"])
def test_directory_as_file(command: str, tmp_path: Path, fake_models: FakeModels) -> None:
    code, _, err = invoke(command, str(tmp_path))
    assert code == InputNotFound.exit_code and one_line_error(err)
    assert "is a directory; use `summarize batch" in err


# -- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("cp1256", "cp1256")],
)
def test_other_encodings_decode_to_the_same_text(
    encoding: str, expected: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    original = ARTICLE.encode("cp1256", errors="ignore").decode("cp1256")
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(original.encode(encoding))
    if encoding == "utf-16":
        assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff"), "a BOM is written"
    reference = tmp_path / "utf8.txt"
    reference.write_text(original, encoding="utf-8")
    assert invoke("sentences", str(path)) == invoke("sentences", str(reference))
    code, out, err = invoke("translate", str(path), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["encoding"] == expected
    assert data["translation"][0]["ar"] in normalize(original)


# -- size ---------------------------------------------------------------------------------

# Peak memory of this process image: VmHWM resets at exec, unlike ru_maxrss, which a child
# inherits from the (torch-laden) pytest process that forked it.
_MEASURE = """
import sys
from summarize.cli import app
try:
    app(sys.argv[1:])
except SystemExit as e:
    code = e.code
peak = 0
try:
    with open("/proc/self/status") as f:
        peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print("maxrss_kb", peak, file=sys.stderr)
sys.exit(code)
"""


def _measured(args: list[str], stdin: bytes | None = None) -> tuple[int, str, int]:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=60,
        env=cli_env(),
        check=False,
    )
    err = proc.stderr.decode()
    message, _, rss = err.rpartition("maxrss_kb ")
    return proc.returncode, message, int(rss)


def test_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.write("كلمة عربية ".encode() * (50 * 1024 * 1024 // 20))
    assert big.stat().st_size > 50_000_000
    for command in ("brief", "translate", "sentences"):
        code, err, rss_kb = _measured([command, str(big)])
        assert code == InputTooLarge.exit_code and one_line_error(err), err
        assert "52.4 MB" in err and "--max-chars" in err
        assert rss_kb < 200_000, f"{command} used {rss_kb} kB: it read the file"


def test_50_mb_on_stdin_stops_at_the_limit() -> None:
    data = "كلمة ".encode() * (50 * 1024 * 1024 // 9)
    code, err, rss_kb = _measured(["sentences", "-"], stdin=data)
    assert code == InputTooLarge.exit_code and one_line_error(err), err
    assert "stdin is over the limit of 1,000,000 characters" in err and "--max-chars" in err
    # It reads at most 4 bytes a character (4 MB here), never the whole 50 MB.
    assert rss_kb < 200_000


def test_max_chars_counts_characters_after_decoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("ق" * 3000, encoding="utf-8")  # 6000 bytes, 3000 characters
    code, _, err = invoke("sentences", str(path), "--max-chars", "2999")
    assert code == InputTooLarge.exit_code and "3,000 characters" in err
    assert invoke("sentences", str(path), "--max-chars", "3000")[0] == 0


# -- a FIFO must not hang --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_as_file_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    for command in ("brief", "translate", "sentences"):
        proc = run_cli([command, str(fifo)], timeout=30)
        err = proc.stderr.decode()
        assert proc.returncode == InputNotFound.exit_code and one_line_error(err), err
        assert "not a regular file (a FIFO, socket or device)" in err


# -- hostile and odd text, on the tiny real models -----------------------------------------


class Spy:
    """Records every text a real model is asked to generate from, per role."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.inputs: dict[str, list[str]] = {"summarizer": [], "translator": []}
        self.budgets: dict[str, int] = {}
        self.counts: dict[str, list[int]] = {"summarizer": [], "translator": []}
        original = TokenizedModel.generate  # both built-in backends generate through it
        spy = self

        def generate(model: Any, texts: Any, *args: Any, **kwargs: Any) -> list[str]:
            role = model.spec.role
            spy.inputs[role] += list(texts)
            spy.counts[role] += [model.count_tokens(t) for t in texts]
            spy.budgets[role] = model.spec.max_input_tokens
            return original(model, texts, *args, **kwargs)

        monkeypatch.setattr(TokenizedModel, "generate", generate)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_one_20000_character_sentence_is_split_never_truncated(
    tmp_path: Path, tiny_args: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [w for w in normalize(ARTICLE).split() if w.isalpha()]
    sentence = " ".join(words * 40)[:20_000].rstrip()
    assert len(sentence) >= 19_990 and not any(c in sentence for c in ".!?؟…،؛:\n")
    path = tmp_path / "long.txt"
    path.write_text(sentence, encoding="utf-8")
    spy = Spy(monkeypatch)
    code, out, err = invoke("brief", str(path), "-f", "json", *tiny_args["brief"])
    assert code == 0, err
    data = json.loads(out)
    assert data["stats"]["sentences"] == 1 and data["stats"]["chunks"] > 1
    first_round = spy.inputs["summarizer"][: data["stats"]["chunks"]]
    assert _squash("".join(first_round)) == _squash(sentence), "chunks must tile the sentence"
    assert max(spy.counts["summarizer"]) <= spy.budgets["summarizer"]

    spy = Spy(monkeypatch)
    code, out, err = invoke("translate", str(path), "-f", "json", *tiny_args["translate"])
    assert code == 0, err
    pairs = json.loads(out)["translation"]
    assert len(pairs) == 1 and pairs[0]["ar"] == sentence and pairs[0]["en"].strip()
    assert len(spy.inputs["translator"]) > 1, "the sentence went to the translator in pieces"
    assert _squash("".join(spy.inputs["translator"])) == _squash(sentence)
    assert max(spy.counts["translator"]) <= spy.budgets["translator"]
    assert "Token indices sequence length" not in err


MIXED = (
    "قال الوزير إن شركة Microsoft ستفتح مكتبا في الدوحة عام 2025.\n"
    "The deal is worth $5 billion, according to Reuters.\n"
    "وأضاف أن العمل سيبدأ قريبا بالتعاون مع Google و OpenAI."
)
HTML_AS_TXT = (
    "<html><head><title>خبر</title><script>alert('xss-in-head')</script></head><body>"
    "<nav>الرئيسية | العالم</nav><article><p>"
    + "</p><p>".join(p for p in ARTICLE.splitlines() if len(p.split()) > 8)
    + "</p><img src=x onerror=alert(1)></article></body></html>"
)
BIDI = (
    "قال الوزير \u202eإن الخطة\u202c جاهزة \u2066تماما\u2069 \u202dاليوم\u202c.\n"
    "وأضاف \u200fأن \u061cالعمل \u202aمستمر\u202b في كل المدن\u200e.\n"
    "\u2067وأكد\u2069 أن \u2068النتائج\u2069 جيدة."
)


@pytest.mark.parametrize(
    ("name", "text"), [("mixed", MIXED), ("html-as-txt", HTML_AS_TXT), ("bidi", BIDI)]
)
def test_odd_articles_give_a_result_on_tiny_models(
    name: str, text: str, tmp_path: Path, tiny_args: dict[str, list[str]]
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    for command in ("brief", "translate"):
        for fmt in ("json", "html", "markdown"):
            code, out, err = invoke(command, str(path), "-f", fmt, *tiny_args[command])
            assert code == 0, err
            assert not set(out) & set(BIDI_CONTROLS), "a bidi control reached the output"
            page = out.replace(f"<script>{SCRIPT}</script>", "")
            assert "alert" not in out and "<script" not in page.lower()
            if fmt == "json":
                data = json.loads(out)
                pairs = data["summary"] if command == "brief" else data["translation"]
                assert pairs and all(p["ar"] and p["en"] for p in pairs)
                if name == "mixed" and command == "translate":
                    assert "Microsoft" in pairs[0]["ar"] and len(pairs) == 3
                if name == "html-as-txt":
                    assert "الرئيسية" not in out, "the page's menu was kept"
    code, out, _ = invoke("sentences", str(path))
    assert code == 0 and not set(out) & set(BIDI_CONTROLS)
    if name == "bidi":
        assert out.splitlines() == [
            "قال الوزير إن الخطة جاهزة تماما اليوم.",
            "",  # one paragraph a line: each line is its own paragraph
            "وأضاف أن العمل مستمر في كل المدن.",
            "",
            "وأكد أن النتائج جيدة.",
        ]


def test_lone_surrogates_in_json_lines(fake_models: FakeModels) -> None:
    """JSON escapes can carry lone surrogates into text and ids; every line still answers."""
    lines = [
        '{"id": "\\udc80a", "text": "قال الوزير \\ud800 إن الخطة جاهزة تماما.\\nوأضاف أن العمل مستمر."}',
        '{"id": 2, "text": "\\udfff"}',
        '{"id": "\\ud83d", "text": ""}',
        '{"id": 4, "text": "وأكد \\udc00أن النتائج جيدة."}',
    ]
    stdin = ("\n".join(lines) + "\n").encode()
    for command in ("sentences", "translate"):
        result = runner.invoke(app, [command, "--input", "jsonl", "-f", "jsonl"], input=stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == BatchIncomplete.exit_code, result.stderr
        out = result.stdout_bytes.decode("utf-8")  # strict: the output is valid UTF-8
        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["id"] for r in rows] == ["\udc80a", 2, "\ud83d", 4]
        assert rows[2]["exit_code"] == EmptyInput.exit_code
        assert not any(0xD800 <= ord(c) <= 0xDFFF for r in rows for c in json.dumps(r["id"]))
        good = rows[0]["sentences"] if command == "sentences" else rows[0]["translation"]
        texts = [s.get("text", s.get("ar")) for s in good]
        assert texts == ["قال الوزير إن الخطة جاهزة تماما.", "وأضاف أن العمل مستمر."]


def test_stdin_through_a_real_process(tiny_marian_dir: Path, tmp_path: Path) -> None:
    registry = write_fast_registry(tmp_path)
    args = ["translate", "-", "-f", "json", "--translator", str(tiny_marian_dir)]
    proc = run_cli([*args, "--models", str(registry)], stdin=BIDI.encode("utf-16"))
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["source"] == "-" and data["encoding"] == "utf-16"
    assert not set(proc.stdout.decode()) & set(BIDI_CONTROLS)
    proc = run_cli(["brief", "-"], stdin=b"")
    assert proc.returncode == EmptyInput.exit_code and one_line_error(proc.stderr.decode())


# -- batch: files that vanish, folders that cannot be written --------------------------


def _folder(root: Path, n: int = 3) -> Path:
    src = root / "in"
    src.mkdir()
    for i in range(n):
        (src / f"{i}.txt").write_text(SAMPLES[i].read_text(encoding="utf-8"), encoding="utf-8")
    return src


def _manifest(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["path"]: row for row in map(json.loads, lines)}


def test_file_that_disappears_mid_batch(
    tmp_path: Path, fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = _folder(tmp_path), tmp_path / "out"
    real_find = batch_runner.find_inputs

    def find_then_delete(*args: Any, **kwargs: Any) -> Any:
        found = real_find(*args, **kwargs)
        (src / "1.txt").unlink()  # gone after it was listed, before it is read
        return found

    monkeypatch.setattr(batch_runner, "find_inputs", find_then_delete)
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    rows = _manifest(out)
    assert rows["1.txt"]["status"] == "failed"
    assert rows["1.txt"]["error"] == "1.txt: the file disappeared before it was read"
    assert rows["0.txt"]["status"] == rows["2.txt"]["status"] == "ok"
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("summarize: error: 1 of 3 files failed")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_device_and_huge_file_in_a_batch_folder(tmp_path: Path) -> None:
    """No model is needed: every input fails before one would load. It must not hang."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    if Path("/dev/zero").exists():
        (src / "zero.txt").symlink_to("/dev/zero")
    with (src / "huge.txt").open("wb") as f:
        f.truncate(5_000_000)  # sparse; over 4 bytes x --max-chars
    proc = run_cli(["batch", str(src), "-o", str(out), "--max-chars", "1000000"], timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == BatchIncomplete.exit_code, err
    rows = _manifest(out)
    assert rows["pipe.txt"]["error"] == "pipe.txt is not a regular file (a FIFO, socket or device)"
    if "zero.txt" in rows:
        assert "not a regular file" in rows["zero.txt"]["error"]
    assert "--max-chars" in rows["huge.txt"]["error"]
    assert "Traceback" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores mode bits")
def test_read_only_output_folder(tmp_path: Path, fake_models: FakeModels) -> None:
    src, out = _folder(tmp_path), tmp_path / "out"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    finally:
        out.chmod(stat.S_IRWXU)
    assert result.exit_code == OutputError.exit_code
    assert result.stderr == f"summarize: error: {out} is not writable\n"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_output_folder_that_cannot_take_files(tmp_path: Path, fake_models: FakeModels) -> None:
    """/proc/self refuses new files even for root (mode bits do not stop root)."""
    src = _folder(tmp_path)
    result = runner.invoke(app, ["batch", str(src), "-o", "/proc/self"])
    assert result.exit_code == OutputError.exit_code
    assert one_line_error(result.stderr), result.stderr


def test_output_subfolder_blocked_by_a_file(tmp_path: Path, fake_models: FakeModels) -> None:
    """One output cannot be written (its folder is a file): that input fails, the rest go on."""
    src, out = _folder(tmp_path, 2), tmp_path / "out"
    (src / "sub").mkdir()
    (src / "sub" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    out.mkdir()
    (out / "sub").write_text("a file where a folder should be", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == BatchIncomplete.exit_code, result.stderr
    rows = _manifest(out)
    assert rows["sub/x.txt"]["status"] == "failed"
    assert rows["sub/x.txt"]["error"].startswith("cannot write")
    assert rows["0.txt"]["status"] == rows["1.txt"]["status"] == "ok"
    assert (out / "0.txt.md").is_file() and (out / "1.txt.md").is_file()
