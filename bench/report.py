"""The benchmark's report: Markdown tables of every section, and the targets of issue 26 per
CPU vendor (met, or missed by how much)."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any

import percpu
from common import ROOT

#: the issue's targets per CPU vendor: (brief, translate, which translate section they apply to)
TARGETS = {"amd": (12.0, 15.0, "translate_longest"), "intel": (6.0, 8.0, "uneven_translate")}
#: peak RSS of the default path before this round (docs/performance.md, commit 5371722, AMD)
BASELINE_PEAK_MB = {"brief": 1168.0, "translate": 425.0}


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of this CPU's vendor (none for another vendor): met, or missed by how much."""
    vendor = report["machine"]["cpu_kind"].split("-")[0]
    if vendor not in TARGETS:
        return []
    brief_target, translate_target, where = TARGETS[vendor]
    found: list[tuple[str, float, float, bool]] = []  # (target, result, goal, higher is better)
    ratios = [r["ratio"] for r in report.get("brief", []) if "ratio" in r]
    if ratios:
        found.append((f"brief >= {brief_target:g}x, every sample", min(ratios), brief_target, True))
        peak = max(r["peak_rss_mb"] for r in report["brief"])
        found.append(
            ("brief peak RSS no higher than before (MB)", peak, BASELINE_PEAK_MB["brief"], False)
        )
    if where in report:
        label = "uneven lengths" if where == "uneven_translate" else "the longest sample"
        ratio = report[where]["paths"]["default"]["ratio"]
        found.append(
            (f"translate >= {translate_target:g}x, {label}", ratio, translate_target, True)
        )
    if "translate_longest" in report:
        peak = report["translate_longest"]["paths"]["default"]["peak_rss_mb"]
        found.append(("translate peak RSS no higher than before (MB)", peak,
                      BASELINE_PEAK_MB["translate"], False))  # fmt: skip
    rows = []
    for target, result, goal, higher in found:
        met = result >= goal if higher else result <= goal
        row: dict[str, Any] = {"target": target, "result": result, "goal": goal, "met": met}
        if not met:
            row["missed_by"] = f"{100 * abs(goal - result) / goal:.0f} %"
        rows.append(row)
    return rows


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    la = r["load_average"]["whole run"]
    lines = [
        f"Machine: {m['cpu']} (kind {m['cpu_kind']}; flags {' '.join(m['cpu_flags'])}; "
        f"CTranslate2 GEMMs: {m['ct2_gemm']}, compute types {', '.join(m['ct2_compute_types'])}), "
        f"{m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, "
        f"torch {m['torch']}, transformers {m['transformers']}, ctranslate2 {m['ctranslate2']}",
        f"Load average (1 min) at the start: {m['load_at_start']:.2f}"
        + ("" if r["quiet"] else " -- NOT QUIET (--allow-load): every ratio is suspect")
        + f"; during the run (the benchmark's own processes included): {la['min']:.1f} to "
        f"{la['max']:.1f}, median {la['median']:.1f}; wall time {r['total_bench_s'] / 60:.1f} min",
        f"Settings for this CPU kind (summarize/cpus.toml): {r['cpu_settings']}",
        f"Vocabulary maps of the default path, always-allowed pieces: {r['vmap_sizes']}",
    ]
    lines += render_percpu(r) + render_uneven(r)
    if "translation" in r:
        t0 = r["translation"][0]
        lines += [
            "",
            f"(a)/(b) Translation, all {t0['sentences']} sentences of samples/, "
            f"{t0['target_tokens']} target tokens forced (1.6 x Arabic words), beam 4, "
            "full-size opus-mt-ar-en shape, in-process generate (loads not counted):",
            "",
            "| method | target tok/s | ratio to (a) | generate s | load s | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in r["translation"]:
            lines.append(
                f"| {row['label']} | {row['tokens_per_s']:.1f} | **{row['ratio']:.1f}x** | "
                f"{row['gen_s']:.1f} | {row['load_s']:.1f} | {row['peak_rss_mb']:.0f} |"
            )
    if "translate_longest" in r:
        t = r["translate_longest"]
        reps = len(t["paths"]["naive"]["runs_s"])
        lines += [
            "",
            f"(c') `summarize translate` of the longest sample ({t['sample']}, {t['sentences']} "
            f"sentences, {t['target_tokens']} target tokens), process start to exit, model load "
            f"included; median of {reps} interleaved runs, ratio = median of paired ratios:",
            "",
            "| path | seconds (runs) | ratio to naive | peak RSS MB |",
            "|---|---:|---:|---:|",
        ]
        names = {"default": "default flags (CTranslate2 int8, vocabulary map)",
                 "reference": "`--backend transformers --precision fp32` (reference)",
                 "naive": "naive loop (transformers, one sentence at a time, fp32, beam 4)"}  # fmt: skip
        for name, row in t["paths"].items():
            runs = ", ".join(f"{x:.1f}" for x in row["runs_s"])
            lines.append(f"| {names[name]} | {row['process_s']:.1f} ({runs}) | "
                         f"**{row['ratio']:.1f}x** | {row['peak_rss_mb']:.0f} |")  # fmt: skip
        f = t["first_run"]
        lines.append(f"| default flags, first run (empty cache: converts opus-mt) | "
                     f"{f['process_s']:.1f} | **{f['ratio']:.1f}x** | {f['peak_rss_mb']:.0f} |")  # fmt: skip
    if "brief" in r:
        lines += [
            "",
            "(c) `summarize brief` per sample, default flags, process start to exit, vs the same "
            "steps naively (summarizer one 512-token chunk at a time forced to its 84-token cap, "
            "then each summary line and the title translated one at a time; fp32, beam 4, same "
            "output lengths; model loads included), each in its own process:",
            "",
            "| sample | chunks | brief s | peak RSS MB | naive s | naive peak RSS MB | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in r["brief"]:
            naive = f"{row['naive_s']:.1f}" if "naive_s" in row else "-"
            nrss = f"{row['naive_peak_rss_mb']:.0f}" if "naive_s" in row else "-"
            ratio = f"**{row['ratio']:.1f}x**" if "ratio" in row else "-"
            lines.append(
                f"| {row['sample']} | {row['chunks']} | {row['brief_s']:.1f} | "
                f"{row['peak_rss_mb']:.0f} | {naive} | {nrss} | {ratio} |"
            )
    if "vmap" in r:
        v = r["vmap"]
        lines += [
            "",
            f"(f) The vocabulary map, one process, arms interleaved ({len(next(iter(v['times'].values())))} "
            f"runs each): the longest sample's map round ({v['chunks']} chunks, one batch, 84 "
            f"tokens, beam 4) and its translation ({v['sentences']} sentences):",
            "",
            "| arm | median s | runs s | speed-up (median of paired ratios) |",
            "|---|---:|---:|---:|",
        ]
        times = v["times"]
        for name, values in times.items():
            base = name.replace("vocabulary map", "full output layer")
            paired = [b / x for b, x in zip(times[base], values, strict=True)]
            runs = ", ".join(f"{x:.2f}" for x in values)
            lines.append(f"| {name} | {statistics.median(values):.2f} | {runs} | "
                         f"**{statistics.median(paired):.2f}x** |")  # fmt: skip
    if "busy" in r:
        b = r["busy"]
        lines += [
            "",
            f"(g) `batch --task translate` of {b['articles']} short articles (one sentence of 5-12 "
            "words each), "
            "beside one CPU-bound process (`python -c 'while True: pass'`) unless marked alone:",
            "",
            "| run | seconds | slowest file s | median file s | peak RSS MB | outputs |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for row in b["rows"]:
            lines.append(f"| {row['arm']} | {row['process_s']:.1f} | {row['slowest_file_s']:.2f} | "
                         f"{row['median_file_s']:.2f} | {row['peak_rss_mb']:.0f} | {row['outputs']} |")  # fmt: skip
    if r.get("targets"):
        lines += ["", "Targets (issue 26) on this CPU's vendor:", "",
                  "| target | result | met |", "|---|---:|---|"]  # fmt: skip
        for t in r["targets"]:
            met = "**met**" if t["met"] else f"**missed** by {t['missed_by']}"
            lines.append(f"| {t['target']} | {t['result']:.1f} | {met} |")
    lines += [
        "",
        f"(e) `summarize --help`: median {r['help_s']['median']:.3f} s over "
        f"{len(r['help_s']['runs'])} runs (target < 0.2 s)",
        "Load average by section: "
        + "; ".join(f"{k}: {v['min']:.1f}-{v['max']:.1f}" for k, v in r["load_average"].items()),
    ]
    return "\n".join(lines)


def render_percpu(r: dict[str, Any]) -> list[str]:
    """(h) and (i) as Markdown tables."""
    lines: list[str] = []
    if "compute_types" in r:
        c = r["compute_types"]
        lines += ["", f"(h) Compute types on this CPU: the longest sample's translation ({c['sentences']} "
                  f"sentences, forced lengths) and map round ({c['chunks']} chunks, 84 tokens), each arm "
                  f"its own process, median of {c['repeats']} interleaved runs; x = speed vs CTranslate2 int8:",
                  "", "| arm | translate s | x | map round s | x | outputs | peak RSS MB |",
                  "|---|---:|---:|---:|---:|---|---:|"]  # fmt: skip
        for row in c["rows"]:
            runs_as = row.get("resolved", "")
            shown = row["arm"] + (
                f" (runs as {runs_as})" if runs_as and runs_as not in row["arm"] else ""
            )
            lines.append(f"| {shown} | {row['translate_s']:.2f} | {row['translate_ratio']:.2f}x | "
                         f"{row['summarize_s']:.2f} | {row['summarize_ratio']:.2f}x | "
                         f"{' '.join(row['outputs'])} | {row['peak_rss_mb']:.0f} |")  # fmt: skip
        lines.append(f"Chosen: compute_type = {percpu.choose_compute_type(c)!r} (another type must "
                     f"beat int8 by {percpu.COMPUTE_MARGIN:.2f}x on translation + map round)")  # fmt: skip
    if "brief_stage" in r:
        b = r["brief_stage"]
        lines += ["", "(i) The brief's translate stage (each sample's summary lines and title in one "
                  f"call), one-thread workers ({b['threads']['workers']}) vs one worker with every "
                  f"thread ({b['threads']['one-worker']}), one process, interleaved:",
                  "", "| sample | lines | batches | workers s | one worker s | x | same outputs |",
                  "|---|---:|---|---:|---:|---:|---|"]  # fmt: skip
        for row in b["articles"]:
            lines.append(f"| {row['sample']} | {row['lines']} | {row['batches']} | "
                         f"{row['workers_s']:.2f} | {row['one_worker_s']:.2f} | "
                         f"{row['ratio']:.2f}x | {row['same_outputs']} |")  # fmt: skip
        lines.append(f"Chosen: brief_translator = {percpu.choose_brief_translator(b)!r}")
    if "recorded_row" in r:
        lines += [
            "",
            "Recorded in summarize/cpus.toml:",
            "",
            "```toml",
            r["recorded_row"].rstrip(),
            "```",
        ]
    return lines


def render_uneven(r: dict[str, Any]) -> list[str]:
    """(j1) and (j2) as Markdown tables."""
    lines: list[str] = []
    if "uneven_translate" in r:
        u = r["uneven_translate"]
        lines += ["", f"(j1) `summarize translate` of {u['sample']} ({u['sentences']} sentences) with "
                  f"the uneven-length translator (end-of-sequence bias {u['eos_bias']}), start to exit, "
                  "nothing forced; target tokens produced per sentence min/median/max:",
                  "", "| path | seconds (runs) | ratio to naive | tokens | per sentence | peak RSS MB |",
                  "|---|---:|---:|---:|---|---:|"]  # fmt: skip
        for name, row in u["paths"].items():
            p = row["produced"]
            runs = ", ".join(f"{x:.1f}" for x in row["runs_s"])
            lines.append(f"| {name} | {row['process_s']:.1f} ({runs}) | **{row['ratio']:.1f}x** | "
                         f"{p['tokens']} | {p['min']}/{p['median']:g}/{p['max']} | {row['peak_rss_mb']:.0f} |")  # fmt: skip
    if "uneven_throughput" in r:
        lines += ["", "(j2) The default path's throughput by output lengths, every sample sentence, "
                  "in-process (load not counted):", "",
                  "| arm | target tokens | per sentence min/median/max | generate s | tok/s |",
                  "|---|---:|---|---:|---:|"]  # fmt: skip
        for row in r["uneven_throughput"]:
            p = row["produced"]
            spread = f"{p['min']}/{p['median']:g}/{p['max']}" if "min" in p else "forced"
            lines.append(f"| {row['arm']} | {p['tokens']} | {spread} | {row['gen_s']:.1f} | "
                         f"{row['tokens_per_s']:.0f} |")  # fmt: skip
    return lines


# --------------------------------------------------------------------------- docs row

#: the per-CPU table of docs/performance.md lies between these lines; --record rewrites the
#: row of the CPU kind it ran on (a row starts with "| `KIND` |") and keeps the others
DOCS_START = "<!-- per-CPU rows: bench/run.py --record rewrites its CPU kind's row -->"
DOCS_END = "<!-- end of per-CPU rows -->"


def _x(value: float | None) -> str:
    return "not run" if value is None else f"{value:.1f}x"


def docs_row(r: dict[str, Any]) -> str:
    """This run's row of docs/performance.md's per-CPU table (Markdown, one line)."""
    m = r["machine"]
    load = r["load_average"]["whole run"]
    compute = "not run"
    if "compute_types" in r:
        c = r["compute_types"]
        base = next(row for row in c["rows"] if row["arm"] == "CTranslate2 int8")

        def short(row: dict[str, Any]) -> str:
            name = row["arm"].replace("CTranslate2 ", "").replace("transformers (torch) ", "torch ")
            name = name.replace(", batched", "")
            same = row.get("resolved") and row.get("resolved") == base.get("resolved")
            return name + (" (runs as int8)" if same else "")

        vs = ", ".join(f"{short(row)} {row['translate_ratio']:.2f}/{row['summarize_ratio']:.2f}"
                       for row in c["rows"] if row is not base)  # fmt: skip
        compute = f"**{percpu.choose_compute_type(c)}** (vs int8, translate/map round: {vs})"
    stage = "not run"
    if "brief_stage" in r:
        b = r["brief_stage"]
        ratio = statistics.median(row["ratio"] for row in b["articles"])
        stage = (f"**{percpu.choose_brief_translator(b)}** (one worker {ratio:.2f}x of "
                 f"{b['threads']['workers']} workers)")  # fmt: skip
    brief = [row["ratio"] for row in r.get("brief", []) if "ratio" in row]
    brief_x = f"{min(brief):.1f}-{max(brief):.1f}x" if brief else "not run"
    translate = r.get("translate_longest", {}).get("paths", {}).get("default", {}).get("ratio")
    uneven = r.get("uneven_translate", {}).get("paths", {}).get("default", {}).get("ratio")
    quiet = "" if r["quiet"] else " NOT QUIET"
    cells = [
        f"`{m['cpu_kind']}`",
        f"{m['cpu']}, {m['cores']} cores ({' '.join(m['cpu_flags'])}; CTranslate2 {m['ct2_gemm']})",
        f"{m['load_at_start']:.2f} at start, {load['min']:.1f}-{load['max']:.1f} during{quiet}",
        compute,
        stage,
        _x(translate),
        brief_x,
        _x(uneven),
        f"{time.strftime('%Y-%m-%d')}, `bench/run.py {' '.join(r.get('argv', []))}`",
    ]
    return "| " + " | ".join(cells) + " |"


def record_docs_row(r: dict[str, Any], path: Path | None = None) -> str:
    """Write this run's row into docs/performance.md's per-CPU table (its kind's row replaced,
    the others kept); return the row."""
    path = path or ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    if DOCS_START not in text or DOCS_END not in text:
        raise SystemExit(f"bench: {path} has no per-CPU table ({DOCS_START!r} ... {DOCS_END!r})")
    head, rest = text.split(DOCS_START, 1)
    table, tail = rest.split(DOCS_END, 1)
    row = docs_row(r)
    kind = f"| `{r['machine']['cpu_kind']}` |"
    lines = [line for line in table.strip("\n").splitlines() if not line.startswith(kind)]
    lines.append(row)
    header = [line for line in lines if not re.match(r"\| `", line)]
    rows = sorted(line for line in lines if re.match(r"\| `", line))
    body = "\n".join(header + rows)
    path.write_text(f"{head}{DOCS_START}\n{body}\n{DOCS_END}{tail}", encoding="utf-8")
    return row
