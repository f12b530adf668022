"""Threads on shared cores: CTranslate2 inter x intra threads and torch threads, alone and
beside one competing CPU-bound process, with and without OMP_WAIT_POLICY=PASSIVE.

    .venv/bin/python bench/threads.py [--repeats 3] [--only ct2|torch|chunk]

Both CTranslate2's wheel (MKL and oneDNN inside) and torch's CPU wheel use GNU OpenMP
(libgomp; each bundles its own copy), so OMP_WAIT_POLICY and GOMP_SPINCOUNT are what steer
their idle threads; KMP_BLOCKTIME (Intel's runtime) does nothing here.

Workloads, full-size random-weight models, forced output lengths (1.6 x Arabic words), beam 4:
* ``translate``: the longest sample's sentences through the project's CTranslate2Model
  (int8; batches submitted asynchronously, as summarize/backends/ctranslate2.py does);
* ``torch``: its first 8 sentences through the transformers backend (fp32, batched);
* ``chunk``: one 512-token mT5 chunk -> 84 tokens, CTranslate2 int8.
Each OpenMP environment gets one long-lived worker process (OpenMP reads its environment at
start) that holds every configuration loaded; configurations then run in turn (A B C ...
A B C ...), alone and beside ``python -c 'while True: pass'``, so that each is measured
within seconds of the others. The time is the generation only (model load excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import research as R  # noqa: E402

CORES = os.cpu_count() or 1
PASSIVE = {"OMP_WAIT_POLICY": "PASSIVE"}
CONFIGS: dict[str, list[tuple[str, dict[str, Any], dict[str, str]]]] = {
    "ct2": [
        (f"ct2 inter 1 x intra {CORES}", {"inter": 1, "intra": CORES}, {}),
        (f"ct2 inter {CORES} x intra 1 (today's default)", {"inter": CORES, "intra": 1}, {}),
        ("ct2 inter 1 x intra 1 (--threads 1)", {"inter": 1, "intra": 1}, {}),
        (f"ct2 inter 1 x intra {CORES}, PASSIVE", {"inter": 1, "intra": CORES}, PASSIVE),
    ],
    "torch": [
        (f"torch {CORES} threads (today's default)", {"threads": CORES}, {}),
        ("torch 1 thread (--threads 1)", {"threads": 1}, {}),
        (f"torch {CORES} threads, PASSIVE", {"threads": CORES}, PASSIVE),
    ],
    "chunk": [
        (f"mT5 chunk, ct2 inter 1 x intra {CORES}", {"inter": 1, "intra": CORES}, {}),
        (
            f"mT5 chunk, ct2 inter {CORES} x intra 1 (today's default)",
            {"inter": CORES, "intra": 1},
            {},
        ),  # fmt: skip
        ("mT5 chunk, ct2 inter 1 x intra 1", {"inter": 1, "intra": 1}, {}),
        (
            f"mT5 chunk, ct2 inter 1 x intra {CORES}, PASSIVE",
            {"inter": 1, "intra": CORES},
            PASSIVE,
        ),  # fmt: skip
    ],
}
HOG = [sys.executable, "-c", "while True: pass"]


def translate_job(n: int | None = None) -> tuple[list[str], list[int]]:
    _, prepared = R.longest_sample()
    texts = ([prepared.title] if prepared.title else []) + [s.text for s in prepared.sentences]
    texts = texts[:n] if n else texts
    return texts, [max(4, round(1.6 * len(t.split()))) for t in texts]


def _ct2_models(kind: str, configs: list[dict[str, Any]]) -> dict[str, Any]:
    import ctranslate2

    from summarize.backends.ctranslate2 import CTranslate2Model
    from summarize.backends.tokenizers import PieceTokenizer

    tok = PieceTokenizer(R.tokenizer(kind))
    models = {}
    for cfg in configs:
        translator = ctranslate2.Translator(
            str(R.converted(kind)),
            device="cpu",
            compute_type="int8",
            inter_threads=cfg["inter"],
            intra_threads=cfg["intra"],
        )
        models[json.dumps(cfg)] = CTranslate2Model(
            R.spec_of(kind), tok, translator, {}, forced_eos=kind == "marian", cap=511
        )
    return models


def worker(args: argparse.Namespace) -> None:
    """A long-lived worker: loads every configuration of its group once (its OpenMP policy
    comes from its environment), then runs the one named on each stdin line and answers
    with the generation time, so configurations alternate within seconds of each other."""
    configs = [json.loads(c) for c in json.loads(args.config)]
    if args.worker == "torch":
        import torch

        from summarize.backends import LoadOptions
        from summarize.backends.transformers import load

        options = LoadOptions(backend="transformers", precision="fp32", threads=CORES)
        model = load(R.spec_of("marian"), options)
        texts, lengths = translate_job(8)
    elif args.worker == "chunk":
        from summarize.chunking import pack_chunks

        models = _ct2_models("mt5", configs)
        _, prepared = R.longest_sample()
        first = next(iter(models.values()))
        chunks = pack_chunks(prepared.text, prepared.sentences, first.count_tokens, 512)
        texts, lengths = [chunks[0].model_text], [84]
    else:
        models = _ct2_models("marian", configs)
        texts, lengths = translate_job()
    print("ready", flush=True)
    for line in sys.stdin:
        key = line.strip()
        if args.worker == "torch":
            torch.set_num_threads(json.loads(key)["threads"])
            run = model
        else:
            run = models[key]
        t0 = time.perf_counter()
        run.generate(texts, lengths, lengths)
        print(json.dumps({"gen_s": time.perf_counter() - t0}), flush=True)


class Worker:
    """A worker process of one group and one OpenMP environment."""

    def __init__(self, workload: str, configs: list[dict[str, Any]], extra_env: dict[str, str]):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_", "KMP_"))}
        env.update(extra_env)
        payload = json.dumps([json.dumps(c) for c in configs])
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", workload, "--config", payload],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"worker failed to start: {workload} {extra_env}")

    def run(self, cfg: dict[str, Any]) -> float:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(cfg) + "\n")
        self.proc.stdin.flush()
        return float(json.loads(self.proc.stdout.readline())["gen_s"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CONFIGS), action="append")
    parser.add_argument("--worker", choices=["translate", "torch", "chunk"])
    parser.add_argument("--config")
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    groups = args.only or ["ct2", "chunk", "torch"]
    workload_of = {"ct2": "translate", "torch": "torch", "chunk": "chunk"}
    R.converted("marian"), R.converted("mt5")  # conversions outside the timings
    began = time.perf_counter()
    report: dict[str, Any] = {"cores": CORES, "load_average_before": R.load_average()}
    times: dict[str, dict[str, list[float]]] = {}
    for group in groups:
        workers: dict[str, Worker] = {}
        for _, _cfg, extra in CONFIGS[group]:
            policy = json.dumps(extra)
            if policy not in workers:
                configs = [c for _, c, e in CONFIGS[group] if e == extra]
                workers[policy] = Worker(workload_of[group], configs, extra)
        try:
            for _label, cfg, extra in CONFIGS[group]:  # warm-up, untimed
                workers[json.dumps(extra)].run(cfg)
            for rep in range(args.repeats):
                for hog in (False, True):
                    proc = subprocess.Popen(HOG) if hog else None
                    try:
                        for label, cfg, extra in CONFIGS[group]:
                            key = f"{label} [{'+1 busy process' if hog else 'alone'}]"
                            t = workers[json.dumps(extra)].run(cfg)
                            times.setdefault(group, {}).setdefault(key, []).append(t)
                            R.log(f"rep {rep}: {key}: {t:.2f} s (load {R.load_average()})")
                    finally:
                        if proc is not None:
                            proc.kill()
                            proc.wait()
        finally:
            for w in workers.values():
                w.close()
    report["times"] = times
    report["load_average_after"] = R.load_average()
    report["seconds"] = time.perf_counter() - began
    R.RESULTS.mkdir(parents=True, exist_ok=True)
    (R.RESULTS / "threads.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for group, arms in times.items():
        base = next(iter(arms))
        print()
        print(R.ratio_table(arms, base, f"{group} ({workload_of[group]}), {args.repeats} repeats"))
        # The slowdown a competing process causes, per configuration.
        print("\n| configuration | alone s | +1 busy s | slowdown |\n|---|---:|---:|---:|")
        for label, _, _ in CONFIGS[group]:
            alone = statistics.median(arms[f"{label} [alone]"])
            busy = statistics.median(arms[f"{label} [+1 busy process]"])
            print(f"| {label} | {alone:.2f} | {busy:.2f} | {busy / alone:.2f}x |")
    print(
        f"\nload average {report['load_average_before']} -> {report['load_average_after']}; "
        f"{report['seconds']:.0f} s"
    )


if __name__ == "__main__":
    main()
