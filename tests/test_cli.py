"""Every command and format through the real CLI, on the fake backend (tier b)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.errors import (
    BatchIncomplete,
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    ModelError,
    NotArabic,
    RegistryError,
    UndecodableInput,
)
from summarize.render.html import SCRIPT
from tests.fakes import FakeModels
from tests.samples import SAMPLES, sample

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def without_own_script(page: str) -> str:
    """An HTML page without the one script the page itself carries (render.html.SCRIPT)."""
    return page.replace(f"<script>{SCRIPT}</script>", "")


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_brief_json_has_aligned_nonempty_pairs(sample: Path, fake_models: FakeModels) -> None:
    code, out, err = run("brief", str(sample), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "summarize/1" and data["kind"] == "brief"
    assert data["summary"], "a brief must have at least one summary sentence"
    for pair in data["summary"]:
        assert pair["ar"].strip() and pair["en"].strip()
    assert data["stats"]["chunks"] >= 1 and data["stats"]["words"] > 100
    roles = [m["role"] for m in data["models"]]
    assert roles == ["summarizer", "translator"]
    assert set(data["timings"]) == {"load_s", "summarize_s", "translate_s", "total_s"}


def test_brief_title_is_the_headline(fake_models: FakeModels) -> None:
    article = sample("tokayev-sco-interview-with-lang-switcher.txt")
    data = json.loads(run("brief", str(article), "-f", "json")[1])
    assert data["title"]["ar"].startswith("رئيس كازاخستان يدعو")
    assert data["title"]["en"].startswith("EN(")
    # furniture never reaches a model
    sent = [t for call in fake_models.loaded["summarizer"].calls for t in call]
    sent += [t for call in fake_models.loaded["translator"].calls for t in call]
    for furniture in ("Ru En", "٠١ يوليو", "الصورة:"):
        assert not any(furniture in t for t in sent), furniture


def test_translate_keeps_paragraphs_and_every_sentence(fake_models: FakeModels) -> None:
    article = sample("kazakhstan-regional-hub-with-page-counters.txt")
    code, out, err = run("translate", str(article), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    pairs = data["translation"]
    assert pairs and all(p["ar"] and p["en"] for p in pairs)
    assert len({p["paragraph"] for p in pairs}) == data["stats"]["paragraphs"] > 3
    assert len(pairs) == data["stats"]["sentences"]
    # the English of each pair comes from its own Arabic sentence
    for p in pairs:
        assert p["en"] == f"EN({len(p['ar'].split())}): {p['ar'].split()[0]}"


def test_sentences_one_per_line_paragraphs_by_one_blank_line(fake_models: FakeModels) -> None:
    article = sample("tokayev-sco-interview-with-lang-switcher.txt")
    code, out, _ = run("sentences", str(article))
    assert code == 0
    assert "\n\n\n" not in out and out.endswith("\n") and not out.startswith("\n")
    lines = out.splitlines()
    assert "Ru En" not in lines and "0" not in lines
    assert len([ln for ln in lines if not ln]) >= 5
    assert fake_models.loaded == {}, "sentences must not load a model"


def test_sentences_jsonl_and_stdin() -> None:
    text = "قال الوزير إن النمو بلغ 3.5 في المئة.وأضاف أن الخطة جاهزة؟\n\nفقرة ثانية هنا."
    code, out, _ = run("sentences", "-", "-f", "jsonl", input=text)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == [
        "قال الوزير إن النمو بلغ 3.5 في المئة.",
        "وأضاف أن الخطة جاهزة؟",
        "فقرة ثانية هنا.",
    ]
    assert [r["paragraph"] for r in rows] == [0, 0, 1]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "jsonl", "html"])
def test_every_format_for_brief_and_translate(fmt: str, fake_models: FakeModels) -> None:
    sample = str(SAMPLES[0])
    for command in ("brief", "translate"):
        code, out, err = run(command, sample, "-f", fmt)
        assert code == 0, err
        assert "\x1b[" not in out, "no ANSI codes when stdout is not a terminal"
        if fmt == "jsonl":
            assert len(out.splitlines()) == 1 and json.loads(out)["kind"]
        if fmt == "html":
            assert 'dir="rtl"' in out and "<script" not in without_own_script(out)
        if fmt == "markdown":
            assert "| English | العربية |" in out


def test_default_format_in_a_pipe_is_markdown(fake_models: FakeModels) -> None:
    code, out, _ = run("brief", str(SAMPLES[1]))
    assert code == 0 and out.startswith("# ") and "|:--|--:|" in out


def test_stdin_is_read_with_dash(fake_models: FakeModels) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    code, out, _ = run("brief", "-", "-f", "json", input=text)
    assert code == 0 and json.loads(out)["source"] == "-"


def test_markdown_escapes_table_breaking_text(fake_models: FakeModels) -> None:
    text = "قال المسؤول | إن الخطة <b>جاهزة</b> تماما.\nوأكد أن العمل مستمر."
    code, out, _ = run("translate", "-", "-f", "markdown", input=text)
    assert code == 0
    row = next(line for line in out.splitlines() if "الخطة" in line)
    assert row.count(" | ") == 1 and "\\|" in row and "\\<b\\>" in row


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], int]]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (tmp / "english.txt").write_text("Only English here. Nothing else at all.", encoding="utf-8")
    (tmp / "big.txt").write_text("كلمة " * 5000, encoding="utf-8")
    return {
        "missing": ([str(tmp / "nope.txt")], InputNotFound.exit_code),
        "directory": ([str(tmp)], InputNotFound.exit_code),
        "empty": ([str(tmp / "empty.txt")], EmptyInput.exit_code),
        "whitespace": ([str(tmp / "blank.txt")], EmptyInput.exit_code),
        "binary": ([str(tmp / "image.png")], UndecodableInput.exit_code),
        "english": ([str(tmp / "english.txt")], NotArabic.exit_code),
        "too large": ([str(tmp / "big.txt"), "--max-chars", "1000"], InputTooLarge.exit_code),
        "unknown model": (
            [str(SAMPLES[0]), "--summarizer", "no-such-model"],
            ModelError.exit_code,
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "directory",
        "empty",
        "whitespace",
        "binary",
        "english",
        "too large",
        "unknown model",
    ],
)
def test_bad_input_one_line_and_its_exit_code(
    case: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    args, expected = _bad_inputs(tmp_path)[case]
    code, out, err = run("brief", *args)
    assert code == expected, err
    assert out == ""
    assert err.startswith("summarize: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_unknown_model_names_the_choices(fake_models: FakeModels) -> None:
    _, _, err = run("brief", str(SAMPLES[0]), "--translator", "nope")
    assert "known: opus-mt-ar-en" in err and "local model directory" in err


def test_invalid_registry_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text("schema = 1\n[defaults\n", encoding="utf-8")
    code, _, err = run("brief", str(SAMPLES[0]), "--models", str(bad))
    assert code == RegistryError.exit_code and str(bad) in err and "invalid TOML" in err
    registry = (REPO / "models.toml").read_text(encoding="utf-8")
    bad.write_text(registry.replace("max_input_tokens = 512", 'max_input_tokens = "lots"', 1))
    code, _, err = run("models", "--models", str(bad))
    assert code == RegistryError.exit_code
    assert "models.mt5-xlsum.max_input_tokens must be int" in err


def test_model_that_yields_nothing_warns_not_crashes(fake_models: FakeModels) -> None:
    fake_models.empty_roles = {"summarizer"}
    code, out, err = run("brief", str(SAMPLES[0]), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["summary"] == []
    assert "the summarizer produced no text for this article" in data["warnings"]


def test_translator_output_is_bounded_by_input_length(fake_models: FakeModels) -> None:
    run("translate", str(SAMPLES[2]), "-f", "json")
    model = fake_models.loaded["translator"]
    gen = model.spec.generation
    assert gen.max_new_tokens_ratio is not None
    for texts, bounds in zip(model.calls, model.bounds, strict=True):
        for text, bound in zip(texts, bounds, strict=True):
            expected = int(gen.max_new_tokens_ratio * model.count_tokens(text))
            assert bound == min(gen.max_new_tokens, expected + gen.max_new_tokens_slack)


def test_long_article_is_map_reduced(tmp_path: Path, fake_models: FakeModels) -> None:
    registry = (REPO / "models.toml").read_text(encoding="utf-8")
    small = tmp_path / "small.toml"
    small.write_text(registry.replace("max_input_tokens = 512", "max_input_tokens = 40"))
    long_article = "\n\n".join(s.read_text(encoding="utf-8") for s in SAMPLES)
    code, out, err = run("brief", "-", "-f", "json", "--models", str(small), input=long_article)
    assert code == 0, err
    data = json.loads(out)
    assert data["stats"]["chunks"] > 10
    assert data["stats"]["reduce_rounds"] >= 1
    summarizer = fake_models.loaded["summarizer"]
    for call in summarizer.calls:
        assert all(summarizer.count_tokens(t) <= 40 for t in call)
    assert data["summary"] and len(data["summary"]) == data["stats"]["summary_sentences"]


def test_jsonl_in_and_out_keeps_ids_order_and_errors(fake_models: FakeModels) -> None:
    article = SAMPLES[0].read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": article}),
        "{not json",
        json.dumps({"id": 7, "text": "English only, sorry."}),
        json.dumps({"text": article}),
    ]
    code, out, _ = run("brief", "--input", "jsonl", "-f", "jsonl", input="\n".join(lines) + "\n")
    assert code == BatchIncomplete.exit_code
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, 7, 4]
    assert rows[0]["summary"] and "error" not in rows[0]
    assert "not valid JSON" in rows[1]["error"]
    assert rows[2]["exit_code"] == NotArabic.exit_code
    assert rows[3]["kind"] == "brief"


def test_models_lists_every_model_with_licence() -> None:
    code, out, _ = run("models", "-f", "json")
    assert code == 0
    rows = {r["alias"]: r for r in json.loads(out)["models"]}
    assert {"mt5-xlsum", "arabart", "opus-mt-ar-en"} <= set(rows)
    assert rows["mt5-xlsum"]["license"] == "CC-BY-NC-SA-4.0" and rows["mt5-xlsum"]["default"]
    assert rows["opus-mt-ar-en"]["revision"] == "0a22ca0fe7fd0e314f4913e606ddc07d1ff9d718"
    assert all(r["cached"] == "no" for a, r in rows.items() if a != "extractive")
    assert rows["extractive"]["cached"] == "built in" and rows["extractive"]["hub_id"] is None
    assert (
        rows["extractive"]["license"] == "Apache-2.0" and rows["extractive"]["role"] == "summarizer"
    )
    code, out, _ = run("models")
    assert code == 0 and "| mt5-xlsum (default) | summarizer |" in out
    assert "| extractive | summarizer |  |  | Apache-2.0 | built in |" in out


def test_models_pull_offline_says_how_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, _, err = run("brief", str(SAMPLES[0]), "--offline")
    assert code == ModelError.exit_code
    assert "summarize models pull mt5-xlsum" in err and "local directory" in err


def test_help_does_not_import_torch() -> None:
    probe = (
        "import sys, summarize.cli; print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    help_out = subprocess.run(
        [sys.executable, "-m", "summarize", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("brief", "translate", "sentences", "models", "batch"):
        assert command in help_out.stdout


def test_no_network_fails_fast_without_hub_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no network and no HF_HUB_OFFLINE, a missing model fails at once, not after retries."""
    import socket

    import huggingface_hub

    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise OSError(101, "Network is unreachable")

    real_snapshot = huggingface_hub.snapshot_download

    def cache_only(*args: object, **kwargs: object) -> object:
        assert kwargs.get("local_files_only"), "no download may be attempted"
        return real_snapshot(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", cache_only)
    for args in (["brief", str(SAMPLES[0])], ["models", "pull", "opus-mt-ar-en"]):
        code, _, err = run(*args)
        assert code == ModelError.exit_code
        assert "the hub cannot be reached (huggingface.co: Network is unreachable)" in err
        assert err.count("\n") <= 2 and "Retrying" not in err
        # a pull's way out is not a pull, nor --offline; a brief's is
        assert ("--offline" in err) == (args[0] == "brief"), err


def test_sentences_explain_names_the_rule_of_each_decision() -> None:
    article = sample("tokayev-sco-interview-with-lang-switcher.txt")
    code, out, err = run("sentences", str(article), "--explain")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["removed", "language-switcher"] and lines[0].endswith("Ru En")
    assert any(line.startswith("headline ") and "رئيس كازاخستان" in line for line in lines)
    assert any(line.startswith("split ") for line in lines)
    code, out, _ = run("sentences", str(article), "--explain", "-f", "json")
    data = json.loads(out)
    assert data["kind"] == "explain" and {d["step"] for d in data["decisions"]} == {
        "furniture", "title", "paragraphs", "sentences"
    }  # fmt: skip
    # every format in the same words: JSON Lines' "decision" is the text output's first column
    words = [line[:10].rstrip() for line in lines]
    code, out, _ = run("sentences", str(article), "--explain", "-f", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["decision"] for r in records] == words
    assert {"removed", "headline", "paragraphs", "split"} <= set(words)
    assert [d["decision"] for d in data["decisions"]] == words
    code, _, err = run("sentences", "--input", "jsonl", "--explain", input='{"text": "نص"}\n')
    assert code == 2 and "--explain works on one article" in err


def test_published_date_of_a_saved_page_reaches_the_json(fake_models: FakeModels) -> None:
    page = REPO / "tests/data/news/raw/lb-cnnarabic-syria-clashes-2013.html"
    code, out, err = run("translate", str(page), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["published"] == "2013-08-28"
    code, out, _ = run(
        "translate", str(sample("qatar-emir-state-visit-kazakhstan.txt")), "-f", "json"
    )
    assert "published" in json.loads(out)


@pytest.mark.parametrize(
    "command",
    [[], ["brief"], ["translate"], ["sentences"], ["batch"], ["models"], ["models", "pull"],
     ["models", "demo"], ["eval", "translate"], ["eval", "summarize"]],
    ids=lambda c: " ".join(c) or "summarize",
)  # fmt: skip
def test_help_speaks_the_users_language(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(*command, "--help")
    assert code == 0
    for internal in ("<str>", "<list[", "<path>"):
        assert internal not in out, (internal, out)
    usage, *rest = out.splitlines()
    assert "{" not in usage, usage
    if not command:  # every command listed with its whole short description
        assert not [line for line in rest if line.rstrip().endswith("...")], out


def test_size_messages_read_like_sizes(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("قال الوزير إن الخطة جاهزة. " * 10, encoding="utf-8")
    code, _, err = run("sentences", str(article), "--max-chars", "10")
    assert code == InputTooLarge.exit_code
    # refused by its size before reading: bytes against what 10 characters can take (40 bytes)
    assert "is 480 bytes, more than the limit of 10 characters can take (40 bytes at most" in err
    assert "MB" not in err
    # through the real entry point, as a user meets it: one line, exit 2
    done = subprocess.run(
        [sys.executable, "-m", "summarize", "sentences", str(article), "--max-chars", "9" * 20],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("summarize: error: ") and done.stderr.count("\n") == 1


def test_input_jsonl_refuses_a_format_it_would_ignore() -> None:
    code, out, err = run("sentences", "--input", "jsonl", "-f", "html", input='{"text": "نص"}\n')
    assert code == 2 and out == "" and "-f html does not apply" in err
    code, _, err = run("models", "-f", "html")
    assert code == 2 and "'html' is not one of" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["brief", "--formt", "json"], "No such option: --formt"),
        (["brief", "-f", "xml"], "'--format' / '-f': 'xml' is not one of 'text', 'markdown'"),
        (["batch", "in", "-o", "out", "-f", "text"], "'text' is not one of 'markdown'"),
        (["brief", "--device", "tpu"], "'--device': 'tpu' is not one of 'auto', 'cpu', 'cuda' ("),
        (["batch", "in"], "Missing option '--out'"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_usage_errors_are_one_line_through_the_real_entry_point(args: list[str], says: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "summarize", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("summarize: error: ") and done.stderr.count("\n") == 1, (
        done.stderr
    )
    assert says in done.stderr and "--help" in done.stderr
    # the parser's wording, not its library's: no "Value error," and no ". (see"
    assert "Value error" not in done.stderr and ". (see" not in done.stderr, done.stderr


def test_one_error_boundary_around_every_command_and_callback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every command (and the `models` listing, a group callback) runs inside the root group's
    one boundary: our errors, Ctrl-C and bugs each become one line and an exit code."""
    import re

    import typer

    from summarize import config, modelcache
    from summarize.cli.common import Boundary

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    def registry_error(*args: object, **kwargs: object) -> None:
        raise RegistryError("models.toml: broken")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(config, "set_value", boom)
    monkeypatch.setattr(modelcache, "model_rows", registry_error)
    monkeypatch.setattr(config, "unset_value", interrupt)
    cases = [
        (
            ["config", "set", "threads", "2"],
            1,
            "summarize: error: internal error: RuntimeError: boom",
        ),
        (["models", "-f", "json"], 9, "summarize: error: models.toml: broken"),
        (["config", "unset", "threads"], 130, "summarize: error: interrupted"),
    ]
    for args, code, line in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith(line) and result.stderr.count("\n") == 1, result.stderr
    # one boundary: no command guards itself
    assert isinstance(typer.main.get_command(app), Boundary)
    cli = Path(__file__).resolve().parent.parent / "summarize" / "cli"
    guards = [
        p.name
        for p in cli.glob("*.py")
        if re.search(r"except (SummarizeError|KeyboardInterrupt)", p.read_text("utf-8"))
    ]
    assert guards == ["common.py"]
