"""The speed benchmark: the default path (no flags) beside the reference path and the naive
loop, on full-size models, in one run, on a quiet machine (see bench/README.md).

Run from the repository root (offline, about 45-55 minutes on 2 cores; it refuses to start when
the 1-minute load average is above 0.5 unless --allow-load):

    .venv/bin/python bench/run.py --batch-articles 30 --record

It builds full-size random-weight models (opus-mt-ar-en and mT5_multilingual_XLSum shapes)
into bench/.cache/ once, converts them as a first run does, records the CPU (model, kind,
flags) and the load, then measures: (h) compute types on this CPU and (i) the brief's
translate stage by thread plan (with --record their choice becomes this CPU kind's row in
summarize/cpus.toml, and the run's figures its row in docs/performance.md); (a) the naive translation baseline and (b) the project's translation
paths, in tokens per second; (c') `summarize translate` of the longest sample, process start
to exit: the default path, its first run, the reference path and the naive loop, arms
interleaved; (c) `summarize brief` of every sample against the same steps done naively;
(d) peak RSS of every path; (e) `summarize --help`; (f) what the vocabulary map buys; (g) a
busy machine; (j) uneven output lengths. Every measured path runs in its own process, so its
peak RSS is its own. It prints Markdown tables, the targets of this CPU's vendor (met or missed
by how much) and JSON, and writes bench/results/latest.json. Ratios are what count.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import percpu  # noqa: E402
import uneven as uneven_lengths  # noqa: E402
from common import (  # noqa: E402
    CACHE,
    PY,
    RESULTS,
    ROOT,
    LoadSampler,
    check_quiet,
    cli,
    env,
    log,
    machine,
    run_child,
    spec_of,
)
from report import record_docs_row, render, targets  # noqa: E402

TRANSLATION_METHODS = ["naive", "tf", "tf-int8", "ct2", "ct2-int8", "default"]
METHOD_LABELS = {
    "naive": "(a) transformers, one sentence at a time, fp32 (naive)",
    "tf": "(b) transformers batched, sorted by length, fp32 (the reference path)",
    "tf-int8": "(b) transformers batched, torch dynamic int8",
    "ct2": "(b) CTranslate2 batched, fp32, full output layer",
    "ct2-int8": "(b) CTranslate2 batched, int8, full output layer",
    "default": "(b) the default path: CTranslate2 int8 with the vocabulary map",
}
#: The flags of the reference path; the default path has none.
REFERENCE = ["--backend", "transformers", "--precision", "fp32"]
HOG = [sys.executable, "-c", "while True: pass"]


# --------------------------------------------------------------------------- workers


def worker_translate(args: argparse.Namespace) -> None:
    """Translate the job's sentences with one method; print timings. Forced lengths (min = max
    = ``lengths``), or with ``"unforced": true`` each output bounded by ``lengths`` only, as
    the CLI does (min 0), the outputs printed too so that the parent counts their tokens."""
    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    directory = Path(job["model"])
    role = job.get("role", "translator")
    mins = None if job.get("unforced") else job["lengths"]
    result: dict[str, Any] = {}
    started = time.perf_counter()
    if args.method == "naive":
        result = _naive_generate(directory, role, job["texts"], job["lengths"], mins is not None)
    else:
        from summarize.backends import LoadOptions, load_model

        if args.method.startswith("default"):
            options = LoadOptions()
        else:
            backend = "ctranslate2" if args.method.startswith("ct2") else "transformers"
            precision = "int8" if args.method.endswith("int8") else "fp32"
            options = LoadOptions(backend=backend, precision=precision)  # type: ignore[arg-type]
        model = load_model(spec_of(directory, role), options)
        if args.method.startswith("ct2"):
            model.use_vmap = False  # type: ignore[attr-defined]
        loaded = time.perf_counter()
        if args.method == "default-rebatch":
            outputs = _ct2_rebatched(model, job["texts"], job["lengths"])
        else:
            outputs = model.generate(job["texts"], job["lengths"], mins)
        result = {"load_s": loaded - started, "gen_s": time.perf_counter() - loaded}
        if mins is None:
            result["outputs"] = outputs
    print(json.dumps(result))


def _ct2_rebatched(model: Any, texts: list[str], bounds: list[int]) -> list[str]:
    """What CTranslate2 offers for uneven lengths, instead of the project's batches: every
    sentence in one call, which CTranslate2 sorts by length and splits into batches of at most
    REBATCH_TOKENS source tokens, each a job for any free worker. Not what the product does: the
    batches (hence the outputs) differ, and one decoding bound (the longest) holds for all."""
    tokens = [model.pieces.tokens(t) for t in texts]
    results = model.model.translate_batch(
        tokens,
        max_batch_size=REBATCH_TOKENS,
        batch_type="tokens",
        beam_size=model.spec.generation.num_beams,
        length_penalty=model.spec.generation.length_penalty,
        no_repeat_ngram_size=model.spec.generation.no_repeat_ngram_size,
        max_decoding_length=max(bounds),
        use_vmap=model.use_vmap,
    )
    return [
        model.pieces.detokenize(r.hypotheses[0][:b]) for r, b in zip(results, bounds, strict=True)
    ]


#: the token budget of CTranslate2's own batches in the rebatching arm
REBATCH_TOKENS = 1024


def _naive_generate(
    directory: Path, role: str, texts: list[str], lengths: list[int], forced: bool = True
) -> dict[str, Any]:
    """What most scripts do: load, then model.generate one input at a time, fp32, beam 4.
    Not FORCED: each output bounded by its length only, as the CLI does (the outputs are
    returned, so that their tokens can be counted)."""
    started = time.perf_counter()
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from summarize.backends.tokenizers import quiet_libraries
    from summarize.backends.transformers import generation_kwargs

    quiet_libraries()
    settings = spec_of(directory, role).generation
    tokenizer = AutoTokenizer.from_pretrained(str(directory))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(directory)).eval()
    loaded = time.perf_counter()
    outputs = []
    for text, n in zip(texts, lengths, strict=True):
        encoded = tokenizer(text, return_tensors="pt")
        out = model.generate(**encoded, **generation_kwargs(settings, n, n if forced else 0))
        if not forced:
            outputs.append(tokenizer.decode(out[0], skip_special_tokens=True))
    result: dict[str, Any] = {"load_s": loaded - started, "gen_s": time.perf_counter() - loaded}
    if not forced:
        result["outputs"] = outputs
    return result


def worker_naive_steps(args: argparse.Namespace) -> None:
    """The naive brief or translation: summarizer chunk by chunk, then sentence by sentence."""
    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    if job.get("chunks"):
        s = _naive_generate(
            Path(job["summarizer"]),
            "summarizer",
            job["chunks"],
            [job["summary_tokens"]] * len(job["chunks"]),
        )
        out["summarize_s"] = s["load_s"] + s["gen_s"]
    forced = not job.get("unforced")
    t = _naive_generate(Path(job["translator"]), "translator", job["texts"], job["lengths"], forced)
    out["translate_s"] = t["load_s"] + t["gen_s"]
    if not forced:
        out["outputs"] = t["outputs"]
    print(json.dumps(out))


# --------------------------------------------------------------------------- the run


def build_models(tiny: bool = False) -> tuple[Path, Path]:
    """The full-size models (TINY: the tests' tiny ones, to try the script in minutes)."""
    from summarize import devmodels

    t0 = time.perf_counter()
    prefix = "tiny-" if tiny else ""
    marian = devmodels.build_marian(CACHE / f"{prefix}opus-mt-ar-en", full_size=not tiny)
    mt5 = devmodels.build_mt5(CACHE / f"{prefix}mt5-xlsum", full_size=not tiny)
    log(f"full-size models ready in {time.perf_counter() - t0:.0f} s: {marian}, {mt5}")
    return marian, mt5


def sample_sentences() -> list[tuple[str, list[str]]]:
    from summarize.articles import Article
    from summarize.pipeline import prepare

    out = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        article = Article(text=path.read_text(encoding="utf-8"), source=str(path), encoding="utf-8")
        prepared = prepare(article)
        sentences = ([prepared.title] if prepared.title else []) + [
            s.text for s in prepared.sentences
        ]
        out.append((str(path), sentences))
    return out


def target_lengths(tokenizer: Any, pairs: list[dict[str, str]]) -> list[int]:
    """Each output's length in target tokens, </s> included (transformers spends a step on it).

    Re-encoding decoded text can give a few more tokens than were generated, so each length is
    capped at what the CLI could produce for that sentence (the registry's bound, and the
    decoder's 511 positions): the naive loop never does more work than the CLI did.
    """
    from summarize.registry import load_registry

    gen = load_registry().default("translator").generation
    out = []
    for pair in pairs:
        n = len(tokenizer(text_target=pair["en"])["input_ids"])
        bound = min(gen.bound_for(len(tokenizer(pair["ar"])["input_ids"])), 511)
        out.append(min(n, bound))
    return out


class Hog:
    """One competing CPU-bound process (``while True: pass``) while the block runs."""

    def __enter__(self) -> Hog:
        self.proc = subprocess.Popen(HOG)
        time.sleep(1.0)  # let it take its core
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


def short_articles(folder: Path, samples: list[tuple[str, list[str]]], n: int) -> Path:
    """N short articles for a batch: one sentence of 5-12 words each, the samples' short
    sentences in turn (a stream of headlines and captions, the shape of issue 12's report)."""
    sentences = [s for _, ss in samples for s in ss[1:] if 5 <= len(s.split()) <= 12]
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        text = sentences[k % len(sentences)]
        (folder / f"short-{k:03d}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def manifest_seconds(out_dir: Path) -> list[float]:
    rows = [json.loads(x) for x in (out_dir / "manifest.jsonl").read_text().splitlines() if x]
    return [float(r.get("seconds") or 0.0) for r in rows]


def outputs_digest(out_dir: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(out_dir.glob("short-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        digest.update(json.dumps(data.get("translation"), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def worker_vmap(args: argparse.Namespace) -> None:
    """What the vocabulary map buys, in one process: the longest sample's map round (one batch
    of its chunks) and its translation, each with the map and with the full output layer, the
    arms interleaved."""
    sys.path.insert(0, str(ROOT / "bench"))
    import research as R

    from summarize.backends import LoadOptions, load_model
    from summarize.chunking import pack_chunks
    from summarize.pipeline.translate import translate_sentences

    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    summarizer = load_model(spec_of(Path(job["summarizer"]), "summarizer"), LoadOptions())
    translator = load_model(spec_of(Path(job["translator"]), "translator"), LoadOptions())
    _, prepared = R.longest_sample()
    chunks = pack_chunks(prepared.text, prepared.sentences, summarizer.count_tokens, 512)
    texts = [c.model_text for c in chunks]
    n = [84] * len(texts)
    sentences = ([prepared.title] if prepared.title else []) + [s.text for s in prepared.sentences]

    def arm(model: Any, use_vmap: bool, fn: Any) -> Any:
        def go() -> None:
            model.use_vmap = use_vmap
            fn()

        return go

    arms = {
        "summarizer map round, full output layer": arm(
            summarizer, False, lambda: summarizer.generate(texts, n, n)
        ),
        "summarizer map round, vocabulary map": arm(
            summarizer, True, lambda: summarizer.generate(texts, n, n)
        ),
        "translator, full output layer": arm(
            translator, False, lambda: translate_sentences(translator, sentences, None)
        ),
        "translator, vocabulary map": arm(
            translator, True, lambda: translate_sentences(translator, sentences, None)
        ),
    }
    times = R.interleave(arms, args.repeats)
    print(json.dumps({"chunks": len(texts), "sentences": len(sentences), "times": times}))


# --------------------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--worker", choices=["translate", "naive-steps", "vmap", "compute", "brief-stage"]
    )
    parser.add_argument("--method", help="a worker's method or compute-type arm")
    parser.add_argument("--job")
    parser.add_argument(
        "--naive-brief-samples",
        type=int,
        default=5,
        help="samples whose brief is also done naively (about 1.5-2 min each on 2 cores)",
    )
    parser.add_argument("--repeats", type=int, default=2, help="of (c') and (f), interleaved")
    parser.add_argument(
        "--vmap-size",
        type=int,
        default=32_000,
        help="always-allowed pieces in the bench models' vocabulary maps (see bench/README.md)",
    )
    parser.add_argument("--batch-articles", type=int, default=100)
    parser.add_argument(
        "--busy-spin",
        action="store_true",
        help="(g) also runs the reference path with OMP_WAIT_POLICY=ACTIVE (spinning threads)",
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["b", "c", "c'", "f", "g", "h", "i", "j"]
    )
    parser.add_argument("--help-runs", type=int, default=7)
    parser.add_argument(
        "--allow-load",
        action="store_true",
        help="measure even when the 1-minute load average is above 0.5 (the report says NOT "
        "QUIET); without it a busy machine stops the run before anything is measured",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="write what (h) and (i) choose into summarize/cpus.toml for this CPU's kind, before "
        "the end-to-end sections run with it, and at the end this kind's row of the per-CPU "
        "table in docs/performance.md (a quiet run only)",
    )
    parser.add_argument(
        "--mkl-arms",
        action="store_true",
        help="(h) also runs CTranslate2 with Intel MKL forced (CT2_USE_MKL=1) where it is not "
        "the default (AMD): its int16 and int8 (minutes: 10-20x slower there)",
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="the tests' tiny models instead of the full-size ones: tries every section of the "
        "script in minutes; its figures mean nothing",
    )
    args = parser.parse_args()
    workers = {"translate": worker_translate, "naive-steps": worker_naive_steps,
               "vmap": worker_vmap, "compute": percpu.worker_compute,
               "brief-stage": percpu.worker_brief_stage}  # fmt: skip
    if args.worker:
        return workers[args.worker](args)

    quiet = check_quiet(args.allow_load)
    if args.record and args.tiny:
        raise SystemExit("bench: --record with --tiny: the tiny models' figures mean nothing")
    if args.record and not quiet:
        raise SystemExit("bench: --record needs a quiet machine: the row would hold noise")
    begun = time.perf_counter()
    load = LoadSampler()
    RESULTS.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=CACHE))
    info = machine()
    log(f"machine: {info}")
    # An installed package is byte-compiled (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile ~90 modules in every child (0.1 s each run).
    compileall.compile_dir(str(ROOT / "summarize"), quiet=1)
    marian, mt5 = build_models(args.tiny)
    from transformers import AutoTokenizer

    from summarize.backends.tokenizers import quiet_libraries

    quiet_libraries()
    tgt_tok = AutoTokenizer.from_pretrained(str(marian))
    report: dict[str, Any] = {"machine": info, "models": {"translator": str(marian)}}
    report["models"]["summarizer"] = str(mt5)
    report["argv"] = sys.argv[1:]
    report["quiet"] = quiet
    sections: dict[str, dict[str, float]] = {}

    def section(name: str, start: int) -> None:
        sections[name] = load.since(start)
        log(f"{name}: load average {sections[name]}")

    samples = sample_sentences()
    smallest = min(samples, key=lambda s: sum(len(x.split()) for x in s[1]))[0]
    longest = max(samples, key=lambda s: sum(len(x.split()) for x in s[1]))[0]
    models = ["--summarizer", str(mt5), "--translator", str(marian)]

    # Warm-up: what a first run does (converts both models for the default path), untimed
    # here (the first run of `translate` is timed in (c')); then the vocabulary maps sized.
    t0 = time.perf_counter()
    run_child(cli("brief", smallest, *models, "--format", "json", "-q"))
    run_child(cli("translate", smallest, "--translator", str(marian), "--backend", "ctranslate2",
                  "--precision", "fp32", "--format", "json", "-q"))  # fmt: skip
    uneven = uneven_lengths.build_uneven(marian)
    run_child(cli("translate", smallest, "--translator", str(uneven), "--format", "json", "-q"))
    log(f"warm-up (conversions on a first run) {time.perf_counter() - t0:.0f} s")
    report["vmap_sizes"] = pad_vmaps(marian, mt5, args.vmap_size, uneven)

    # (h) compute types on this CPU, (i) the brief's translate stage by thread plan; with
    # --record their choice becomes this CPU kind's row before the end-to-end sections run.
    if "h" not in args.skip:
        mark = len(load.samples)
        report["compute_types"] = percpu.compute_types(
            work, marian, mt5, info, max(3, args.repeats), args.mkl_arms
        )
        section("h", mark)
    if "i" not in args.skip:
        mark = len(load.samples)
        lines = brief_lines(work, samples, models)
        report["brief_stage"] = percpu.brief_stage(work, marian, lines, max(3, args.repeats))
        section("i", mark)
    if args.record:
        row = percpu.record_row(info, report.get("compute_types"), report.get("brief_stage"))
        report["recorded_row"] = row
        log(f"recorded in summarize/cpus.toml:\n{row}")
    from summarize.cpus import read_settings

    settings = read_settings((ROOT / "summarize" / "cpus.toml").read_text(encoding="utf-8"))
    chosen = settings.get(info["cpu_kind"])
    report["cpu_settings"] = vars(chosen) if chosen else "defaults (no row for this CPU kind)"

    # (e) start-up time of --help
    mark = len(load.samples)
    helps = [run_child(cli("--help"))[0] for _ in range(args.help_runs)]
    report["help_s"] = {"median": statistics.median(helps), "runs": helps}
    log(f"--help median {statistics.median(helps):.3f} s")

    # (a) + (b): all sentences of all samples, forced lengths 1.6 x Arabic words.
    if "b" not in args.skip:
        mark = len(load.samples)
        report["translation"] = throughput(work, marian, samples)
        section("b", mark)

    # (c') translate the longest sample end to end: default, first run, reference, naive.
    if "c'" not in args.skip:
        mark = len(load.samples)
        report["translate_longest"] = translate_longest(work, marian, longest, tgt_tok, args)
        section("c'", mark)

    # (c) brief on every sample, default path, against the same steps done naively.
    if "c" not in args.skip:
        mark = len(load.samples)
        report["brief"] = briefs(work, marian, mt5, samples, tgt_tok, args)
        section("c", mark)

    # (f) what the vocabulary map buys.
    if "f" not in args.skip:
        mark = len(load.samples)
        job = work / "vmap.json"
        job.write_text(json.dumps({"summarizer": str(mt5), "translator": str(marian)}))
        out = work / "vmap.out.json"
        _, rss, _ = run_child([PY, __file__, "--worker", "vmap", "--job", str(job),
                               "--repeats", str(max(2, args.repeats))], out)  # fmt: skip
        report["vmap"] = {**json.loads(out.read_text()), "peak_rss_mb": rss}
        section("f", mark)

    # (g) a busy machine: batch --task translate of short articles beside one busy process.
    if "g" not in args.skip:
        mark = len(load.samples)
        report["busy"] = busy(work, marian, samples, args)
        section("g", mark)

    # (j) uneven output lengths.
    if "j" not in args.skip:
        mark = len(load.samples)
        report["uneven_translate"] = uneven_lengths.translate_uneven(
            work, uneven, longest, tgt_tok, args.repeats
        )
        report["uneven_throughput"] = uneven_lengths.throughput_uneven(
            work, marian, uneven, samples, tgt_tok
        )
        section("j", mark)

    load.stop()
    report["targets"] = targets(report)
    report["load_average"] = {"whole run": load.since(0), **sections}
    report["total_bench_s"] = time.perf_counter() - begun
    if args.record:
        row = record_docs_row(report)
        log(f"recorded in docs/performance.md's per-CPU table:\n{row}")
    name = "latest-tiny.json" if args.tiny else "latest.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    print(json.dumps(report, indent=2))


def brief_lines(
    work: Path, samples: list[tuple[str, list[str]]], models: list[str]
) -> dict[str, list[str]]:
    """Each sample's brief lines as the brief's translate call gets them (its summary lines,
    then its title), from a default `summarize brief` of it."""
    lines = {}
    for path, _ in samples:
        out = work / f"lines-{Path(path).stem}.json"
        run_child(cli("brief", path, *models, "--format", "json", "-q"), out)
        data = json.loads(out.read_text())
        title = [data["title"]["ar"]] if data["title"] else []
        lines[Path(path).name] = [x["ar"] for x in data["summary"]] + title
    return lines


def pad_vmaps(marian: Path, mt5: Path, size: int, uneven: Path | None = None) -> dict[str, Any]:
    """Size the default path's vocabulary maps as the real models' would be (research.pad_vmap)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import research as R

    from summarize.backends.conversion import conversion_dir

    os.environ["HF_HOME"] = env()["HF_HOME"]
    out = {}
    models = [(marian, "translator", "latin"), (mt5, "summarizer", "arabic")]
    if uneven is not None:
        models.append((uneven, "translator", "latin"))
    for directory, role, script in models:
        folder = conversion_dir(spec_of(directory, role), directory, "int8")
        out[directory.name] = R.pad_vmap(folder, script, size)
        log(f"vocabulary map of {directory.name}: {out[directory.name]}")
    return out


def throughput(
    work: Path, marian: Path, samples: list[tuple[str, list[str]]]
) -> list[dict[str, Any]]:
    texts = [s for _, sentences in samples for s in sentences]
    lengths = [max(4, round(1.6 * len(s.split()))) for s in texts]
    job = work / "sentences.json"
    job.write_text(json.dumps({"model": str(marian), "texts": texts, "lengths": lengths}))
    tokens = sum(lengths)
    rows = []
    for method in TRANSLATION_METHODS:
        out = work / f"{method}.json"
        wall, rss, _ = run_child(
            [PY, __file__, "--worker", "translate", "--method", method, "--job", str(job)], out
        )
        r = json.loads(out.read_text())
        row = {"method": method, "label": METHOD_LABELS[method], "sentences": len(texts),
               "target_tokens": tokens, "gen_s": r["gen_s"], "load_s": r["load_s"],
               "tokens_per_s": tokens / r["gen_s"], "process_s": wall, "peak_rss_mb": rss}  # fmt: skip
        rows.append(row)
        log(f"{method}: {row['tokens_per_s']:.1f} tok/s, peak {rss:.0f} MB")
    base = rows[0]["tokens_per_s"]
    for row in rows:
        row["ratio"] = row["tokens_per_s"] / base
    return rows


def translate_longest(
    work: Path, marian: Path, longest: str, tgt_tok: Any, args: argparse.Namespace
) -> dict[str, Any]:
    """`summarize translate` of the longest sample, start to exit: the default path, the
    reference path and the naive loop (same output lengths), interleaved ARGS.repeats times;
    and once, the default path's first run (an empty cache: the conversion included)."""
    base = ["translate", longest, "--translator", str(marian), "--format", "json", "-q"]
    fresh = work / "hf-first-run"
    wall, rss, _ = run_child(cli(*base), extra_env={"HF_HOME": str(fresh)})
    shutil.rmtree(fresh, ignore_errors=True)
    first_run = {"process_s": wall, "peak_rss_mb": rss}
    log(f"translate, default, first run (converts): {wall:.1f} s")
    naive_job = work / "naive-translate.json"
    arms: dict[str, list[str]] = {
        "default": cli(*base),
        "reference": cli(*base, *REFERENCE),
        "naive": [PY, __file__, "--worker", "naive-steps", "--job", str(naive_job)],
    }
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in arms}
    lengths: list[int] = []
    for rep in range(args.repeats):
        for name, cmd in arms.items():
            if name == "naive" and not lengths:  # the lengths the default path produced
                data = json.loads((work / "translate-default-0.json").read_text())
                pairs = ([data["title"]] if data["title"] else []) + data["translation"]
                lengths = target_lengths(tgt_tok, pairs)
                naive_job.write_text(json.dumps({"translator": str(marian), "lengths": lengths,
                                                 "texts": [p["ar"] for p in pairs]}))  # fmt: skip
            wall, rss, _ = run_child(cmd, work / f"translate-{name}-{rep}.json")
            runs[name].append((wall, rss))
            log(f"translate rep {rep}: {name} {wall:.1f} s, {rss:.0f} MB")
    naive = [w for w, _ in runs["naive"]]
    out: dict[str, Any] = {
        "sample": Path(longest).name,
        "sentences": len(lengths),
        "target_tokens": sum(lengths),
        "first_run": {**first_run, "ratio": statistics.median(naive) / first_run["process_s"]},
        "paths": {},
    }
    for name, values in runs.items():
        walls = [w for w, _ in values]
        paired = [n / w for n, w in zip(naive, walls, strict=True)]
        out["paths"][name] = {
            "process_s": statistics.median(walls),
            "runs_s": walls,
            "peak_rss_mb": max(r for _, r in values),
            "ratio": statistics.median(paired),
            "ratios": paired,
        }
    return out


def briefs(
    work: Path,
    marian: Path,
    mt5: Path,
    samples: list[tuple[str, list[str]]],
    tgt_tok: Any,
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    """`summarize brief` of every sample (default flags) against the same steps done naively:
    the summarizer one 512-token chunk at a time forced to its 84-token cap, then each summary
    line and the title translated one at a time to the brief's output lengths (fp32, beam 4,
    model loads included), each in its own process, the two alternating sample by sample."""
    from transformers import AutoTokenizer

    from summarize.articles import Article
    from summarize.chunking import pack_chunks
    from summarize.pipeline import prepare

    mt5_tok = AutoTokenizer.from_pretrained(str(mt5))
    rows = []
    by_size = sorted(samples, key=lambda s: sum(len(x.split()) for x in s[1]))
    for rank, (path, _) in enumerate(by_size):
        out = work / f"brief-{rank}.json"
        wall, rss, _ = run_child(
            cli("brief", path, "--summarizer", str(mt5), "--translator", str(marian),
                "--format", "json", "-q"), out)  # fmt: skip
        data = json.loads(out.read_text())
        row: dict[str, Any] = {"sample": Path(path).name, "brief_s": wall, "peak_rss_mb": rss,
                               "chunks": data["stats"]["chunks"],
                               "timings": data["timings"]}  # fmt: skip
        if rank < args.naive_brief_samples:
            prepared = prepare(
                Article(text=Path(path).read_text(encoding="utf-8"), source=path, encoding="utf-8")
            )
            chunks = pack_chunks(prepared.text, prepared.sentences,
                                 lambda t: len(mt5_tok(t)["input_ids"]), 512)  # fmt: skip
            pairs = data["summary"] + ([data["title"]] if data["title"] else [])
            naive_job = work / f"naive-brief-{rank}.json"
            naive_job.write_text(json.dumps({
                "summarizer": str(mt5), "translator": str(marian),
                "chunks": [c.model_text for c in chunks], "summary_tokens": 84,
                "texts": [p["ar"] for p in pairs],
                "lengths": target_lengths(tgt_tok, pairs),
            }))  # fmt: skip
            out2 = work / f"naive-brief-{rank}.out.json"
            nwall, nrss, _ = run_child([PY, __file__, "--worker", "naive-steps", "--job", str(naive_job)], out2)  # fmt: skip
            row.update(naive_s=nwall, naive_peak_rss_mb=nrss, ratio=nwall / wall,
                       naive_detail=json.loads(out2.read_text()))  # fmt: skip
            log(f"brief {row['sample']}: {wall:.1f} s vs naive {nwall:.1f} s = {nwall / wall:.1f}x")
        else:
            log(f"brief {row['sample']}: {wall:.1f} s")
        rows.append(row)
    return rows


def busy(
    work: Path, marian: Path, samples: list[tuple[str, list[str]]], args: argparse.Namespace
) -> dict[str, Any]:
    """`batch --task translate` of short articles, default threads against `--threads 1`, with
    one competing CPU-bound process; the default path alone for comparison."""
    folder = short_articles(work / "short", samples, args.batch_articles)
    base = ["batch", str(folder), "--task", "translate", "-f", "json", "-q",
            "--translator", str(marian)]  # fmt: skip
    arms: list[tuple[str, list[str], bool, dict[str, str]]] = [
        ("default, alone", [], False, {}),
        ("default, beside a busy process", [], True, {}),
        ("default --threads 1, beside a busy process", ["--threads", "1"], True, {}),
        ("reference, beside a busy process", REFERENCE, True, {}),
        ("reference --threads 1, beside a busy process", [*REFERENCE, "--threads", "1"], True, {}),
    ]
    if args.busy_spin:
        arms.append(("reference, spinning threads (OMP_WAIT_POLICY=ACTIVE), beside a busy process",
                     REFERENCE, True, {"OMP_WAIT_POLICY": "ACTIVE"}))  # fmt: skip
    rows = []
    for k, (label, extra, hog, extra_env) in enumerate(arms):
        out_dir = work / f"batch-{k}"
        cmd = cli(*base, "-o", str(out_dir), *extra)
        if hog:
            with Hog():
                wall, rss, _ = run_child(cmd, extra_env=extra_env)
        else:
            wall, rss, _ = run_child(cmd, extra_env=extra_env)
        seconds = manifest_seconds(out_dir)
        rows.append({"arm": label, "process_s": wall, "peak_rss_mb": rss,
                     "slowest_file_s": max(seconds), "median_file_s": statistics.median(seconds),
                     "outputs": outputs_digest(out_dir)})  # fmt: skip
        log(f"busy: {label}: {wall:.1f} s, slowest file {max(seconds):.2f} s")
    return {"articles": args.batch_articles, "rows": rows}


if __name__ == "__main__":
    main()
