"""--device cuda on the tiny models: same greedy output as the CPU. Skipped without CUDA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from tests.samples import sample

pytestmark = pytest.mark.gpu
REPO = Path(__file__).resolve().parent.parent
SAMPLE = sample("qatar-emir-state-visit-kazakhstan.txt")


@pytest.fixture(scope="module")
def greedy_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Greedy, short decoding: CPU and GPU kernels then agree token for token."""
    text = (REPO / "models.toml").read_text(encoding="utf-8")
    text = text.replace("num_beams = 4", "num_beams = 1")
    text = text.replace("max_new_tokens = 84", "max_new_tokens = 10")
    text = text.replace("max_new_tokens = 512", "max_new_tokens = 12")
    path = tmp_path_factory.mktemp("greedy") / "models.toml"
    path.write_text(text, encoding="utf-8")
    return path


def brief(device: str, mt5: Path, marian: Path, registry: Path) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        app,
        ["brief", str(SAMPLE), "-f", "json", "--device", device, "--summarizer", str(mt5),
         "--translator", str(marian), "--models", str(registry)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_cuda_matches_cpu(tiny_mt5_dir: Path, tiny_marian_dir: Path, greedy_registry: Path) -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device here")
    gpu = brief("cuda", tiny_mt5_dir, tiny_marian_dir, greedy_registry)
    cpu = brief("cpu", tiny_mt5_dir, tiny_marian_dir, greedy_registry)
    assert {m["device"] for m in gpu["models"]} == {"cuda"}
    assert gpu["summary"] == cpu["summary"] and gpu["title"] == cpu["title"]


def test_cuda_unavailable_is_a_clear_error(tiny_marian_dir: Path) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    result = CliRunner().invoke(
        app, ["translate", str(SAMPLE), "--device", "cuda", "--translator", str(tiny_marian_dir)]
    )
    assert result.exit_code == 8
    assert "no CUDA device is available" in result.stderr
