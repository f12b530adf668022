"""Per CPU: which compute type, and which threads for a brief's translator, run fastest here.

(h) Compute types: the longest sample's translation (its sentences, forced lengths) and map
round (its chunks, forced to 84 tokens) through the project's CTranslate2 loader with each
compute type this CTranslate2 build has (int8, int8_float32, int16: int16 needs Intel MKL,
which CTranslate2 uses on Intel CPUs only), and with torch bf16 where the CPU has bf16
instructions (AVX512-BF16, AMX). Each arm in its own process, arms interleaved.

(i) The brief's translate stage: each sample's brief lines (its summary lines and title, as
the brief's translate call gets them) translated by one translator with one-thread workers
and by one with one worker of every thread, in one process, interleaved.

``record_row`` writes what the figures choose into summarize/cpus.toml for this CPU's kind.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import PY, ROOT, log, run_child, spec_of

#: a thread plan must beat the default by this much to be chosen (a quiet machine's noise is a
#: few %); a compute type, which changes outputs, by COMPUTE_MARGIN
MARGIN = 1.05
COMPUTE_MARGIN = 1.10
#: CPU flags with bf16 matrix instructions torch (oneDNN) uses
BF16_FLAGS = ("avx512_bf16", "amx_bf16")


# --------------------------------------------------------------------------- (h) workers


def worker_compute(args: argparse.Namespace) -> None:
    """One compute-type arm in this process: load both models, then time the translation and
    the map round at forced lengths. Prints seconds and a digest of the outputs."""
    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    arm = args.method
    started = time.perf_counter()
    if arm.startswith("torch-"):
        translator, summarizer = _torch_models(job, arm.removeprefix("torch-"))
    else:
        from summarize.backends import LoadOptions, ctranslate2, load_model
        from summarize.cpus import CpuSettings

        ctranslate2.cpu_settings = lambda: CpuSettings(compute_type=arm)  # type: ignore[attr-defined]
        options = LoadOptions(backend="ctranslate2")
        translator = load_model(spec_of(Path(job["translator"]), "translator"), options)
        summarizer = load_model(spec_of(Path(job["summarizer"]), "summarizer"), options)
    loaded = time.perf_counter()
    english = translator.generate(job["texts"], job["lengths"], job["lengths"])
    translated = time.perf_counter()
    n = [job["summary_tokens"]] * len(job["chunks"])
    summaries = summarizer.generate(job["chunks"], n, n)
    done = time.perf_counter()
    digest = hashlib.sha256(json.dumps([english, summaries]).encode()).hexdigest()[:12]
    # what CTranslate2 made of the name (on the CPU "int8" is int8_float32: the same arm)
    resolved = getattr(getattr(translator, "model", None), "compute_type", arm)
    print(json.dumps({"load_s": loaded - started, "translate_s": translated - loaded,
                      "summarize_s": done - translated, "outputs": digest,
                      "resolved": resolved if isinstance(resolved, str) else arm}))  # fmt: skip


def _torch_models(job: dict[str, Any], dtype: str) -> tuple[Any, Any]:
    """The transformers backend's models, cast to DTYPE (bf16 runs on AVX512-BF16 / AMX)."""
    import torch

    from summarize.backends import LoadOptions, load_model

    options = LoadOptions(backend="transformers", precision="fp32")
    models = []
    for role in ("translator", "summarizer"):
        model = load_model(spec_of(Path(job[role]), role), options)
        if dtype == "bf16":
            model.model = model.model.to(torch.bfloat16)  # type: ignore[attr-defined]
        models.append(model)
    return models[0], models[1]


def compute_arms(machine: dict[str, Any], mkl_arms: bool) -> list[tuple[str, dict[str, str]]]:
    """(arm, extra environment) for this CPU: CTranslate2's compute types as this build
    offers them, MKL forced where it is not the default (--mkl-arms), torch bf16 where the CPU
    has bf16 instructions."""
    arms: list[tuple[str, dict[str, str]]] = []
    for compute_type in ("int8", "int8_float32", "int16"):
        if compute_type in machine["ct2_compute_types"]:
            arms.append((compute_type, {}))
    if mkl_arms and machine["ct2_gemm"] != "MKL":
        arms += [("int8", {"CT2_USE_MKL": "1"}), ("int16", {"CT2_USE_MKL": "1"})]
    if any(flag in machine["cpu_flags"] for flag in BF16_FLAGS):
        arms.append(("torch-bf16", {}))
    return arms


def arm_label(arm: str, extra: dict[str, str]) -> str:
    if arm.startswith("torch-"):
        return f"transformers (torch) {arm.removeprefix('torch-')}, batched"
    return f"CTranslate2 {arm}" + (" (MKL forced: CT2_USE_MKL=1)" if extra else "")


def compute_types(
    work: Path, marian: Path, mt5: Path, machine: dict[str, Any], repeats: int, mkl_arms: bool
) -> dict[str, Any]:
    """(h): every arm in its own process, interleaved REPEATS times; medians and ratios."""
    import research as R

    from summarize.chunking import pack_chunks

    _, prepared = R.longest_sample()
    texts = ([prepared.title] if prepared.title else []) + [s.text for s in prepared.sentences]
    from summarize.backends.tokenizers import load_pieces

    pieces = load_pieces(mt5)  # what the summarizer counts its chunks with
    chunks = pack_chunks(prepared.text, prepared.sentences, lambda t: len(pieces.tokens(t)), 512)
    job = work / "compute.json"
    job.write_text(json.dumps({
        "translator": str(marian), "summarizer": str(mt5), "texts": texts,
        "lengths": [max(4, round(1.6 * len(t.split()))) for t in texts],
        "chunks": [c.model_text for c in chunks], "summary_tokens": 84,
    }))  # fmt: skip
    arms = compute_arms(machine, mkl_arms)
    runs: dict[str, list[dict[str, Any]]] = {arm_label(a, e): [] for a, e in arms}
    for rep in range(repeats):
        for arm, extra in arms:
            out = work / f"compute-{arm}-{len(extra)}-{rep}.json"
            cmd = [PY, str(ROOT / "bench" / "run.py"), "--worker", "compute", "--method", arm,
                   "--job", str(job)]  # fmt: skip
            _, rss, _ = run_child(cmd, out, extra_env=extra)
            row = {**json.loads(out.read_text()), "peak_rss_mb": rss}
            runs[arm_label(arm, extra)].append(row)
            log(f"compute type {arm_label(arm, extra)}: translate {row['translate_s']:.1f} s, "
                f"map round {row['summarize_s']:.1f} s")  # fmt: skip
    rows = []
    base = runs[arm_label("int8", {})]
    for label, values in runs.items():
        translate = [v["translate_s"] for v in values]
        summarize = [v["summarize_s"] for v in values]
        rows.append({
            "arm": label,
            "translate_s": statistics.median(translate),
            "summarize_s": statistics.median(summarize),
            "translate_ratio": statistics.median(
                b["translate_s"] / v["translate_s"] for b, v in zip(base, values, strict=True)),
            "summarize_ratio": statistics.median(
                b["summarize_s"] / v["summarize_s"] for b, v in zip(base, values, strict=True)),
            "outputs": sorted({v["outputs"] for v in values}),
            "resolved": values[0].get("resolved", label),
            "peak_rss_mb": max(v["peak_rss_mb"] for v in values),
        })  # fmt: skip
    return {"sentences": len(texts), "chunks": len(chunks), "repeats": repeats, "rows": rows}


def choose_compute_type(section: dict[str, Any]) -> str:
    """The CTranslate2 compute type (not MKL-forced, not torch) whose translation and map
    round together beat int8's by COMPUTE_MARGIN; int8 otherwise. A name CTranslate2 resolves
    to int8's own type (on the CPU int8 is int8_float32) is int8: it cannot win."""
    base = next(r for r in section["rows"] if r["arm"] == "CTranslate2 int8")
    best, best_ratio = "int8", 1.0
    for row in section["rows"]:
        match = re.fullmatch(r"CTranslate2 (\w+)", row["arm"])
        if not match or row.get("resolved") == base.get("resolved", "int8"):
            continue
        total = (base["translate_s"] + base["summarize_s"]) / (
            row["translate_s"] + row["summarize_s"]
        )
        if total >= COMPUTE_MARGIN and total > best_ratio:
            best, best_ratio = match[1], total
    return best


# --------------------------------------------------------------------------- (i) workers


def worker_brief_stage(args: argparse.Namespace) -> None:
    """The brief's translate stage of every job article, with one-thread workers and with one
    worker of every thread, interleaved; seconds per run and the batches of each call."""
    import research as R

    from summarize.backends import LoadOptions, load_model
    from summarize.backends.base import plan_batches
    from summarize.pipeline.engine import BRIEF_CALL_BATCHES
    from summarize.pipeline.translate import translate_sentences

    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    spec = spec_of(Path(job["translator"]), "translator")
    models = {
        # what a brief's translator gets where its CPU's row says "workers"
        "workers": load_model(spec, LoadOptions(call_batches=BRIEF_CALL_BATCHES)),
        "one-worker": load_model(spec, LoadOptions(one_batch=True)),
    }
    out: dict[str, Any] = {"threads": {k: m.info["threads"] for k, m in models.items()}}
    articles = []
    for name, lines in job["articles"].items():
        model = models["workers"]
        counts = [model.count_tokens(" ".join(x.split())) for x in lines]
        bounds = [spec.generation.bound_for(c) for c in counts]
        plan = plan_batches(counts, 32, 4096, bounds, getattr(model, "min_bound_ratio", 0.8))
        arms = {
            k: (lambda m=m, lines=lines: translate_sentences(m, lines)) for k, m in models.items()
        }
        times = R.interleave(arms, args.repeats)
        # the warm-up run's outputs (interleave runs every arm once first)
        outputs = {k: translate_sentences(m, lines) for k, m in models.items()}
        articles.append({"sample": name, "lines": len(lines), "batches": [len(b) for b in plan],
                         "bounds": bounds, "times": times,
                         "same_outputs": outputs["workers"] == outputs["one-worker"]})  # fmt: skip
    out["articles"] = articles
    print(json.dumps(out))


def brief_stage(
    work: Path, marian: Path, articles: dict[str, list[str]], repeats: int
) -> dict[str, Any]:
    """(i): the worker in its own process; per sample the median seconds of each thread plan
    and the median of paired ratios (workers / one worker)."""
    job = work / "brief-stage.json"
    job.write_text(
        json.dumps({"translator": str(marian), "articles": articles}, ensure_ascii=False)
    )
    out = work / "brief-stage.out.json"
    run_child([PY, str(ROOT / "bench" / "run.py"), "--worker", "brief-stage", "--job", str(job),
               "--repeats", str(repeats)], out)  # fmt: skip
    data = json.loads(out.read_text())
    for row in data["articles"]:
        t = row["times"]
        row["workers_s"] = statistics.median(t["workers"])
        row["one_worker_s"] = statistics.median(t["one-worker"])
        row["ratio"] = statistics.median(
            w / o for w, o in zip(t["workers"], t["one-worker"], strict=True)
        )
        log(f"brief stage {row['sample']}: workers {row['workers_s']:.2f} s, one worker "
            f"{row['one_worker_s']:.2f} s ({row['ratio']:.2f}x)")  # fmt: skip
    return data


def choose_brief_translator(section: dict[str, Any]) -> str:
    """``one-worker`` when one worker with every thread is faster by MARGIN on the median
    sample, else ``workers`` (today's default)."""
    ratio = statistics.median(row["ratio"] for row in section["articles"])
    return "one-worker" if ratio >= MARGIN else "workers"


# --------------------------------------------------------------------------- the row


def record_row(machine: dict[str, Any], compute: dict[str, Any] | None, stage: dict[str, Any] | None,
               path: Path | None = None) -> str:  # fmt: skip
    """Write this CPU kind's row into summarize/cpus.toml (other rows kept); return the row."""
    from summarize.cpus import read_settings

    path = path or ROOT / "summarize" / "cpus.toml"
    text = path.read_text(encoding="utf-8")
    current = read_settings(text).get(machine["cpu_kind"])
    figures: dict[str, float] = {}
    compute_type = current.compute_type if current else "int8"
    brief_translator = current.brief_translator if current else "workers"
    if compute is not None:
        compute_type = choose_compute_type(compute)
        for row in compute["rows"]:
            key = re.sub(r"[^a-z0-9]+", "_", row["arm"].lower()).strip("_")
            figures[f"{key}_translate_x"] = round(row["translate_ratio"], 2)
            figures[f"{key}_map_round_x"] = round(row["summarize_ratio"], 2)
    if stage is not None:
        brief_translator = choose_brief_translator(stage)
        figures["brief_stage_one_worker_x"] = round(
            statistics.median(r["ratio"] for r in stage["articles"]), 2
        )
    measured = (f"{machine['cpu']} ({' '.join(machine['cpu_flags'])}), {machine['cores']} cores, "
                f"{time.strftime('%Y-%m-%d')}, load {machine['load_at_start']:.2f} at start; "
                "bench/run.py --record")  # fmt: skip
    lines = [f"[kinds.{machine['cpu_kind']}]", f'compute_type = "{compute_type}"',
             f'brief_translator = "{brief_translator}"', f"measured = {json.dumps(measured)}"]  # fmt: skip
    if figures:
        lines.append("figures = { " + ", ".join(f"{k} = {v}" for k, v in figures.items()) + " }")
    row = "\n".join(lines) + "\n"
    kept = re.sub(rf"\n?\[kinds\.{re.escape(machine['cpu_kind'])}\]\n(?:(?!\[).*\n?)*", "\n", text)
    path.write_text(kept.rstrip("\n") + "\n\n" + row, encoding="utf-8")
    read_settings(path.read_text(encoding="utf-8"))  # what was written must read back
    return row


if __name__ == "__main__":
    sys.exit("run bench/run.py; this module holds its per-CPU sections")
