"""Draw candidate sentence boundaries from the shared corpora for a person to judge.

    .venv/bin/python bench/boundary_sample.py --corpus saudinewsnet --seed 1 --out /tmp/c.jsonl

A candidate is a run of «. ! ? ؟ …» (with closing quotes) inside a line, followed by a space or
a letter: where a splitter has to decide. Each mark kind is drawn separately (a stratified
sample), so that the rare, hard ones («..», «!!», «؟!», «...») are well represented. The texts
are what the pipeline reads: the corpus headline, a blank line, the body, normalized; an offset
is where the mark run ends in that text (what ``explain_sentences`` reports). The output shows
the context without the splitter's decision, so that the judgment is blind; judgments go to
tests/data/boundaries/ (see its README). SaudiNewsNet may not be copied into the repository:
only its record ids and offsets are stored there.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import corpora  # noqa: E402

CANDIDATE = re.compile(r"[.!?؟…]+[\"'”’»)]*(?=[ \u00a0]|[\u0621-\u064a«\"“])")
# How many of each kind to draw, per corpus.
QUOTAS = {"..": 90, "...": 15, "…": 6, "!!": 15, "!": 15, "؟!": 10, "؟": 15, ".": 30, "other": 12}


def kind(mark: str) -> str:
    bare = mark.rstrip("\"'”’»)")
    if bare in QUOTAS:
        return bare
    if set(bare) <= {"."} and len(bare) > 3:
        return "..."
    return "other"


def candidates(articles: tuple[corpora.CorpusArticle, ...]) -> dict[str, list[dict[str, object]]]:
    by_kind: dict[str, list[dict[str, object]]] = defaultdict(list)
    for article in articles:
        text = corpora.boundary_text(article)
        for match in CANDIDATE.finditer(text):
            line_end = text.find("\n", match.end())
            if text[match.end() : line_end if line_end >= 0 else len(text)].strip() == "":
                continue  # at a line's end: the line break decides
            by_kind[kind(match.group())].append(
                {"id": article.id, "offset": match.end(), "mark": match.group()}
            )
    return by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["saudinewsnet", "ant"], required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every quota")
    parser.add_argument(
        "--uniform", type=int, default=0, help="draw N candidates uniformly instead"
    )
    parser.add_argument(
        "--exclude",
        type=Path,
        nargs="*",
        default=[],
        help="JSONL files of judged boundaries to skip",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    corpora.require_available(args.corpus)
    articles = corpora.saudinewsnet() if args.corpus == "saudinewsnet" else corpora.ant()
    texts = {a.id: corpora.boundary_text(a) for a in articles}
    seen: set[tuple[str, int]] = set()
    for excluded in args.exclude:
        for line in excluded.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            seen.add((row["id"], row["offset"]))
    rng = random.Random(args.seed)
    drawn = []
    pools = {
        name: [c for c in pool if (c["id"], c["offset"]) not in seen]
        for name, pool in sorted(candidates(articles).items())
    }
    if args.uniform:  # the natural mix of marks, as a reader meets them
        everything = [c for pool in pools.values() for c in pool]
        drawn = rng.sample(everything, min(args.uniform, len(everything)))
    for name, pool in pools.items():
        if not args.uniform:
            quota = round(QUOTAS[name] * args.scale)
            drawn += rng.sample(pool, min(quota, len(pool)))
    rng.shuffle(drawn)
    with args.out.open("w", encoding="utf-8") as f:
        for n, c in enumerate(drawn):
            text, offset = texts[str(c["id"])], int(str(c["offset"]))
            before = text[max(0, offset - 90) : offset].replace("\n", "⏎")
            after = text[offset : offset + 60].replace("\n", "⏎")
            f.write(json.dumps({**c, "corpus": args.corpus}, ensure_ascii=False) + "\n")
            print(f"[{n}] {c['id']} …{before}‖{after}…")


if __name__ == "__main__":
    main()
