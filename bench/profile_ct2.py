"""Where the time of the CTranslate2 path goes, process start to exit.

    .venv/bin/python bench/profile_ct2.py imports      # -X importtime of --help, translate, brief
    .venv/bin/python bench/profile_ct2.py stages       # brief and translate, stage by stage
    .venv/bin/python bench/profile_ct2.py decode       # encode vs decode, beams, threads, vmap
    .venv/bin/python bench/profile_ct2.py mapround     # a 5,000-word map round, vmap off/on
    .venv/bin/python bench/profile_ct2.py length       # 200 / 1,000 / 5,000 / 20,000 words

Full-size random-weight models in bench/.cache (built and converted on first use), on the
default path (no flags: CTranslate2 int8, the vocabulary map, light tokenizers). ``stages`` and
``length`` run each article in its own process (start to exit, peak RSS from wait4) through the
pipeline's Engine, timestamping its progress callbacks (one per map-reduce round); with
``--no-vmap`` (the worker's flag) both models decode with their full output layer.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import research as R  # noqa: E402

LENGTHS = (200, 1_000, 5_000, 20_000)


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str, str]:
    """Run CMD; (wall seconds start to exit, stdout, stderr)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=R.ROOT,
        text=True,
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(err[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, out, err


def peak_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run CMD with stdout to a file; (wall s, its own peak RSS MB via wait4, stdout)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=R.ROOT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace")[-3000:])
            raise SystemExit(f"command failed: {' '.join(cmd)}")
        out.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "summarize", *args]


def model_args(summarizer: bool = True) -> list[str]:
    """The full-size models, on the default path (no backend or precision flags)."""
    models = ["--summarizer", str(R.model_dir("mt5"))] if summarizer else []
    return [*models, "--translator", str(R.model_dir("marian"))]


# --------------------------------------------------------------------------- imports


def parse_importtime(stderr: str) -> dict[str, float]:
    """Cumulative import seconds per top-level package, from ``-X importtime`` output."""
    totals: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m or len(m.group(3)) != 1:  # top level only: one space of indent
            continue
        totals[m.group(4).split(".")[0]] += int(m.group(2)) / 1e6
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def cmd_imports(args: argparse.Namespace) -> dict[str, Any]:
    longest, _ = R.longest_sample()
    R.converted("marian"), R.converted("mt5")
    runs = {
        "--help": cli("--help"),
        "translate": cli("translate", str(longest), *model_args(False), "--format", "json", "-q"),
        "brief": cli("brief", str(longest), *model_args(), "--format", "json", "-q"),
    }
    out: dict[str, Any] = {}
    for name, cmd in runs.items():
        cmd = [cmd[0], "-X", "importtime", *cmd[1:]]
        wall, _, err = run_child(cmd)
        tops = parse_importtime(err)
        out[name] = {
            "wall_s": wall,
            "imports_s": sum(tops.values()),
            "top": dict(list(tops.items())[:12]),
            "torch_imported": any(re.search(r"\|\s+torch$", line) for line in err.splitlines()),
        }
        print(f"\n{name}: {wall:.2f} s start to exit; imports {sum(tops.values()):.2f} s; "
              f"torch imported: {out[name]['torch_imported']}")  # fmt: skip
        print("| package | cumulative import s |\n|---|---:|")
        for pkg, s in list(tops.items())[:10]:
            print(f"| {pkg} | {s:.3f} |")
    return out


# --------------------------------------------------------------------------- stages


def worker(args: argparse.Namespace) -> None:
    """One article in this process, as the CLI runs it; stage timestamps as JSON on stdout."""
    t_start = time.perf_counter()
    marks: list[tuple[str, float]] = [("python start -> worker main", 0.0)]
    try:
        import psutil

        marks[0] = ("python start -> worker main", time.time() - psutil.Process().create_time())
    except ImportError:
        pass
    from summarize.articles import Article
    from summarize.backends import LoadOptions
    from summarize.pipeline import Engine

    t_import = time.perf_counter()
    events: list[tuple[str, int, int, float]] = []

    def progress(event: Any) -> None:  # summarize.progress.Progress
        events.append((event.stage, event.done, event.total, time.perf_counter()))

    options = LoadOptions(threads=args.threads)  # the default path
    engine = Engine(
        summarizer=str(R.model_dir("mt5")),
        translator=str(R.model_dir("marian")),
        options=options,
        progress=progress,
    )
    path = Path(args.article)
    article = Article(text=path.read_text(encoding="utf-8"), source=str(path), encoding="utf-8")
    t0 = time.perf_counter()
    tokenizer_s: dict[str, float] = {}
    if args.task == "brief":
        for role in ("summarizer", "translator"):
            a = time.perf_counter()
            model = getattr(engine, role)
            tokenizer_s[role] = time.perf_counter() - a
            inner = model.model if role == "summarizer" else model  # MapReduce wraps the Model
            if args.no_vmap:
                inner.use_vmap = False
        result = engine.brief(article)
    else:
        a = time.perf_counter()
        translator = engine.translator
        tokenizer_s["translator"] = time.perf_counter() - a
        if args.no_vmap:
            translator.use_vmap = False  # type: ignore[attr-defined]
        result = engine.translate(article)
    t_end = time.perf_counter()
    stages: dict[str, float] = defaultdict(float)
    for role, s in tokenizer_s.items():
        stages[f"load {role} (tokenizer + CTranslate2)"] += s
    last = t0 + sum(tokenizer_s.values())
    for stage, done, total, at in events:
        if stage.startswith("loading"):
            continue
        if done == 0:
            last = at
        elif done == total:
            stages[stage] += at - last
            last = at
    data = result.to_dict()
    out = {
        "before_main_s": marks[0][1],
        "imports_s": t_import - t_start,
        "stages": dict(stages),
        "pipeline_total_s": t_end - t0,
        "timings": data["timings"],
        "stats": {k: v for k, v in data["stats"].items() if k != "removed_lines"},
        "rounds": [e[0] for e in events if e[1] == 0 and not e[0].startswith("loading")],
    }
    print(json.dumps(out))


def prepare_vmap() -> None:
    """The conversions, with their vocabulary maps (what a first run writes)."""
    R.converted("mt5", script="arabic"), R.converted("marian", script="latin")


def stage_run(task: str, article: Path, vmap: bool, threads: int | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", task, "--article", str(article)]
    if not vmap:
        cmd.append("--no-vmap")
    if threads:
        cmd += ["--threads", str(threads)]
    wall, rss, out = peak_child(cmd)
    data = json.loads(out.strip().splitlines()[-1])
    data.update(wall_s=wall, peak_rss_mb=rss)
    return data


def cmd_stages(args: argparse.Namespace) -> dict[str, Any]:
    prepare_vmap()
    longest, _ = R.longest_sample()
    results: dict[str, Any] = {}
    arms = [("translate", True), ("brief", True), ("brief", False)]
    for rep in range(args.repeats):
        for task, vmap in arms:
            key = f"{task}{'' if vmap else ', no vmap'}"
            r = stage_run(task, longest, vmap, args.threads)
            results.setdefault(key, []).append(r)
            R.log(f"rep {rep}: {key}: {r['wall_s']:.1f} s")
    for key, runs in results.items():
        r = sorted(runs, key=lambda x: x["wall_s"])[len(runs) // 2]  # the median run
        walls = ", ".join(f"{x['wall_s']:.1f}" for x in runs)
        print(f"\n{key} ({longest.name}), median of {len(runs)}: {r['wall_s']:.2f} s start "
              f"to exit, peak RSS {r['peak_rss_mb']:.0f} MB; walls {walls}")  # fmt: skip
        print("| stage | s |\n|---|---:|")
        print(f"| interpreter start | {r['before_main_s']:.2f} |")
        print(f"| imports (summarize.pipeline and what it pulls in) | {r['imports_s']:.2f} |")
        for stage, s in r["stages"].items():
            print(f"| {stage} | {s:.2f} |")
        rest = r["wall_s"] - r["before_main_s"] - r["imports_s"] - sum(r["stages"].values())
        print(f"| other (prepare, chunking, exit) | {rest:.2f} |")
    return results


# --------------------------------------------------------------------------- decode


def cmd_decode(args: argparse.Namespace) -> dict[str, Any]:
    """One chunk: encode vs decode, beams, vmap; three chunks: how the batch meets threads."""
    import ctranslate2

    prepare_vmap()
    folder = R.converted("mt5")
    tok = R.tokenizer("mt5")
    chunk = R.first_chunk_tokens(tok)
    cores = os.cpu_count() or 1
    t12 = ctranslate2.Translator(str(folder), compute_type="int8", inter_threads=1,
                                 intra_threads=cores)  # fmt: skip
    t21 = ctranslate2.Translator(str(folder), compute_type="int8", inter_threads=cores,
                                 intra_threads=1)  # fmt: skip

    def go(t: Any, sources: list[list[str]], beam: int, steps: int, vmap: bool = False,
           per_batch: int = 0) -> Any:  # fmt: skip
        def run() -> None:
            t.translate_batch(sources, beam_size=beam, max_decoding_length=steps,
                              min_decoding_length=steps, no_repeat_ngram_size=2,
                              length_penalty=0.6, use_vmap=vmap, max_batch_size=per_batch)  # fmt: skip

        return run

    one = [chunk]
    arms = {
        "encode + 1 step, beam 4": go(t12, one, 4, 1),
        "84 steps, greedy": go(t12, one, 1, 84),
        "84 steps, beam 2": go(t12, one, 2, 84),
        "84 steps, beam 4": go(t12, one, 4, 84),
        "84 steps, beam 4, vmap": go(t12, one, 4, 84, True),
        "84 steps, beam 2, vmap": go(t12, one, 2, 84, True),
        "84 steps, greedy, vmap": go(t12, one, 1, 84, True),
        "encode + 1 step, beam 4, vmap": go(t12, one, 4, 1, True),
    }
    times = R.interleave(arms, args.repeats)
    print(R.ratio_table(times, "84 steps, beam 4",
                        f"One 512-token mT5 chunk, int8, inter 1 x intra {cores}, "
                        f"{args.repeats} interleaved repeats"))  # fmt: skip
    three = [chunk] * 3
    arms3 = {
        f"3 chunks, one batch, inter {cores} x intra 1 (today)": go(t21, three, 4, 84),
        f"3 chunks, one batch, inter 1 x intra {cores}": go(t12, three, 4, 84),
        f"3 chunks, batches of 1, inter {cores} x intra 1": go(t21, three, 4, 84, per_batch=1),
        f"3 chunks, one batch, inter 1 x intra {cores}, vmap": go(t12, three, 4, 84, True),
        f"3 chunks, batches of 1, inter {cores} x intra 1, vmap": go(
            t21, three, 4, 84, True, per_batch=1
        ),
    }
    times3 = R.interleave(arms3, args.repeats)
    print()
    print(R.ratio_table(times3, next(iter(arms3)),
                        f"Three chunks (an 800-word article's map round), beam 4, 84 steps, "
                        f"{args.repeats} interleaved repeats"))  # fmt: skip
    return {"one_chunk": times, "three_chunks": times3}


def cmd_mapround(args: argparse.Namespace) -> dict[str, Any]:
    """A long article's map round through the project's CTranslate2Model, vmap off and on.

    Today's threads (inter = cores x intra 1, batches submitted asynchronously); the arms
    alternate in one process, so both see the same load.
    """
    import ctranslate2

    from summarize.articles import Article
    from summarize.backends.ctranslate2 import CTranslate2Model
    from summarize.backends.tokenizers import PieceTokenizer
    from summarize.chunking import pack_chunks
    from summarize.pipeline import prepare

    prepare_vmap()
    cores = os.cpu_count() or 1
    path = long_article(args.words[0] if args.words != list(LENGTHS) else 5_000)
    prepared = prepare(Article(text=path.read_text(encoding="utf-8"), source=str(path),
                               encoding="utf-8"))  # fmt: skip
    translator = ctranslate2.Translator(str(R.converted("mt5")), compute_type="int8",
                                        inter_threads=cores, intra_threads=1)  # fmt: skip
    tok = PieceTokenizer(R.tokenizer("mt5"))
    full = CTranslate2Model(R.spec_of("mt5"), tok, translator, {}, cap=511)
    restricted = CTranslate2Model(R.spec_of("mt5"), tok, translator, {}, cap=511, use_vmap=True)
    chunks = pack_chunks(prepared.text, prepared.sentences, full.count_tokens, 512)
    texts = [c.model_text for c in chunks]
    n = [84] * len(texts)
    times = R.interleave(
        {"full vocabulary": lambda: full.generate(texts, n, n),
         "vmap": lambda: restricted.generate(texts, n, n)},
        args.repeats,
        warmup=False,
    )  # fmt: skip
    print(R.ratio_table(times, "full vocabulary",
                        f"Map round of a {prepared.words}-word article: {len(texts)} chunks, "
                        f"beam 4, 84 tokens, inter {cores} x intra 1"))  # fmt: skip
    return {"chunks": len(texts), "times": times}


# --------------------------------------------------------------------------- length


def long_article(words: int) -> Path:
    """An article of about WORDS words: the samples' sentences in turn, 3-5 per paragraph."""
    out = R.CACHE / "articles" / f"article-{words}.txt"
    if out.is_file():
        return out
    prepared = [p for _, p in R.samples()]
    title = max(prepared, key=lambda p: p.words).title or "مقال"
    sentences = [s.text for p in prepared for s in p.sentences]
    paragraphs, current, count, i = [], [], 0, 0
    while count < words:
        s = sentences[i % len(sentences)]
        current.append(s)
        count += len(s.split())
        i += 1
        if len(current) >= 3 + (len(paragraphs) % 3):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return out


def cmd_length(args: argparse.Namespace) -> dict[str, Any]:
    prepare_vmap()
    rows = []
    for words in args.words:
        article = long_article(words)
        for task, vmap in [("brief", True), ("translate", True)]:
            if task == "translate" and words > args.max_translate_words:
                continue
            r = stage_run(task, article, vmap, args.threads)
            label = f"{task}{'' if vmap else ', no vmap'}"
            rows.append({"words": words, "task": label, **r})
            R.log(f"{words} words {label}: {r['wall_s']:.1f} s, {r['stats']}, rounds {r['rounds']}")
    print("\n| words | command | chunks | reduce rounds | s start to exit | load s | "
          "summarize s | translate s | peak RSS MB |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    for r in rows:
        t = r["timings"]
        print(f"| {r['stats']['words']} | {r['task']} | {r['stats']['chunks']} | "
              f"{r['stats']['reduce_rounds']} | {r['wall_s']:.1f} | {t['load_s']:.1f} | "
              f"{t['summarize_s']:.1f} | {t['translate_s']:.1f} | {r['peak_rss_mb']:.0f} |")  # fmt: skip
    for r in rows:
        per = {k: round(v, 2) for k, v in r["stages"].items()}
        print(f"{r['words']} words, {r['task']}: stages {per}")
    return {"rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", nargs="?", choices=["imports", "stages", "decode", "mapround", "length"]
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--words", type=int, nargs="+", default=list(LENGTHS))
    parser.add_argument("--max-translate-words", type=int, default=5_000)
    parser.add_argument("--worker", choices=["brief", "translate"])
    parser.add_argument("--article")
    parser.add_argument("--no-vmap", action="store_true")
    args = parser.parse_args()
    if args.worker:
        args.task = args.worker
        return worker(args)
    if not args.command:
        parser.error("name a command: imports, stages, decode, mapround or length")
    R.converted("marian"), R.converted("mt5")
    began = time.perf_counter()
    before = R.load_average()
    result = {
        "imports": cmd_imports,
        "stages": cmd_stages,
        "decode": cmd_decode,
        "mapround": cmd_mapround,
        "length": cmd_length,
    }[args.command](args)
    report = {"command": args.command, "load_average": [before, R.load_average()],
              "seconds": time.perf_counter() - began, "result": result}  # fmt: skip
    R.RESULTS.mkdir(parents=True, exist_ok=True)
    (R.RESULTS / f"profile-{args.command}.json").write_text(
        json.dumps(report, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nload average {before} -> {R.load_average()}; {report['seconds']:.0f} s")


if __name__ == "__main__":
    main()
