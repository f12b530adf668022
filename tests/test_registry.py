"""Registries (models.toml) out of range, with unknown keys, or that are a device, a FIFO or
huge: one line naming what to fix, exit 9.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarize.cli import app
from tests.cli_support import (
    REPO,
    SAMPLES,
    one_line_error,
    run_cli,
    runner,
)

# -- registries ------------------------------------------------------------------------------

SHIPPED_REGISTRY = (REPO / "models.toml").read_text(encoding="utf-8")
BAD_REGISTRIES = {
    "nan": (SHIPPED_REGISTRY.replace("length_penalty = 0.6", "length_penalty = nan", 1),
            "models.mt5-xlsum.generation.length_penalty must be a finite number, got nan"),
    "inf": (SHIPPED_REGISTRY.replace("repetition_penalty = 1.0", "repetition_penalty = inf", 1),
            "models.mt5-xlsum.generation.repetition_penalty must be a finite number, got inf"),
    "beams 1e9": (SHIPPED_REGISTRY.replace("num_beams = 4", "num_beams = 1000000000", 1),
                  "models.mt5-xlsum.generation.num_beams must be between 1 and 64"),
    "beams 1e9 as float": (SHIPPED_REGISTRY.replace("num_beams = 4", "num_beams = 1e9", 1),
                           "models.mt5-xlsum.generation.num_beams must be int, got float"),
    "max_new_tokens 1e9": (
        SHIPPED_REGISTRY.replace("max_new_tokens = 84", "max_new_tokens = 1000000000", 1),
        "models.mt5-xlsum.generation.max_new_tokens must be between 1 and 4096"),
    "min over max": (SHIPPED_REGISTRY.replace("min_new_tokens = 0", "min_new_tokens = 90", 1),
                     "min_new_tokens must not exceed max_new_tokens (84), got 90"),
    "misspelled table": (SHIPPED_REGISTRY + '\n[model.extra]\nrole = "translator"\n',
                         "model is not a known table (known: defaults, models, schema)"),
    "unknown default": (SHIPPED_REGISTRY.replace("[defaults]\n", '[defaults]\nsummariser = "x"\n'),
                        "defaults.summariser is not a known field (known: summarizer, translator)"),
    "schema 2": (SHIPPED_REGISTRY.replace("schema = 1", "schema = 2"), "schema must be 1"),
    "alias with an escape": (
        SHIPPED_REGISTRY.replace("[models.arabart]", '[models."arabart\\u001b[5m"]', 1)
        .replace("[models.arabart.generation]", '[models."arabart\\u001b[5m".generation]', 1),
        "names an alias of letters, digits"),
    "huge max_input_tokens": (
        SHIPPED_REGISTRY.replace("max_input_tokens = 512", "max_input_tokens = 100000000", 1),
        "models.mt5-xlsum.max_input_tokens must be between 8 and 65536"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_REGISTRIES))
def test_registry_values_out_of_range_and_unknown_keys(case: str, tmp_path: Path) -> None:
    text, message = BAD_REGISTRIES[case]
    path = tmp_path / "models.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["models", "--models", str(path)])
    assert result.exit_code == 9 and one_line_error(result.stderr), result.stderr
    assert result.stderr.startswith(f"summarize: error: {path}: ")
    assert message in result.stderr


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "huge"])
def test_registry_that_is_a_device_a_fifo_or_huge(kind: str, tmp_path: Path) -> None:
    """--models /dev/zero ate memory; a FIFO with no writer hung. Both refused at once."""
    if kind == "/dev/zero":
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero")
    elif kind == "fifo":
        path = tmp_path / "models.toml"
        os.mkfifo(path)
    else:
        path = tmp_path / "models.toml"
        path.write_text("# x\n" * 400_000, encoding="utf-8")
    proc = run_cli(["models", "--models", str(path)], timeout=30)
    err = proc.stderr.decode()
    assert proc.returncode == 9 and one_line_error(err), err
    assert f"model registry {path} " in err


@pytest.mark.parametrize("name", ["models/marian", "./models/marian", "~/no-such-model-folder"])
def test_a_missing_local_folder_is_not_taken_for_a_hub_model(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--translator models/marian` where ./models is a folder: "no such model folder", not
    "not in the local cache … run summarize models pull models/marian" (exit 8 either way)."""
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner.invoke(app, ["translate", str(SAMPLES[2]), "--translator", name])
    assert result.exit_code == 8 and one_line_error(result.stderr), result.stderr
    assert f"{name}: no such model folder" in result.stderr
    assert "models pull" not in result.stderr and "cache" not in result.stderr
