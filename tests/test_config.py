"""The user's config file: `summarize config`, and flag > environment > config file > default."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize import config
from summarize.cli import app
from tests.fakes import FakeModels
from tests.samples import sample

REPO = Path(__file__).resolve().parent.parent
SAMPLE = sample("qatar-emir-state-visit-kazakhstan.txt")
runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def summarizer_used(fake: FakeModels, *args: str) -> str:
    fake.loaded.clear()  # the fakes are made per role on first load: start afresh
    code, out, err = run("brief", str(SAMPLE), "-f", "json", *args)
    assert code == 0, err
    return str(json.loads(out)["models"][0]["name"])


def listed() -> dict[str, dict[str, str]]:
    code, out, err = run("config", "list", "-f", "json")
    assert code == 0, err
    return {s["key"]: s for s in json.loads(out)["settings"]}


def test_config_set_summarizer_makes_a_plain_brief_use_it(fake_models: FakeModels) -> None:
    assert summarizer_used(fake_models) == "mt5-xlsum"
    code, _, err = run("config", "set", "summarizer", "arabart")
    assert code == 0, err
    assert summarizer_used(fake_models) == "arabart"
    # `models -f json` marks the default in effect, and says where it comes from
    data = json.loads(run("models", "-f", "json")[1])
    defaults = {m["alias"] for m in data["models"] if m["default"]}
    assert defaults == {"arabart", "opus-mt-ar-en"}
    assert data["defaults"]["summarizer"] == {"name": "arabart", "source": "config"}
    assert data["defaults"]["translator"]["source"] == "registry"
    # `config list` shows each value and its source
    settings = listed()
    assert settings["summarizer"]["value"] == "arabart"
    assert settings["summarizer"]["source"] == "config"
    assert settings["summarizer"]["origin"] == str(config.config_path())
    assert settings["translator"] == {
        "key": "translator",
        "value": "opus-mt-ar-en",
        "source": "registry",
        "origin": settings["registry"]["value"],
        "env": "SUMMARIZE_TRANSLATOR",
        "error": None,
    }
    assert settings["backend"]["source"] == "env"  # the fake backend comes from SUMMARIZE_BACKEND
    assert settings["precision"]["source"] == "built-in"
    text = run("config", "list")[1]
    assert "arabart" in text and "config file (" in text and "registry default (" in text


def test_flag_beats_environment_beats_config_file_beats_default(
    fake_models: FakeModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("config", "set", "summarizer", "arabart")
    run("config", "set", "threads", "3")
    monkeypatch.setenv("SUMMARIZE_SUMMARIZER", "mt5-xlsum")
    assert summarizer_used(fake_models) == "mt5-xlsum"  # environment over config file
    assert (
        summarizer_used(fake_models, "--summarizer", "arabart") == "arabart"
    )  # flag over environment
    monkeypatch.delenv("SUMMARIZE_SUMMARIZER")
    assert summarizer_used(fake_models) == "arabart"
    assert fake_models.options[-1].threads == 3
    monkeypatch.setenv("SUMMARIZE_THREADS", "2")
    summarizer_used(fake_models)
    assert fake_models.options[-1].threads == 2
    summarizer_used(fake_models, "--threads", "1")
    assert fake_models.options[-1].threads == 1
    assert listed()["threads"]["source"] == "env"
    run("config", "unset", "summarizer")
    assert summarizer_used(fake_models) == "mt5-xlsum"  # back to the registry's default


def test_config_get_path_and_the_file_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(run("config", "path")[1].strip())
    assert path == config.config_path() and path.name == "config.toml"
    assert not path.exists()
    assert run("config", "get", "summarizer")[1] == "mt5-xlsum\n"
    code, out, err = run("config", "get", "threads")
    assert code == 0 and out == "" and "every core" in err
    registry = tmp_path / "my models ملف" / "models.toml"
    registry.parent.mkdir()
    registry.write_text((REPO / "models.toml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("config", "set", "registry", "my models ملف/models.toml")[0] == 0
    assert run("config", "set", "precision", "int8")[0] == 0
    assert run("config", "set", "threads", "2")[0] == 0
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"registry": str(registry), "precision": "int8", "threads": 2}  # absolute
    assert run("config", "get", "registry")[1] == f"{registry}\n"
    # the platform's folder when SUMMARIZE_CONFIG_DIR is not set
    monkeypatch.delenv(config.ENV_DIR)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert run("config", "path")[1].strip() == str(tmp_path / "xdg" / "summarize" / "config.toml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "sumarizer", "arabart"), "unknown key 'sumarizer'; known: summarizer, translator"),
        (("set", "summarizer", "nope"), "unknown summarizer 'nope'; known: mt5-xlsum, arabart"),
        (("set", "summarizer", "opus-mt-ar-en"), "is a translator, not a summarizer"),
        (("set", "precision", "int4"), "precision must be one of auto, fp32, fp16, int8"),
        (("set", "threads", "0"), "threads must be a whole number of threads, 1 or more"),
        (("set", "threads", "two"), "threads must be a whole number"),
        (
            ("set", "backend", "tensorflow"),
            "backend must be one of auto, transformers, ctranslate2",
        ),
        (("set", "format", "pdf"), "format must be one of text, markdown, json, jsonl, html"),
        (("set", "registry", "missing.toml"), "does not exist"),
        (("get", "colour"), "unknown key 'colour'"),
        (("unset", "colour"), "unknown key 'colour'"),
    ],
)
def test_bad_keys_and_values_are_one_line_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, out, err = run("config", *args)
    assert code == 2 and out == ""
    assert err.startswith("summarize: error: ") and err.count("\n") == 1 and message in err
    assert not config.config_path().exists(), "nothing is written"


def test_a_broken_config_file_names_itself_and_can_be_repaired(fake_models: FakeModels) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('summarizer = "arabart"\ncolour = "blue"\n', encoding="utf-8")
    code, _, err = run("brief", str(SAMPLE))
    assert code == 2 and str(path) in err and "unknown key 'colour'" in err
    assert "summarize config unset colour" in err
    assert run("config", "unset", "colour")[0] == 0
    assert summarizer_used(fake_models) == "arabart"
    path.write_text("precision = 8\n", encoding="utf-8")
    code, _, err = run("config", "list")
    assert (
        code == 2
        and "precision in the config file" in err
        and "one of auto, fp32, fp16, int8" in err
    )
    path.write_text("summarizer = [oops\n", encoding="utf-8")
    code, _, err = run("brief", str(SAMPLE))
    assert code == 2 and "invalid TOML" in err and str(path) in err
    path.unlink()
    bad_env = runner.invoke(app, ["config", "list"], env={"SUMMARIZE_THREADS": "lots"})
    assert bad_env.exit_code == 2 and "SUMMARIZE_THREADS" in bad_env.stderr


def test_a_configured_model_missing_from_the_registry_says_where_it_came_from(
    fake_models: FakeModels, tmp_path: Path
) -> None:
    run("config", "set", "summarizer", "arabart")
    other = tmp_path / "models.toml"
    text = (REPO / "models.toml").read_text(encoding="utf-8")
    other.write_text(text.replace("[models.arabart", "[models.arabart-v2"), encoding="utf-8")
    code, _, err = run("brief", str(SAMPLE), "--models", str(other))
    assert code == 8
    assert "unknown summarizer 'arabart'" in err and "comes from the config file" in err
    assert "summarize config list" in err


def test_configured_format_applies_where_it_can(fake_models: FakeModels, tmp_path: Path) -> None:
    run("config", "set", "format", "json")
    code, out, _ = run("brief", str(SAMPLE))
    assert code == 0 and json.loads(out)["kind"] == "brief"
    assert run("brief", str(SAMPLE), "-f", "markdown")[1].startswith("# ")  # the flag wins
    line = json.dumps({"id": 1, "text": SAMPLE.read_text(encoding="utf-8")})
    code, out, err = run("brief", "--input", "jsonl", input=line + "\n")
    assert code == 0, err
    assert json.loads(out)["id"] == 1  # JSON Lines in, JSON Lines out, whatever the config says
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("batch", str(src), "-o", str(tmp_path / "out"))[0] == 0
    assert (tmp_path / "out" / "a.txt.json").is_file()
    run("config", "set", "format", "text")  # batch does not write text: its default stays
    assert run("batch", str(src), "-o", str(tmp_path / "out2"))[0] == 0
    assert (tmp_path / "out2" / "a.txt.md").is_file()


def test_the_python_api_reads_no_config_file() -> None:
    from summarize import Engine

    run("config", "set", "summarizer", "arabart")
    assert Engine().summarizer_spec.name == "mt5-xlsum"
    assert Engine(summarizer="arabart").summarizer_spec.name == "arabart"


def test_stray_values_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('future = {a = 1, "b c" = [1.5, "x"]}\n', encoding="utf-8")
    config.set_value("threads", "4", path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "future": {"a": 1, "b c": [1.5, "x"]},
        "threads": 4,
    }
