"""Odd articles on the tiny real models: a 20,000-character sentence is split, never truncated;
mixed scripts, HTML as .txt and bidi controls each give a result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarize.backends.base import TokenizedModel
from summarize.render.html import SCRIPT
from summarize.text import normalize
from tests.cli_support import (
    ARTICLE,
    BIDI,
    BIDI_CONTROLS,
    invoke,
    write_fast_registry,
)


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
