"""Names and text shown on a terminal: controls escaped, nothing read as markup, nothing raw,
whatever a file, a folder, a model or a model's output is called or says.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarize.errors import (
    BatchIncomplete,
)
from tests.cli_support import (
    ARTICLE,
    FAKE_CLI,
    REPO,
    VICTIM_TEXT,
    cli_env,
    folder,
)
from tests.fakes import FakeModels

# -- terminals: nothing raw, nothing read as markup ------------------------------------------

# Names an attacker picks: a window-title OSC, colours, an OSC 8 hyperlink, rich markup that
# raises ([/x]), forges a link or restyles, an emoji code, a carriage return that hides text.
HOSTILE_NAMES = [
    "t\x1b]0;pwned\x07itle.txt",
    "\x1b[38;2;1;2;3mred\x1b[0m.txt",  # a colour rich itself never uses
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\.txt",
    "[bold red]x[/bold red].txt",
    "[link=https:",  # a folder: the file below makes [link=https://evil.example]x.txt
    ":skull: \r over.txt",
    "\u202eevil\u202c.txt",
]
RAW_MARKERS = ["\x1b]", "\x07", "\x1b[38;2;1;2;3m", "\u202e", "\r over", "\x1b[5m"]


def run_in_pty(args: list[str], timeout: float = 60) -> tuple[int, str]:
    """`summarize ARGS` (fake backend) with stdout and stderr on a pseudo-terminal, as a
    user would see it: rich draws its tables and progress, and everything reaches the tty."""
    import pty
    import select

    master, slave = pty.openpty()
    env = cli_env(SUMMARIZE_BACKEND="fake", COLUMNS="200", TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-c", FAKE_CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=REPO,
    )
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError("no output for {timeout} s")
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", errors="replace")


def assert_nothing_raw(screen: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in screen, f"{marker!r} reached the terminal raw"
    assert "\x1b]8;" not in screen, "no hyperlink may be drawn"


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_hostile_file_names_on_a_terminal_batch(tmp_path: Path) -> None:
    names = [n for n in HOSTILE_NAMES if not n.startswith("[link")]
    names += ["[link=https:/evil.example]x.txt", "[/x].txt", "empty \x1b[5m.txt"]
    src = folder(tmp_path, names)
    (src / "empty \x1b[5m.txt").write_bytes(b"")  # a failure, listed under the table
    code, screen = run_in_pty(["batch", str(src), "-o", str(tmp_path / "out")])
    assert code == BatchIncomplete.exit_code, screen
    assert "Traceback" not in screen and "MarkupError" not in screen
    assert_nothing_raw(screen)
    assert "\\x1b[5m" in screen, "the failed file is listed, its escape shown"
    assert "batch finished" in screen


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_hostile_names_on_a_terminal_brief_and_footer(tmp_path: Path) -> None:
    src = folder(tmp_path, ["[/x].txt"])
    model = tmp_path / "[reverse blink]mt\x1b]0;x\x07"
    model.mkdir()
    code, screen = run_in_pty(["brief", str(src / "[/x].txt"), "--summarizer", str(model)])
    assert code == 0, screen
    assert "[reverse blink]mt\\x1b]0;x\\x07" in screen, "the folder name is shown as it is"
    assert "\x1b[5m" not in screen and ";5;7m" not in screen, "no blink from a folder name"
    assert_nothing_raw(screen)
    code, screen = run_in_pty(["brief", str(src / "missing \x1b]0;x\x07.txt")])
    assert code == 3 and "missing \\x1b]0;x\\x07.txt: no such file" in screen
    assert_nothing_raw(screen)


def test_log_lines_escape_what_they_name(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from summarize.cli.common import setup_logging

    setup_logging(False)
    logging.getLogger("summarize").warning("loading %s", "dir\x1b]0;t\x07\n[bold]x")
    err = capsys.readouterr().err
    assert err == "summarize: WARNING: loading dir\\x1b]0;t\\x07 [bold]x\n"


def test_models_table_and_pull_escape_registry_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from summarize.render.models import print_models_table

    console = Console(record=True, width=200, force_terminal=True)
    row = {
        "alias": "x[/bold]\x1b]0;t\x07", "role": "translator", "default": False,
        "hub_id": "[link=https://e.example]o/n", "revision": None,
        "license": "\x1b[5mMIT", "cached": "no", "size_bytes": 0,
        "conversions": [{"quantization": "int8\x1b[31m"}],
    }  # fmt: skip
    print_models_table("reg\x1b[31m.toml", [row], console)
    print_models_table("reg\x1b[31m.toml", [row], console, verbose=True)  # every field
    screen = console.export_text(styles=True)
    assert_nothing_raw(screen)
    assert "[link=https://e.example]o/n" in screen and "\\x1b[5mMIT" in screen


def test_model_output_with_controls_never_reaches_an_output() -> None:
    """A model folder's vocabulary can hold ESC or a bidi override; the English is cleaned."""
    from summarize.pipeline.translate import translate_sentences
    from summarize.registry import load_registry
    from tests.fakes import FakeModel

    class Hostile(FakeModel):
        def generate(self, texts: Any, max_new_tokens: Any, min_new_tokens: Any = None) -> Any:
            return ["\x1b]0;pwned\x07Hello \x1b[38;2;1;2;3mworld\u202e!" for _ in texts]

    model = Hostile(load_registry().default("translator"))
    assert translate_sentences(model, ["قال الوزير."]) == ["]0;pwned Hello [38;2;1;2;3mworld !"]


# -- the property: any names, through batch and the terminal ----------------------------------

NAME_PIECES = [
    "a", "ع", "خبر", " ", "-", "_", ".", "..", "[", "]", "[/x]", "[bold red]", "[link=https:",
    ":skull:", "\x1b", "\x1b[31m", "\x1b]0;t\x07", "\x1b]8;;", "\x07", "\x9b", "\r", "\n", "\t",
    "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "%", "#", "?", "&", "<", ">", '"', "'",
    "\\", "javascript:", "~", "*", "é", "\U0001f600",
]  # fmt: skip
# Terminal controls rich itself writes for a live progress display (no colour system here).
RICH_CONTROLS = re.compile(r"\x1b\[\?25[lh]|\x1b\[2K|\x1b\[1A|\x1b\[\d*[ABCDG]")


def _component(data: bytes) -> bool:
    return data not in (b"", b".", b"..") and b"/" not in data and b"\0" not in data


name_bytes = st.one_of(
    st.binary(min_size=1, max_size=30),
    st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=6).map(
        lambda parts: "".join(parts).encode("utf-8")
    ),
    st.integers(100, 126).map(lambda n: ("ع" * n).encode("utf-8")),  # near the 255-byte limit
    st.sampled_from([b".hidden", b".", b"caf\xe9", b"\xd9\xe4\xe6\xc7\xe4", b"\xff\xfe"]),
).filter(_component)
entry = st.tuples(
    st.one_of(st.none(), name_bytes),  # a folder to put it in, or none
    name_bytes,
    st.sampled_from([b".txt", b".txt", b".csv"]),  # .csv: not taken by the default globs
    st.sampled_from(["article", "article", "empty"]),
)


def _snapshot(root: Path, skip: Path) -> dict[bytes, bytes]:
    """Every file and link under ROOT outside SKIP, with its contents or its target."""
    seen: dict[bytes, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        if Path(os.fsdecode(dirpath)) == skip:
            dirnames[:] = []
            continue
        for name in [*filenames, *dirnames]:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                seen[path] = b"-> " + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    seen[path] = f.read()
    return seen


def _assert_terminal_safe(screen: str) -> None:
    rest = RICH_CONTROLS.sub("", screen)
    for ch in rest:
        if ch in "\n\r":
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"), (
            f"{ch!r} reached the terminal raw"
        )


@pytest.mark.fuzz
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(entries=st.lists(entry, min_size=1, max_size=6), link_out=st.booleans())
def test_any_names_through_batch_and_the_terminal(
    entries: list[tuple[bytes | None, bytes, bytes, str]], link_out: bool, fake_models: FakeModels
) -> None:
    """Arbitrary file names (any bytes, controls, markup, near the length limit), in an
    output folder where links to the outside were planted: nothing outside OUT changes, no
    control character reaches the terminal, every input has exactly one manifest record, and
    every name in OUT is UTF-8 and fits the file system."""
    from rich.console import Console

    from summarize.batch import BatchOptions, run_batch
    from summarize.cli.batch import file_progress, print_report
    from summarize.pipeline import Engine

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src, out, outside = root / "in", root / "out", root / "outside"
        for d in (src, out, outside):
            d.mkdir()
        (outside / "victim.txt").write_text(VICTIM_TEXT, encoding="utf-8")
        taken = set()
        for folder_name, stem, ext, content in entries:
            directory = os.fsencode(src) + (b"/" + folder_name if folder_name else b"")
            os.makedirs(directory, exist_ok=True)
            name = stem + ext
            if len(name) > 255 or os.path.isdir(directory + b"/" + name):
                continue
            with open(directory + b"/" + name, "wb") as f:
                f.write(b"" if content == "empty" else ARTICLE.encode("utf-8"))
            hidden = name.startswith(b".") or (folder_name or b"").startswith(b".")
            if ext == b".txt" and not hidden:
                taken.add(directory + b"/" + name)
        if link_out:  # a link in IN to a file outside it: left out, never read
            (src / "zz-link.txt").symlink_to(outside / "victim.txt")
        # Hostile state in OUT: a link where an output will go, a link as a subfolder.
        for link, target in ((b"a.txt.md", outside / "victim.txt"), (b"sub", outside)):
            os.symlink(os.fsencode(target), os.fsencode(out) + b"/" + link)
        before = _snapshot(root, out)

        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, color_system=None, width=80)
        with file_progress(console, quiet=False) as progress:
            report = run_batch(Engine(backend="fake"), BatchOptions(src, out), progress)
        print_report(console, report, quiet=False)

        assert _snapshot(root, out) == before, "a file outside OUT (or an input) changed"
        assert (outside / "victim.txt").read_text(encoding="utf-8") == VICTIM_TEXT
        _assert_terminal_safe(screen.getvalue())
        records = [
            json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()
        ]
        assert len(records) == len({r["path"] for r in records}) == len(taken) == report.total
        for record in records:
            if record["status"] == "ok":
                output = out / record["output"]
                assert output.resolve().is_relative_to(out.resolve())
                assert output.is_file() and not output.is_symlink()
        for _dirpath, dirnames, filenames in os.walk(out):
            for name in [*dirnames, *filenames]:
                assert len(name.encode("utf-8")) <= 255  # strict UTF-8, and fits


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
)
def test_any_text_through_the_brief_table(text: str, name: str) -> None:
    """The brief's terminal table shows any title, line, warning and model name as text."""
    from rich.console import Console

    from summarize.render import print_rich
    from summarize.results import Brief, BriefLine, ModelInfo

    info = ModelInfo("translator", name, None, None, "MIT", "fake", "cpu", "fp32")
    result = Brief(name, "utf-8", BriefLine(text, text), summary=[BriefLine(text, name)],
                   models=[info], warnings=[text])  # fmt: skip
    screen = io.StringIO()
    print_rich(result, Console(file=screen, force_terminal=True, color_system=None, width=80))
    _assert_terminal_safe(screen.getvalue())


# -- names on pages and in outputs: shown, never acted on ----------------------------------------

# Names that pose as others: a right-to-left override (`invoice‮txt.exe` reads `invoiceexe.txt`),
# zero-width characters, a bidi isolate, a BOM, a line separator, an escape.
POSING_NAMES = ["invoice\u202etxt.exe.txt", "a\u200bb\u200d.txt", "x\u2066y\u2069.txt",
                "\ufeffbom.txt", "line\u2028sep.txt", "t\x1b]0;x\x07.txt"]  # fmt: skip
FORMAT_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029\x1b\x07]")


def test_posing_names_are_shown_escaped_in_the_index_and_the_html_footer(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    """U+202E and zero-width characters in file names reached index.html and a brief's
    footer raw (a name could pose as another). Each is shown as its escape, wherever a name
    is shown to a person; the JSON keeps the name as it is (data, for programs)."""
    from typer.testing import CliRunner

    from summarize.cli import app

    src = folder(tmp_path, POSING_NAMES)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(src), "-o", str(out), "-f", "html"])
    assert result.exit_code == 0, result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert not FORMAT_CHARS.search(index), FORMAT_CHARS.findall(index)
    assert "invoice\\u202etxt.exe.txt" in index and "a\\u200bb\\u200d.txt" in index
    for page in out.glob("*.html"):
        if page.name != "index.html":
            footer = page.read_text(encoding="utf-8").rsplit("<footer>", 1)[1]
            assert not FORMAT_CHARS.search(footer), (page.name, footer)
    json_out = tmp_path / "json"
    result = CliRunner().invoke(app, ["batch", str(src), "-o", str(json_out), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    sources = {json.loads(p.read_text(encoding="utf-8"))["source"] for p in json_out.glob("*.json")}
    assert {Path(s).name for s in sources} == set(POSING_NAMES), "data keeps the names"


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_a_posing_model_folder_name_is_escaped_in_the_footer(
    fmt: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    from typer.testing import CliRunner

    from summarize.cli import app

    model = tmp_path / "opus\u202eno-ne\u200b"
    model.mkdir()
    article = folder(tmp_path, ["a.txt"]) / "a.txt"
    result = CliRunner().invoke(app, ["translate", str(article), "-f", fmt,
                                      "--translator", str(model)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = "opus\\\\u202eno-ne\\\\u200b" if fmt == "markdown" else "opus\\u202eno-ne\\u200b"
    assert shown in result.stdout  # Markdown escapes the backslash: it renders as `\u202e`
    assert not FORMAT_CHARS.search(result.stdout), FORMAT_CHARS.findall(result.stdout)


def test_models_remove_escapes_the_cache_paths_it_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's path comes from HF_HOME and the disk: an escape sequence in it reached the
    terminal raw in `models remove`'s list."""
    from typer.testing import CliRunner

    from summarize.cli import app

    hf = tmp_path / "hf\x1b]0;pwned\x07\u202e"
    repo = hf / "hub" / "models--Helsinki-NLP--opus-mt-ar-en" / "snapshots" / "x"
    repo.mkdir(parents=True)
    (repo / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("HF_HOME", str(hf))
    result = CliRunner().invoke(app, ["models", "remove", "opus-mt-ar-en", "--yes"])
    assert result.exit_code == 0, result.stderr
    assert "hf\\x1b]0;pwned\\x07\\u202e" in result.stderr
    assert_nothing_raw(result.stderr)
    assert not repo.exists()
    missing = CliRunner().invoke(app, ["models", "remove", "org/x\u202eyz", "--yes"])
    assert "org/x\\u202eyz" in missing.stderr and "\u202e" not in missing.stderr


def test_config_shows_odd_values_escaped_to_people_and_raw_to_scripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from summarize.cli import app

    registry = tmp_path / "models\u202e.toml"
    registry.write_text((REPO / "models.toml").read_text(encoding="utf-8"), encoding="utf-8")
    set_ = CliRunner().invoke(app, ["config", "set", "registry", str(registry)])
    assert set_.exit_code == 0 and "models\\u202e.toml" in set_.stderr, set_.stderr
    listed = CliRunner().invoke(app, ["config", "list", "-f", "text"])
    assert "models\\u202e.toml" in listed.stdout and "\u202e" not in listed.stdout
    got = CliRunner().invoke(app, ["config", "get", "registry"])  # a pipe: for scripts
    assert got.stdout == f"{registry}\n"


def test_the_index_escapes_names_but_keeps_article_text_as_written() -> None:
    """Only a file name is escaped: an Arabic title keeps its zero-width non-joiner and marks
    (they are part of the writing), while the file under it shows its U+202E."""
    from dataclasses import dataclass

    from summarize.render.index import index_page

    @dataclass
    class Row:
        path: str = "x\u202etxt.exe"
        status: str = "ok"
        output: str | None = "x.html"
        error: str | None = None
        title_ar: str | None = "مي\u200cخواهم\u200f"
        title_en: str | None = None
        summary_en: str | None = None
        finished: str | None = None
        reused: bool = False

    page = index_page([Row()])
    assert "مي\u200cخواهم\u200f" in page
    assert "x\\u202etxt.exe" in page and "\u202e" not in page


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_eval_tables_escape_a_posing_model_folder_name(
    fmt: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    """The system column names the model folder: it reached the text and Markdown tables raw."""
    from typer.testing import CliRunner

    from summarize.cli import app

    model = tmp_path / "opus\u202ex\x1b]0;t\x07"
    model.mkdir()
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"id": "1", "ar": "قال الوزير", "en": "The minister said"}) + "\n",
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(app, ["eval", "translate", str(refs), "--translator", str(model),
                                      "-f", fmt])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = "opus\\u202ex\\x1b]0;t\\x07" if fmt == "text" else "opus\\\\u202ex\\\\x1b\\]0;t\\\\x07"
    assert shown in result.stdout, result.stdout  # Markdown escapes the backslash and `]`
    assert_nothing_raw(result.stdout)
