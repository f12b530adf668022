"""A whole day of news in batch: `summarize batch` over the 1,318 SaudiNewsNet articles.

    .venv/bin/python bench/day_batch.py [--work DIR] [--limit N]

Writes each article as a text file the way a page gives it (headline, byline, body; the corpus
is CC BY-NC-SA, research only: the files stay in the work folder, outside the repository),
builds the offline demo models (`summarize models demo`), and runs, in a child process,

    summarize batch IN -o OUT --summarizer extractive --translator DEMO/marian -f json

then reports: wall time, failures by cause (from the manifest), and what looks odd in the
outputs (empty summaries, lines over 80 words, no headline, lines that are bylines or
furniture). Prints Markdown. The demo translator's English is gibberish; everything around it is
the real pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.text import RUN_ON_WORDS, furniture_rule  # noqa: E402
from summarize.text.bylines import is_byline  # noqa: E402
from tests import corpora  # noqa: E402

CLI = [sys.executable, "-m", "summarize"]


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    corpora.require_available("saudinewsnet")
    work = args.work or Path(tempfile.mkdtemp(prefix="summarize-day-"))
    articles = corpora.saudinewsnet()[: args.limit or None]
    inputs, out, demo = work / "in", work / "out", work / "demo"
    inputs.mkdir(parents=True, exist_ok=True)
    for a in articles:
        (inputs / f"{a.id}.txt").write_text(a.page(), encoding="utf-8")
    env = {**os.environ, "HF_HOME": str(work / "hf"), "HF_HUB_OFFLINE": "1"}
    if not (demo / "marian").is_dir():
        subprocess.run([*CLI, "models", "demo", str(demo)], check=True, env=env)
    command = [
        *CLI, "batch", str(inputs), "-o", str(out), "-f", "json", "-q",
        "--summarizer", "extractive", "--translator", str(demo / "marian"),
    ]  # fmt: skip
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    print(f"CPU: {_cpu()}, {os.cpu_count()} cores, load {load:.2f} before the run")
    print(f"`summarize batch` over {len(articles)} articles: exit {proc.returncode}, {wall:.0f} s")
    if proc.stderr.strip():
        print("stderr (last lines):\n" + "\n".join(proc.stderr.strip().splitlines()[-5:]))
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines() if x]
    status = Counter(str(m.get("status")) for m in manifest)
    causes = Counter(str(m.get("error"))[:80] for m in manifest if m.get("status") != "ok")
    print(f"manifest: {dict(status)}")
    for cause, n in causes.most_common():
        print(f"- {n} × {cause}")
    odd: Counter[str] = Counter()
    examples: dict[str, str] = {}
    seconds = [float(m["seconds"]) for m in manifest if "seconds" in m]
    for path in sorted(out.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") != "brief":
            continue
        checks = {
            "no summary line": not data["summary"],
            "no headline": data["title"] is None,
            "no byline": data.get("byline") is None,
            "a line over 80 words": any(
                len(x["ar"].split()) > RUN_ON_WORDS for x in data["summary"]
            ),
            "a line is furniture": any(furniture_rule(x["ar"]) for x in data["summary"]),
            "a line is a byline": any(is_byline(x["ar"], alone=True) for x in data["summary"]),
            "an empty translation": any(not x["en"].strip() for x in data["summary"]),
        }
        for name, hit in checks.items():
            if hit:
                odd[name] += 1
                examples.setdefault(name, path.stem)
    print("| in the outputs | articles | e.g. |\n|---|---:|---|")
    for name, n in odd.most_common():
        print(f"| {name} | {n} | {examples[name]} |")
    if seconds:
        seconds.sort()
        print(
            f"seconds per article (manifest): median {seconds[len(seconds) // 2]:.2f}, "
            f"max {seconds[-1]:.2f}, sum {sum(seconds):.0f}"
        )
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
