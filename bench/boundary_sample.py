"""Draw candidate sentence boundaries from the shared corpora for a person to judge.

    .venv/bin/python bench/boundary_sample.py --corpus saudinewsnet --seed 1 --out /tmp/c.jsonl \
        --exclude tests/data/boundaries/saudinewsnet.jsonl [--uniform 100 | --only ..]
    .venv/bin/python bench/boundary_sample.py --corpus saudinewsnet --set uniform-4 \
        --store /tmp/c.jsonl /tmp/c.judged     # lines «N y», «N n RULE» or «N skip»

A candidate is a run of «. ! ? ؟ …» (with closing quotes) inside a line, followed by a space or
a letter: where a splitter has to decide. Each mark kind is drawn separately (a stratified
sample), so that the rare, hard ones («..», «!!», «؟!», «...») are well represented. The texts
are what the pipeline reads: the corpus headline, a blank line, the body, normalized; an offset
is where the mark run ends in that text (what ``explain_sentences`` reports). The output shows
the context without the splitter's decision, so that the judgment is blind, and marks the
candidates that furniture removal takes out («[furniture]»: not judged). ``--store`` adds the
judgments to tests/data/boundaries/ (see its README). SaudiNewsNet may not be copied into the
repository: only its record ids and offsets are stored there; ANT rows carry a short excerpt,
cut so that the splitter decides there as in the whole article.
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

from summarize.text import strip_furniture_explained, title_rule  # noqa: E402
from tests import corpora  # noqa: E402
from tests.boundary_support import predicted_split  # noqa: E402

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


def in_furniture(text: str, offset: int) -> bool:
    """Whether the candidate lies in what furniture removal takes out (a line, or an edge cut
    from one): the pipeline never asks the splitter about it, so it is not judged."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    after = text[offset : offset + 15].strip()
    _, removed = strip_furniture_explained(text)
    return any(r.text.strip() == line.strip() or (after and after in r.text) for r in removed)


def _rows(paths: list[Path]) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def full_offset(row: dict[str, object], texts: dict[str, str]) -> int:
    """Where a stored candidate ends in its whole article (ANT rows hold an excerpt)."""
    offset = int(str(row["offset"]))
    excerpt = row.get("text")
    if excerpt is None:
        return offset
    at = texts[str(row["id"])].find(str(excerpt))
    if at < 0:
        raise SystemExit(f"excerpt of {row['id']} not found in the corpus")
    return at + offset


_WORDS_AFTER = 20


def _sentence_start(line: str, before: int) -> int:
    """Where the sentence holding the mark that starts at BEFORE begins in LINE: after the
    last candidate end before it (or the line's start)."""
    start = 0
    for match in CANDIDATE.finditer(line, 0, before):
        start = match.end()
    while start < before and line[start].isspace():
        start += 1
    return start


def _words_after(line: str, at: int, words: int) -> int:
    spans = [m.end() for m in re.finditer(r"\S+", line[at:])]
    return len(line) if len(spans) <= words else at + spans[words - 1]


def excerpt(text: str, offset: int, mark: str) -> tuple[str, int]:
    """A short excerpt of TEXT that gives the splitter the same decision at the mark ending at
    OFFSET as the whole text does, and the mark's end in it: the sentence holding the mark
    and the words after it, or the headline and the start of the line after it; widened
    (the whole line, then the text up to the line's end) until the decisions agree."""
    title, _ = title_rule(text)
    whole = predicted_split(text, offset, mark)
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    if title is not None and offset <= text.index(title) + len(title):
        at = offset - text.index(title)
        rest = text[line_end:].lstrip("\n")
        head = rest.split("\n", 1)[0]
        tries = [
            title + "\n\n" + head[: _words_after(head, 0, _WORDS_AFTER)],
            title + "\n\n" + head,
        ]
        for candidate in tries:
            if predicted_split(candidate, at, mark) == whole:
                return candidate, at
    line = text[line_start:line_end]
    at = offset - line_start
    start = _sentence_start(line, at - len(mark))
    for a, b in ((start, _words_after(line, at, _WORDS_AFTER)), (start, len(line)), (0, len(line))):
        candidate = line[a:b]
        if predicted_split(candidate, at - a, mark) == whole:
            return candidate, at - a
    candidate = text[:line_end]
    if predicted_split(candidate, offset, mark) != whole:
        raise SystemExit(f"no excerpt keeps the decision at {offset}")
    return candidate, offset


def store(corpus: str, drawn: Path, judgments: Path, set_name: str) -> None:
    """Append the judged candidates of DRAWN (this script's output) to
    tests/data/boundaries: JUDGMENTS holds one line per candidate, ``N y`` (a sentence ends),
    ``N n RULE`` (it does not, and why) or ``N skip`` (page furniture, not judged)."""
    articles = corpora.saudinewsnet() if corpus == "saudinewsnet" else corpora.ant()
    texts = {a.id: corpora.boundary_text(a) for a in articles}
    candidates = [json.loads(line) for line in drawn.read_text(encoding="utf-8").splitlines()]
    target = ROOT / "tests" / "data" / "boundaries" / f"{corpus}.jsonl"
    seen = {(row["id"], full_offset(row, texts)) for row in _rows([target])}
    rows = []
    for line in judgments.read_text(encoding="utf-8").splitlines():
        n, verdict, *why = line.split()
        c = candidates[int(n)]
        if verdict == "skip" or (c["id"], c["offset"]) in seen:
            continue
        split = verdict == "y"
        row: dict[str, object] = {"id": c["id"]}
        text, offset, mark = texts[c["id"]], int(c["offset"]), str(c["mark"])
        if corpus == "ant":
            row["text"], offset = excerpt(text, offset, mark)
        rule = "new-sentence" if split else why[0]
        row.update(offset=offset, mark=mark, split=split, rule=rule, set=set_name)
        rows.append(row)
    with target.open("a", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} judged candidates added to {target.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["saudinewsnet", "ant"], required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every quota")
    parser.add_argument(
        "--only", nargs="*", choices=sorted(QUOTAS), help="draw only these kinds of mark"
    )
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
    parser.add_argument("--out", type=Path, help="where the drawn candidates go (JSONL)")
    parser.add_argument(
        "--store",
        type=Path,
        nargs=2,
        metavar=("DRAWN", "JUDGMENTS"),
        help="add judged candidates to tests/data/boundaries instead of drawing",
    )
    parser.add_argument("--set", default="uniform", help="the set name stored judgments get")
    parser.add_argument("--before", type=int, default=90, help="characters shown before")
    parser.add_argument("--after", type=int, default=60, help="characters shown after")
    args = parser.parse_args()
    corpora.require_available(args.corpus)
    if args.store:
        store(args.corpus, *args.store, args.set)
        return
    if args.out is None:
        parser.error("--out is required to draw")
    articles = corpora.saudinewsnet() if args.corpus == "saudinewsnet" else corpora.ant()
    texts = {a.id: corpora.boundary_text(a) for a in articles}
    seen = {(row["id"], full_offset(row, texts)) for row in _rows(args.exclude)}
    rng = random.Random(args.seed)
    drawn = []
    pools = {
        name: [c for c in pool if (c["id"], c["offset"]) not in seen]
        for name, pool in sorted(candidates(articles).items())
        if not args.only or name in args.only
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
            before = text[max(0, offset - args.before) : offset].replace("\n", "⏎")
            after = text[offset : offset + args.after].replace("\n", "⏎")
            f.write(json.dumps({**c, "corpus": args.corpus}, ensure_ascii=False) + "\n")
            flag = " [furniture]" if in_furniture(text, offset) else ""
            print(f"[{n}] {c['id']}{flag} …{before}‖{after}…")


if __name__ == "__main__":
    main()
