"""`summarize models`: size on disk, conversions, remove (with a confirmation), pull progress."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.backends.conversion import CONVERSION_VERSION, MARKER, cache_root
from summarize.backends.hub import hub_cache_dir
from summarize.cli import app
from summarize.errors import OutputError
from summarize.fileio import human_size

runner = CliRunner()
ARABART = "models--ahmeddbahaa--AraBART-finetuned-ar"


def fake_cached_arabart() -> tuple[Path, Path]:
    """AraBART as the hub client leaves it (a blob, a snapshot linking to it), and one
    CTranslate2 conversion of it."""
    repo = hub_cache_dir() / ARABART
    (repo / "blobs").mkdir(parents=True)
    (repo / "blobs" / "abc123").write_bytes(b"w" * 250_000)
    snapshot = repo / "snapshots" / ("f" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").symlink_to(repo / "blobs" / "abc123")
    converted = cache_root() / "arabart-0123456789ab-int8"
    converted.mkdir(parents=True)
    (converted / "model.bin").write_bytes(b"c" * 60_000)
    marker = {
        "version": CONVERSION_VERSION,
        "source": str(snapshot),
        "quantization": "int8",
        "spec": "arabart",
        "files": {"model.bin": 60_000},
    }
    (converted / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    # another model's conversion, which must be left alone
    other = cache_root() / "arabart-extra-0123456789ab-int8"
    other.mkdir()
    (other / MARKER).write_text(json.dumps({**marker, "spec": "arabart-extra"}), encoding="utf-8")
    return repo, converted


def models_json() -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["models", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return {m["alias"]: m for m in json.loads(result.stdout)["models"]}


def test_models_shows_size_on_disk_and_conversions() -> None:
    _, converted = fake_cached_arabart()
    rows = models_json()
    assert rows["arabart"]["size_bytes"] == 250_000, "the link is not counted twice"
    (conversion,) = rows["arabart"]["conversions"]  # type: ignore[misc]
    assert conversion["quantization"] == "int8" and conversion["size_bytes"] > 60_000
    assert rows["mt5-xlsum"]["size_bytes"] == 0 and rows["mt5-xlsum"]["conversions"] == []
    assert conversion["status"] == "ready"
    # what a plain command runs each model with, and whether its conversion is ready
    assert rows["arabart"]["runs_with"] == {
        "backend": "ctranslate2", "device": "cpu", "precision": "int8", "converted": True,
    }  # fmt: skip
    assert rows["mt5-xlsum"]["runs_with"]["converted"] is False  # type: ignore[index]
    table = runner.invoke(app, ["models"]).stdout
    assert "| size | converted | runs with |" in table
    assert "| 250.0 KB | int8 | ctranslate2 int8 |" in table
    assert "| ctranslate2 int8 (converts on first use or pull) |" in table
    # a conversion made by an older summarize is shown as such, and will be redone
    marker = json.loads((converted / MARKER).read_text(encoding="utf-8"))
    (converted / MARKER).write_text(json.dumps({**marker, "version": 1}), encoding="utf-8")
    table = runner.invoke(app, ["models"]).stdout
    assert "| int8 (made by an older version of summarize) | ctranslate2 int8 (converts" in table
    reference = runner.invoke(app, ["models"], env={"SUMMARIZE_BACKEND": "transformers"})
    assert "| transformers int8 |" in reference.stdout


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 bytes"), (999, "999 bytes"), (1000, "1.0 KB"), (2_330_000_000, "2.3 GB"),
     (999_960, "1.0 MB")],
)  # fmt: skip
def test_human_size(size: int, shown: str) -> None:
    assert human_size(size) == shown


def test_remove_asks_then_frees_cache_and_conversions() -> None:
    repo, converted = fake_cached_arabart()
    declined = runner.invoke(app, ["models", "remove", "arabart"], input="n\n")
    assert declined.exit_code == 0 and "nothing removed" in declined.stderr
    assert re.search(r"Remove these \(310\.\d KB\)\? \[y/N\]", declined.stderr)  # what it frees
    assert str(repo) in declined.stderr and str(converted) in declined.stderr
    assert repo.is_dir() and converted.is_dir()
    no_answer = runner.invoke(app, ["models", "remove", "arabart"], input="")
    assert no_answer.exit_code == 2 and "--yes" in no_answer.stderr
    assert repo.is_dir()
    agreed = runner.invoke(app, ["models", "remove", "arabart"], input="y\n")
    assert agreed.exit_code == 0, agreed.stderr
    assert "removed 2 folder(s)" in agreed.stderr
    assert not repo.exists() and not converted.exists()
    assert (cache_root() / "arabart-extra-0123456789ab-int8").is_dir(), "others are kept"
    assert models_json()["arabart"]["size_bytes"] == 0
    again = runner.invoke(app, ["models", "remove", "arabart", "--yes"])
    assert again.exit_code == 0 and "nothing to remove" in again.stderr


def test_remove_with_yes_does_not_ask_and_unknown_names_are_refused() -> None:
    repo, _ = fake_cached_arabart()
    result = runner.invoke(app, ["models", "remove", "--yes", "arabart"])
    assert result.exit_code == 0 and "?" not in result.stderr and not repo.exists()
    unknown = runner.invoke(app, ["models", "remove", "nope", "--yes"])
    assert unknown.exit_code == 8 and "unknown model 'nope'; known: mt5-xlsum" in unknown.stderr


def test_pull_shows_the_hubs_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.utils as hub_utils

    from summarize.backends.tokenizers import quiet_libraries
    from summarize.modelcache import show_download_progress

    try:
        quiet_libraries()
        show_download_progress(False)
        assert hub_utils.are_progress_bars_disabled()
        monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        show_download_progress(True)
        assert hub_utils.are_progress_bars_disabled()
        monkeypatch.delenv("HF_HUB_DISABLE_PROGRESS_BARS")
        show_download_progress(True)
        assert not hub_utils.are_progress_bars_disabled()
    finally:
        hub_utils.disable_progress_bars()


def test_pull_takes_the_defaults_in_effect(monkeypatch: pytest.MonkeyPatch) -> None:
    """`models pull` with no name pulls the configured summarizer; offline it says how out."""
    assert runner.invoke(app, ["config", "set", "summarizer", "arabart"]).exit_code == 0
    result = runner.invoke(app, ["models", "pull"])
    assert result.exit_code == 8
    # both defaults named at once, before any pull starts, with the way out of a pull
    both = "cannot download 'arabart' (ahmeddbahaa/AraBART-finetuned-ar@refs/pr/1) and 'opus-mt"
    assert both in result.stderr, result.stderr
    assert "offline mode is on" in result.stderr and "pulling" not in result.stderr
    assert "summarize models pull" not in result.stderr and "DIR" not in result.stderr
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_a_default_outside_the_registry_is_named_under_the_table(
    tmp_path: Path, tiny_mt5_dir: Path
) -> None:
    import io
    import shutil

    from rich.console import Console

    from summarize.modelcache import model_rows, registry_in_effect
    from summarize.render.models import print_models_table

    model = tmp_path / "my-mt5"
    shutil.copytree(tiny_mt5_dir, model)  # `config set` checks that a folder holds a model
    assert runner.invoke(app, ["config", "set", "summarizer", str(model)]).exit_code == 0
    data = json.loads(runner.invoke(app, ["models", "-f", "json"]).stdout)
    assert data["defaults"]["summarizer"] == {"name": str(model), "source": "config"}
    assert not [m for m in data["models"] if m["role"] == "summarizer" and m["default"]]
    registry, chosen = registry_in_effect()
    roles = ("summarizer", "translator")
    defaults = {r: {"name": chosen[r].value, "source": chosen[r].source} for r in roles}
    out = io.StringIO()
    rows = model_rows(registry, {r: str(chosen[r].value) for r in roles})
    print_models_table(registry.path, rows, Console(file=out, width=200), defaults)
    assert f"summarizer in effect: {model} (config)" in out.getvalue()
    assert "translator in effect" not in out.getvalue()


def test_pull_converts_for_what_a_plain_command_runs(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pulled model is converted too (CTranslate2 int8 by default), so an offline machine
    never converts at first use; once converted, a second pull converts nothing."""
    from summarize.backends import hub
    from summarize.backends.conversion import check_conversion, read_marker

    monkeypatch.setattr(hub, "download", lambda spec, **_: tiny_marian_dir)
    monkeypatch.setattr(hub, "missing_models", lambda specs, **_: None)  # the hub answers
    result = runner.invoke(app, ["models", "pull", "opus-mt-ar-en"])
    assert result.exit_code == 0, result.stderr
    assert "summarize: converting opus-mt-ar-en to CTranslate2 (int8)" in result.stderr
    assert re.search(r"converted opus-mt-ar-en in \d+ s: [\d.]+ KB", result.stderr)
    (folder,) = [p for p in cache_root().iterdir() if not p.name.startswith(".")]
    assert check_conversion(folder) is None and folder.name.endswith("-int8")
    assert (read_marker(folder) or {})["vmap"] == "latin"
    again = runner.invoke(app, ["models", "pull", "opus-mt-ar-en"])
    assert again.exit_code == 0 and "converting" not in again.stderr
    reference = runner.invoke(
        app, ["models", "pull", "opus-mt-ar-en"], env={"SUMMARIZE_PRECISION": "fp32"}
    )
    assert reference.exit_code == 0 and "CTranslate2 (float32)" in reference.stderr
    plain = runner.invoke(
        app, ["models", "pull", "opus-mt-ar-en"], env={"SUMMARIZE_BACKEND": "transformers"}
    )
    assert plain.exit_code == 0 and "convert" not in plain.stderr


def test_the_cache_lists_and_removes_a_models_folders_through_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `models remove` does, without the command line: the folders a model owns (its hub
    cache and its conversions, not another model's), their sizes, and their removal."""
    from summarize.modelcache import cached_folders, registry_in_effect, remove
    from summarize.registry import resolve_for_pull

    repo, converted = fake_cached_arabart()
    registry, _ = registry_in_effect()
    folders = cached_folders([resolve_for_pull("arabart", registry)])
    assert [(f.what, f.path) for f in folders] == [
        ("arabart: Hugging Face cache", repo),
        ("arabart: CTranslate2 conversion (int8)", converted),
    ]
    assert folders[0].size >= 250_000 and folders[1].size >= 60_000

    def refused(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:  # a folder that cannot go (read-only, root's): named
        m.setattr(shutil, "rmtree", refused)
        with pytest.raises(OutputError, match=f"cannot remove {repo}: Permission denied"):
            remove(folders)
    remove(folders)
    assert not repo.exists() and not converted.exists()
    assert (cache_root() / "arabart-extra-0123456789ab-int8").is_dir()
    remove(folders)  # gone already: nothing to say


def terminal_models(width: int, *args: str) -> str:
    """`summarize models ARGS` as a terminal of WIDTH columns shows it."""
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from summarize.cli import models

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    terminal = SimpleNamespace(stdout=SimpleNamespace(isatty=lambda: True))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models, "stdout_console", lambda: console)
        patch.setattr(models, "sys", terminal)
        result = runner.invoke(app, ["models", *args])
    assert result.exit_code == 0, result.stderr
    return out.getvalue()


ALIASES = ("mt5-xlsum", "arabart", "extractive", "opus-mt-ar-en", "opus-mt-tc-big-ar-en")


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_models_table_never_cuts_an_alias(width: int) -> None:
    """Before: at 80 columns every alias was cut (mt5-x…, opus-…) and "runs with" wrapped over
    six lines; at 120 the two translators could not be told apart."""
    screen = terminal_models(width)
    lines = screen.splitlines()
    assert all(len(line) <= width for line in lines), screen
    for alias in ALIASES:  # each whole, at the start of its own line (the list form indents)
        assert any(line.lstrip().split(" ")[0] == alias for line in lines), (alias, screen)
    assert any(line.strip().startswith("opus-mt-ar-en *") for line in lines), "the default"
    body = screen.partition("* the default")[0]  # the hints under it name NAME…
    assert "…" not in body, screen


def test_models_table_has_few_columns_and_verbose_every_field() -> None:
    short = terminal_models(80)
    header = next(line for line in short.splitlines() if line.startswith("model"))
    assert header.split() == ["model", "licence", "cached", "runs", "with"]
    assert max(len([w for w in line.split("  ") if w.strip()]) for line in short.splitlines()) <= 4
    rows = [line for line in short.splitlines() if line.startswith(ALIASES)]
    assert len(rows) == len(ALIASES), "one line per model at 80 columns"
    assert "Helsinki-NLP" not in short and "summarize models -v" in short
    full = terminal_models(80, "-v")
    assert "Helsinki-NLP/opus-mt-tc-big-ar-en@633b76a" in full.replace("\n", "")
    assert "csebuetnlp/mT5_multilingual_XLSum@refs/pr/7" in full
    assert "BLEU 42.6" in full and "summarize models -v" not in full
    for alias in ALIASES:
        assert f"\n  {alias}" in full


def test_models_table_says_a_cached_model_converts_on_first_use() -> None:
    """A conversion still to come is worth a word only where the model is there to convert
    (a pull converts it anyway)."""
    from summarize.render.models import _terminal_cells

    runs = {"backend": "ctranslate2", "device": "cpu", "precision": "int8", "converted": False}
    row = {"license": "Apache-2.0", "cached": "yes", "size_bytes": 250_000, "runs_with": runs}
    cells = _terminal_cells(row, verbose=False)
    assert cells["cached"] == "yes, 250.0 KB"
    assert cells["runs with"] == "ctranslate2 int8 (converts on first use)"
    absent = _terminal_cells({**row, "cached": "no", "size_bytes": 0}, verbose=False)
    assert absent["cached"] == "no" and absent["runs with"] == "ctranslate2 int8"
    ready = _terminal_cells({**row, "runs_with": {**runs, "converted": True}}, verbose=False)
    assert ready["runs with"] == "ctranslate2 int8"
