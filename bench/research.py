"""Shared plumbing for the research benchmarks (bench/vmap.py, bench/threads.py, bench/profile_ct2.py).

Full-size random-weight models (opus-mt-ar-en and mT5_multilingual_XLSum shapes) and the tiny
test models are built into bench/.cache/ once and converted to CTranslate2 int8 there
(HF_HOME=bench/.cache/hf), exactly as bench/run.py does. Timings are interleaved (A B A B ...)
within one process where possible and reported as medians with their spread, because the
machine is shared.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HOME", str(CACHE / "hf"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODELS = {
    "mt5": ("mt5-xlsum", "summarizer", True),
    "marian": ("opus-mt-ar-en", "translator", True),
    "tiny-mt5": ("tiny-mt5", "summarizer", False),
    "tiny-marian": ("tiny-marian", "translator", False),
}


def log(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def model_dir(kind: str) -> Path:
    """The transformers directory of KIND (built on first use)."""
    from summarize import devmodels

    name, _, full = MODELS[kind]
    build = devmodels.build_mt5 if "mt5" in kind else devmodels.build_marian
    return build(CACHE / name, full_size=full)


def spec_of(kind: str) -> Any:
    from summarize.registry import load_registry, resolve

    name, role, _ = MODELS[kind]
    return resolve(str(model_dir(kind)), role, load_registry())  # type: ignore[arg-type]


def converted(kind: str, quantization: str = "int8", script: str | None = None) -> Path:
    """The CTranslate2 conversion of KIND (converted on first use, cached; with SCRIPT's
    vocabulary map, as the default path writes it, when converted here)."""
    from summarize.backends.conversion import ensure_converted

    return ensure_converted(spec_of(kind), model_dir(kind), quantization, script=script)  # type: ignore[arg-type]


def tokenizer(kind: str) -> Any:
    from summarize.backends.tokenizers import load_tokenizer, quiet_libraries

    quiet_libraries()
    return load_tokenizer(model_dir(kind))


def tokens(tok: Any, text: str) -> list[str]:
    ids = tok(text, add_special_tokens=True)["input_ids"]
    return list(tok.convert_ids_to_tokens(ids))


def samples() -> list[tuple[Path, Any]]:
    """Every sample article, prepared as the CLI prepares it."""
    from summarize.articles import Article
    from summarize.pipeline import prepare

    out = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((path, prepare(Article(text=text, source=str(path), encoding="utf-8"))))
    return out


def longest_sample() -> tuple[Path, Any]:
    """The sample with the most words in its sentences and title (as bench/run.py picks it)."""

    def words(prepared: Any) -> int:
        parts = ([prepared.title] if prepared.title else []) + [s.text for s in prepared.sentences]
        return sum(len(p.split()) for p in parts)

    return max(samples(), key=lambda s: words(s[1]))


def first_chunk_tokens(tok: Any, budget: int = 512) -> list[str]:
    """The source tokens of the first full 512-token chunk of the longest sample."""
    from summarize.chunking import pack_chunks

    _, prepared = longest_sample()
    chunks = pack_chunks(
        prepared.text, prepared.sentences, lambda t: len(tok(t)["input_ids"]), budget
    )
    return tokens(tok, chunks[0].model_text)


def linked_copy(src: Path, dst: Path) -> Path:
    """A model folder at DST whose files are symlinks to SRC's (for adding a vmap.txt)."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.name == "vmap.txt":
            continue
        link = dst / f.name
        if not link.exists():
            link.symlink_to(f.resolve())
    return dst


def interleave(
    arms: dict[str, Callable[[], Any]], repeats: int, *, warmup: bool = True
) -> dict[str, list[float]]:
    """Run every arm REPEATS times in turn (A B C A B C ...); seconds per run per arm."""
    if warmup:
        for fn in arms.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in arms}
    for _ in range(repeats):
        for name, fn in arms.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def summary(values: Sequence[float]) -> dict[str, float]:
    med = statistics.median(values)
    return {
        "median": med,
        "min": min(values),
        "max": max(values),
        "spread": (max(values) - min(values)) / med if med else 0.0,
    }


def ratio_table(times: dict[str, list[float]], base: str, title: str) -> str:
    """A Markdown table: median seconds, spread, speed-up over BASE (median of paired ratios)."""
    lines = [title, "", "| arm | median s | min-max s | spread | speed-up vs " + base + " |"]
    lines.append("|---|---:|---:|---:|---:|")
    for name, values in times.items():
        s = summary(values)
        paired = [b / v for b, v in zip(times[base], values, strict=True)]
        lines.append(
            f"| {name} | {s['median']:.2f} | {s['min']:.2f}-{s['max']:.2f} | "
            f"{s['spread']:.0%} | **{statistics.median(paired):.2f}x** |"
        )
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def pad_vmap(folder: Path, script: str, size: int) -> dict[str, int]:
    """Rewrite the vocabulary map of the conversion in FOLDER with SIZE always-allowed pieces.

    The dev models' SentencePiece vocabularies are small (about 1,600 real pieces, padded to
    the real row counts), so the map summarize builds for them leaves about a thousand rows: a
    far smaller output layer than the real models' maps will leave (opus-mt-ar-en's English
    side is a 32k SentencePiece; mT5's Arabic-script, digit and punctuation pieces are not
    counted). The benchmark pads the always-allowed line to SIZE pieces (the built map's
    pieces plus others spread evenly over the ids): the cost of the restricted layer depends
    on how many rows are left, not on which. The marker's file sizes are updated to match, so
    the conversion still counts as whole.
    """
    import json

    from summarize.backends.conversion import MARKER
    from summarize.vmap import VMAP_FILE, build_vmap, read_ct2_vocabulary, writable

    vocabulary = read_ct2_vocabulary(folder)
    built = build_vmap(vocabulary, script)  # type: ignore[arg-type]
    chosen = list(built.always)
    taken = set(chosen) | set(built.copies)
    rest = [p for p in vocabulary if p not in taken and writable(p)]
    need = min(len(rest), max(0, min(size, len(vocabulary)) - len(chosen)))
    if need:
        step = len(rest) / need
        chosen += [rest[int(i * step)] for i in range(need)]
    text = "\t" + " ".join(chosen) + "\n"
    text += "".join(f"{src}\t{' '.join(tgt)}\n" for src, tgt in built.copies.items())
    (folder / VMAP_FILE).write_text(text, encoding="utf-8")
    marker_path = folder / MARKER
    marker = json.loads(marker_path.read_text(encoding="utf-8"))
    marker["files"][VMAP_FILE] = (folder / VMAP_FILE).stat().st_size
    marker["bench_vmap_always"] = len(chosen)
    marker_path.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return {"vocabulary": len(vocabulary), "built_always": len(built.always), "always": len(chosen)}
