"""A real day through `summarize digest`: the SaudiNewsNet day of 10 outlets (1,318 articles).

    .venv/bin/python bench/digest_day.py [--corpus ../shared/corpora/saudinewsnet-2015-07-23.jsonl]
                                         [--out bench/results/digest-day] [--check 30]

The corpus's records (``id, source, url, date_extracted, title, author, content``) become the
digest's JSON Lines (``id, text, title, outlet, published, url``); the demo translator
(``summarize models demo``, random weights: its English is gibberish, its cost per token real
enough to time the pipeline) and the extractive summarizer run the digest as a user would, one
process, start to exit. It prints the CPU, the load, the time, the stories found and the
largest ones (by id and outlet: the corpus is CC BY-NC-SA and research-only, so no text of it is
printed into anything meant for the repository).

``--check N`` writes N stories of two or more articles, drawn at random with a fixed seed, with
each article's outlet, headline and first 300 characters, to ``OUT/check.md``: the material for
judging purity by hand (a story is pure when all its articles report the same event). That
file holds corpus text: keep it out of the repository (bench/results is ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet-2015-07-23.jsonl"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def to_digest_jsonl(corpus: Path, out: Path) -> int:
    n = 0
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            r = json.loads(line)
            record = {
                "id": r["id"],
                "text": r["content"],
                "title": r["title"],
                "outlet": r["source"],
                "published": r["date_extracted"][:10],
                "url": r["url"],
            }
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "digest-day")
    parser.add_argument("--check", type=int, default=0, metavar="N")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    day = args.out / "day.jsonl"
    articles = to_digest_jsonl(args.corpus, day)
    demo = args.out / "demo"
    summarize = [sys.executable, "-m", "summarize"]
    if not (demo / "marian").is_dir():
        subprocess.run([*summarize, "models", "demo", str(demo)], check=True, capture_output=True)
    command = [
        *summarize, "digest", str(day), "-f", "json", "-o", str(args.out / "digest.json"),
        "--translator", str(demo / "marian"), "-q",
    ]  # fmt: skip
    if args.threads:
        command += ["--threads", str(args.threads)]
    load_before = os.getloadavg()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()
    if done.returncode not in (0, 11):  # 11: some records were skipped (empty articles)
        print(done.stderr, file=sys.stderr)
        return done.returncode
    digest = json.loads((args.out / "digest.json").read_text(encoding="utf-8"))
    stories = digest["stories"]
    multi = [s for s in stories if len(s["articles"]) > 1]
    sizes: dict[int, int] = {}
    for s in multi:
        sizes[len(s["articles"])] = sizes.get(len(s["articles"]), 0) + 1
    report = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_1m_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "seconds": round(seconds, 1),
        "exit_code": done.returncode,
        "timings": digest["timings"],
        "records": articles,
        "articles_read": digest["articles"],
        "skipped": len(digest["skipped"]),
        "stories": len(stories),
        "stories_of_2_or_more": len(multi),
        "articles_in_those": sum(len(s["articles"]) for s in multi),
        "story_sizes": dict(sorted(sizes.items())),
        "stories_with_disagreements": sum(1 for s in stories if s["disagreements"]),
        "disagreements": sum(len(s["disagreements"]) for s in stories),
        "largest": [
            {
                "rank": rank,
                "outlets": len(s["outlets"]),
                "articles": [a["path"] for a in s["articles"]],
                "disagreements": len(s["disagreements"]),
            }
            for rank, s in enumerate(stories[:15], start=1)
        ],
    }
    print(json.dumps(report, indent=1))
    (args.out / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.check:
        write_check(multi, stories, day, args.out / "check.md", args.check)
    return 0


def write_check(multi: list[dict], stories: list[dict], day: Path, out: Path, n: int) -> None:
    texts = {}
    for line in day.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts[r["id"]] = r["text"]
    rank = {id(s): i for i, s in enumerate(stories, start=1)}
    chosen = sorted(random.Random(23).sample(multi, min(n, len(multi))), key=lambda s: rank[id(s)])
    lines = []
    for s in chosen:
        lines.append(f"## story {rank[id(s)]} ({len(s['articles'])} articles)")
        for a in s["articles"]:
            lines.append(f"- {a['outlet']} {a['path']}: {a['title']}")
            lines.append(f"  > {' '.join(texts.get(a['path'], '').split())[:300]}")
        for d in s["disagreements"]:
            values = ", ".join(f"{v['text']} ({v['outlet']})" for v in d["values"])
            lines.append(f"- DISAGREEMENT {d['kind']} «{d['about']}»: {values}")
        lines.append("")
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"stories to check by hand: {out}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
