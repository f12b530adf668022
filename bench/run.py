"""The speed benchmark: the default path (no flags) beside the reference path and the naive
loop, on full-size models, in one run.

Run from the repository root (offline, about 40 minutes on 2 cores):

    .venv/bin/python bench/run.py

It builds full-size random-weight models (opus-mt-ar-en and mT5_multilingual_XLSum shapes)
into bench/.cache/ once, converts them as a first run does, then measures on the same inputs:
(a) the naive translation baseline and (b) the project's translation paths, in tokens per
second; (c') `summarize translate` of the longest sample, process start to exit: the default
path, its first run (conversion included), the reference path and the naive loop, arms
interleaved; (c) `summarize brief` of every sample against the same steps done naively;
(d) peak RSS of every path; (e) `summarize --help`; (f) what the vocabulary map buys, in
one process, arms interleaved; (g) a busy machine: `batch --task translate` of short articles
beside one CPU-bound process, default threads against `--threads 1`. The machine's load
average is sampled throughout. Every measured path runs in its own process, so its peak RSS
is its own. It prints Markdown tables and JSON, and writes bench/results/latest.json. Ratios
are what count: absolute seconds move with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
sys.path.insert(0, str(ROOT))

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


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.update(
        HF_HOME=str(CACHE / "hf"),  # conversions are cached here, never in the user's cache
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PYTHONWARNINGS="ignore",
    )
    return e


def run_child(
    cmd: list[str], stdout_path: Path | None = None, extra_env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """Run CMD; return (wall seconds from start to exit, its peak RSS in MB, exit code)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=out, stderr=err, env={**env(), **(extra_env or {})}, cwd=ROOT
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        err.seek(0)
        sys.stderr.write(err.read().decode(errors="replace")[-3000:])
        raise SystemExit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024, proc.returncode


# --------------------------------------------------------------------------- workers


def _spec(directory: Path, role: str, beams: int = 4) -> Any:
    from summarize.registry import load_registry, resolve

    return resolve(str(directory), role, load_registry())  # type: ignore[arg-type]


def worker_translate(args: argparse.Namespace) -> None:
    """Translate the job's sentences with one method at forced lengths; print timings."""
    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    directory = Path(job["model"])
    role = job.get("role", "translator")
    result = {}
    started = time.perf_counter()
    if args.method == "naive":
        result = _naive_generate(directory, role, job["texts"], job["lengths"])
    else:
        from summarize.backends import LoadOptions, load_model

        if args.method == "default":
            options = LoadOptions()
        else:
            backend = "ctranslate2" if args.method.startswith("ct2") else "transformers"
            precision = "int8" if args.method.endswith("int8") else "fp32"
            options = LoadOptions(backend=backend, precision=precision)  # type: ignore[arg-type]
        model = load_model(_spec(directory, role), options)
        if args.method.startswith("ct2"):
            model.use_vmap = False  # type: ignore[attr-defined]
        loaded = time.perf_counter()
        model.generate(job["texts"], job["lengths"], job["lengths"])
        result = {"load_s": loaded - started, "gen_s": time.perf_counter() - loaded}
    print(json.dumps(result))


def _naive_generate(
    directory: Path, role: str, texts: list[str], lengths: list[int]
) -> dict[str, float]:
    """What most scripts do: load, then model.generate one input at a time, fp32, beam 4."""
    started = time.perf_counter()
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from summarize.backends.tokenizers import quiet_libraries
    from summarize.backends.transformers import generation_kwargs

    quiet_libraries()
    settings = _spec(directory, role).generation
    tokenizer = AutoTokenizer.from_pretrained(str(directory))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(directory)).eval()
    loaded = time.perf_counter()
    for text, n in zip(texts, lengths, strict=True):
        encoded = tokenizer(text, return_tensors="pt")
        model.generate(**encoded, **generation_kwargs(settings, n, n))
    return {"load_s": loaded - started, "gen_s": time.perf_counter() - loaded}


def worker_naive_steps(args: argparse.Namespace) -> None:
    """The naive brief or translation: summarizer chunk by chunk, then sentence by sentence."""
    job = json.loads(Path(args.job).read_text(encoding="utf-8"))
    out: dict[str, float] = {}
    if job.get("chunks"):
        s = _naive_generate(
            Path(job["summarizer"]),
            "summarizer",
            job["chunks"],
            [job["summary_tokens"]] * len(job["chunks"]),
        )
        out["summarize_s"] = s["load_s"] + s["gen_s"]
    t = _naive_generate(Path(job["translator"]), "translator", job["texts"], job["lengths"])
    out["translate_s"] = t["load_s"] + t["gen_s"]
    print(json.dumps(out))


# --------------------------------------------------------------------------- the run


def machine() -> dict[str, Any]:
    import importlib.metadata as md

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0.0
    try:
        import psutil

        mem = psutil.virtual_memory().total / 2**30
    except ImportError:
        pass

    def version(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "torch": version("torch"),
        "transformers": version("transformers"),
        "ctranslate2": version("ctranslate2"),
    }


def build_models() -> tuple[Path, Path]:
    from summarize import devmodels

    t0 = time.perf_counter()
    marian = devmodels.build_marian(CACHE / "opus-mt-ar-en", full_size=True)
    mt5 = devmodels.build_mt5(CACHE / "mt5-xlsum", full_size=True)
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


def log(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def cli(*args: str) -> list[str]:
    return [PY, "-m", "summarize", *args]


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


class LoadSampler:
    """The machine's 1-minute load average every few seconds, in a thread, for the report."""

    def __init__(self, every: float = 5.0) -> None:
        import threading

        self.samples: list[float] = []
        self._stop = threading.Event()
        self._every = every
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))
            except (OSError, ValueError):
                pass
            if self._stop.wait(self._every):
                return

    def since(self, start: int) -> dict[str, float]:
        part = self.samples[start:] or self.samples[-1:] or [0.0]
        return {"min": min(part), "median": statistics.median(part), "max": max(part)}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


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
    summarizer = load_model(_spec(Path(job["summarizer"]), "summarizer"), LoadOptions())
    translator = load_model(_spec(Path(job["translator"]), "translator"), LoadOptions())
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
    parser.add_argument("--worker", choices=["translate", "naive-steps", "vmap"])
    parser.add_argument("--method", choices=TRANSLATION_METHODS)
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
    parser.add_argument("--skip", nargs="*", default=[], choices=["b", "c", "c'", "f", "g"])
    parser.add_argument("--help-runs", type=int, default=7)
    args = parser.parse_args()
    if args.worker == "translate":
        return worker_translate(args)
    if args.worker == "naive-steps":
        return worker_naive_steps(args)
    if args.worker == "vmap":
        return worker_vmap(args)

    begun = time.perf_counter()
    load = LoadSampler()
    RESULTS.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=CACHE))
    info = machine()
    log(f"machine: {info}")
    marian, mt5 = build_models()
    from transformers import AutoTokenizer

    from summarize.backends.tokenizers import quiet_libraries

    quiet_libraries()
    tgt_tok = AutoTokenizer.from_pretrained(str(marian))
    report: dict[str, Any] = {"machine": info, "models": {"translator": str(marian)}}
    report["models"]["summarizer"] = str(mt5)
    report["argv"] = sys.argv[1:]
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
    log(f"warm-up (conversions on a first run) {time.perf_counter() - t0:.0f} s")
    report["vmap_sizes"] = pad_vmaps(marian, mt5, args.vmap_size)

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

    load.stop()
    report["load_average"] = {"whole run": load.since(0), **sections}
    report["total_bench_s"] = time.perf_counter() - begun
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    print(json.dumps(report, indent=2))


def pad_vmaps(marian: Path, mt5: Path, size: int) -> dict[str, Any]:
    """Size the default path's vocabulary maps as the real models' would be (research.pad_vmap)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import research as R

    from summarize.backends.conversion import conversion_dir

    os.environ["HF_HOME"] = env()["HF_HOME"]
    out = {}
    for directory, role, script in ((marian, "translator", "latin"), (mt5, "summarizer", "arabic")):
        folder = conversion_dir(_spec(directory, role), directory, "int8")
        out[role] = R.pad_vmap(folder, script, size)
        log(f"vocabulary map of the {role}: {out[role]}")
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


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    la = r["load_average"]["whole run"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, "
        f"torch {m['torch']}, transformers {m['transformers']}, ctranslate2 {m['ctranslate2']}",
        f"Load average (1 min) during the run: {la['min']:.1f} to {la['max']:.1f}, median "
        f"{la['median']:.1f}; benchmark wall time {r['total_bench_s'] / 60:.1f} min",
        f"Vocabulary maps of the default path, always-allowed pieces: {r['vmap_sizes']}",
    ]
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
    lines += [
        "",
        f"(e) `summarize --help`: median {r['help_s']['median']:.3f} s over "
        f"{len(r['help_s']['runs'])} runs (target < 0.2 s)",
        "Load average by section: "
        + "; ".join(f"{k}: {v['min']:.1f}-{v['max']:.1f}" for k, v in r["load_average"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
