"""How the trust checks do on professional translations: UD Arabic-PUD, the dev half.

    .venv/bin/python bench/check_pud.py [--corpus ../shared/corpora/pud-ar-en-dev.jsonl]
                                        [--seed 23] [--show flags|missed] [--json]

Prints, for the 505 Arabic sentences and their translators' English:

- **false flags**: pairs on which `summarize check` reports anything (the translations are
  professional, so every flag is a false alarm unless it names a real omission: those are
  listed with --show flags and judged by hand in docs/trust.md);
- **figure recall**: the share of injected figure errors caught (a check that the unchanged
  pair did not have). Each figure of each English sentence gets, in turn: one digit changed,
  a year moved by 1-9 years, the figure dropped (with its preposition), a spelled number
  changed, a dropped %; each sentence gets an added figure;
- **month-swap recall**: every month named in a pair is changed, on the English side (with and
  without a day) and on the Arabic side into another naming (Gregorian «أبريل», Levantine and
  Iraqi «نيسان», Maghreb «أفريل»);
- **name-swap recall in summary lines**: each Arabic sentence is a summary line of its own
  document; a name in it (a word whose English counterpart is a capitalized word of the
  translation, found by the transliteration matcher or the gazetteer) is replaced by a name of
  the same kind from another document; the line must be flagged (`unsupported_name`), and
  every unchanged line must not be;
- **rewrites flagged for names**: real rewrites, one Saudi outlet's sentences checked against
  another outlet's copy of the same story (bench/check_rewrites.py, from
  `../shared/corpora/saudinewsnet-2015-07-23.jsonl`; skipped with a note when it is absent).

The injections are seeded (--seed) and deterministic. The corpus lives outside the repository
(`../shared/corpora/`, CC BY-SA 4.0, Universal Dependencies UD_Arabic-PUD); without it the
script says so and exits 2.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarize.pipeline.checking import check_summary_record, check_translation_record  # noqa: E402
from summarize.trust.name_pairs import english_counterparts  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import check_rewrites  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "pud-ar-en-dev.jsonl"

MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()
# Every common naming of each Gregorian month, the first being the Egyptian/Gulf one.
MONTHS_AR = [
    ("يناير", "كانون الثاني", "جانفي"),
    ("فبراير", "شباط", "فيفري"),
    ("مارس", "آذار", "مارس"),
    ("أبريل", "نيسان", "أفريل"),
    ("مايو", "أيار", "ماي"),
    ("يونيو", "حزيران", "جوان"),
    ("يوليو", "تموز", "جويلية"),
    ("أغسطس", "آب", "أوت"),
    ("سبتمبر", "أيلول", "سبتمبر"),
    ("أكتوبر", "تشرين الأول", "أكتوبر"),
    ("نوفمبر", "تشرين الثاني", "نوفمبر"),
    ("ديسمبر", "كانون الأول", "ديسمبر"),
]
SPELLED = "three four five six seven eight nine ten eleven twelve twenty thirty forty fifty".split()
FIGURE = re.compile(r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w%])|(?<![\w.,-])\d+(?:\.\d+)?")
PERCENT = re.compile(r"(\d)(\s?%| percent| per cent)")
WORD = re.compile(r"\b(" + "|".join(SPELLED) + r")\b", re.IGNORECASE)
PREPOSITION = re.compile(r"\b(in|of|on|by|from|to|at|about|some|than)\s+$", re.IGNORECASE)


@dataclass
class Pair:
    doc: str
    ar: str
    en: str


@dataclass
class Tally:
    """Injected errors of one kind, and how many were caught."""

    injected: int = 0
    caught: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, caught: bool, what: str) -> None:
        self.injected += 1
        self.caught += caught
        if not caught:
            self.missed.append(what)

    @property
    def recall(self) -> float:
        return self.caught / self.injected if self.injected else float("nan")


def read_corpus(path: Path) -> list[list[Pair]]:
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            docs.append(
                [
                    Pair(record["id"], ar, en)
                    for ar, en in zip(record["sentences"], record["english"], strict=True)
                ]
            )
    return docs


def flags(ar: str, en: str) -> set[tuple[str, str]]:
    return {(c.kind, c.value) for c in check_translation_record(ar, en)}


def caught_by(before: set[tuple[str, str]], ar: str, en: str) -> bool:
    """Whether the changed pair gets a check the unchanged pair did not have."""
    return not flags(ar, en) <= before


# -- figure errors, injected in the English -----------------------------------------------------


def figure_variants(en: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(kind of error, changed English) for each figure of EN."""
    for m in FIGURE.finditer(en):
        text = m.group()
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        i = rng.choice(digits)
        new = str((int(text[i]) + rng.randint(1, 9)) % 10)
        if i == 0 and new == "0" and len(digits) > 1:
            new = "1" if text[0] != "1" else "2"
        yield "changed digit", en[: m.start() + i] + new + en[m.start() + i + 1 :]
        if len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100:
            year = int(text) + rng.choice((-1, 1)) * rng.randint(1, 9)
            yield "changed year", en[: m.start()] + str(year) + en[m.end() :]
        before = PREPOSITION.sub("", en[: m.start()])
        after = en[m.end() :]
        pct = re.match(r"\s?%| percent| per cent", after)
        if pct:
            after = after[pct.end() :]
        yield "dropped figure", re.sub(r"\s{2,}", " ", before.rstrip() + " " + after.lstrip())
    for m in WORD.finditer(en):
        others = [w for w in SPELLED if w != m.group().lower()]
        yield "changed spelled number", en[: m.start()] + rng.choice(others) + en[m.end() :]
    for m in PERCENT.finditer(en):
        yield "dropped %", en[: m.start(2)] + en[m.end(2) :]


def added_figure(en: str, rng: random.Random) -> str:
    """EN with a figure it did not have: a count before a plural noun, or a year at the end."""
    words = list(re.finditer(r"\b[a-z]{4,}s\b", en))
    if words and rng.random() < 0.6:
        w = rng.choice(words)
        return en[: w.start()] + f"{rng.randint(3, 95)} " + en[w.start() :]
    year = rng.randint(1950, 2020)
    return re.sub(r"([.!?”\"']*)$", rf" in {year}\1", en.rstrip(), count=1)


# -- months ------------------------------------------------------------------------------------

EN_MONTH = re.compile(r"\b(" + "|".join(MONTHS_EN) + r")\b")


def month_variants(pair: Pair, rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """(kind, Arabic, English) with one month changed."""
    for m in EN_MONTH.finditer(pair.en):
        n = MONTHS_EN.index(m.group())
        new = MONTHS_EN[(n + rng.randint(1, 11)) % 12]
        with_day = bool(re.match(r"\s+\d", pair.en[m.end() :])) or bool(
            re.search(r"\d(st|nd|rd|th)?\s+(of\s+)?$", pair.en[: m.start()])
        )
        kind = "English month, with a day" if with_day else "English month, no day"
        yield kind, pair.ar, pair.en[: m.start()] + new + pair.en[m.end() :]
    for n, names in enumerate(MONTHS_AR):
        for name in dict.fromkeys(names):
            for m in re.finditer(rf"(?<![\w]){name}(?![\w])", pair.ar):
                other = (n + rng.randint(1, 11)) % 12
                naming = rng.randrange(3)
                new = MONTHS_AR[other][naming]
                ar = pair.ar[: m.start()] + new + pair.ar[m.end() :]
                label = ("Gregorian", "Levantine/Iraqi", "Maghreb")[naming]
                yield f"Arabic month, into the {label} name", ar, pair.en


# -- names in summary lines --------------------------------------------------------------------


def name_slots(pair: Pair) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the Arabic words that stand for a capitalized English word."""
    return english_counterparts(pair.ar, pair.en)


def name_swaps(
    docs: list[list[Pair]], rng: random.Random
) -> Iterator[tuple[list[str], str, str, str]]:
    """(article sentences, unchanged line, changed line, what changed) for each name slot."""
    pools: dict[str, list[tuple[str, str]]] = {}
    slots = []
    for d, doc in enumerate(docs):
        for p, pair in enumerate(doc):
            for start, end, kind in name_slots(pair):
                pools.setdefault(kind, []).append((pair.ar[start:end], pair.doc))
                slots.append((d, p, start, end, kind))
    for d, p, start, end, kind in slots:
        doc = docs[d]
        article = [pair.ar for pair in doc]
        text = " ".join(article)
        choices = [n for n, where in pools[kind] if where != doc[0].doc and n not in text]
        if not choices:
            continue
        new = rng.choice(sorted(set(choices)))
        line = doc[p].ar
        yield article, line, line[:start] + new + line[end:], f"{line[start:end]} -> {new}"


def name_flags(article: list[str], line: str) -> list[tuple[str, str]]:
    record = check_summary_record("\n".join(article), line)
    return [(c.kind, c.value) for c in record if c.kind == "unsupported_name"]


# -- the report ----------------------------------------------------------------------------------


def run(corpus: Path, seed: int, show: str | None) -> dict[str, object]:
    docs = read_corpus(corpus)
    pairs = [pair for doc in docs for pair in doc]
    rng = random.Random(seed)
    flagged = []
    figures: dict[str, Tally] = {}
    months: dict[str, Tally] = {}
    for pair in pairs:
        before = flags(pair.ar, pair.en)
        if before:
            flagged.append((pair, sorted(before)))
        for kind, en in figure_variants(pair.en, rng):
            figures.setdefault(kind, Tally()).add(caught_by(before, pair.ar, en), en)
        en = added_figure(pair.en, rng)
        figures.setdefault("added figure", Tally()).add(caught_by(before, pair.ar, en), en)
        for kind, ar, en in month_variants(pair, rng):
            months.setdefault(kind, Tally()).add(caught_by(before, ar, en), f"{ar} | {en}")
    names = Tally()
    unchanged_flagged = []
    seen_lines: set[str] = set()
    for article, line, changed, what in name_swaps(docs, rng):
        if line not in seen_lines:
            seen_lines.add(line)
            if name_flags(article, line):
                unchanged_flagged.append(line)
        names.add(bool(name_flags(article, changed)), f"{what}: {changed}")

    def total(tallies: dict[str, Tally]) -> Tally:
        out = Tally()
        for t in tallies.values():
            out.injected += t.injected
            out.caught += t.caught
        return out

    report: dict[str, object] = {
        "pairs": len(pairs),
        "flagged_pairs": len(flagged),
        "false_flag_rate": len(flagged) / len(pairs),
        "figure_recall": total(figures).recall,
        "figures": {k: (t.caught, t.injected) for k, t in figures.items()},
        "month_recall": total(months).recall,
        "months": {k: (t.caught, t.injected) for k, t in months.items()},
        "name_recall": names.recall,
        "names": (names.caught, names.injected),
        "unchanged_lines": len(seen_lines),
        "unchanged_lines_flagged": len(unchanged_flagged),
    }
    if show == "flags":
        for pair, found in flagged:
            print(f"{pair.doc} {found}\n  AR {pair.ar}\n  EN {pair.en}")
    elif show == "missed":
        for name, tallies in (("figures", figures), ("months", months)):
            for kind, t in tallies.items():
                for what in t.missed:
                    print(f"{name} / {kind}: {what}")
        for what in names.missed:
            print(f"names: {what}")
        for line in unchanged_flagged:
            print(f"unchanged line flagged: {line}")
    return report


def print_report(r: dict[str, object]) -> None:
    def pct(x: object) -> str:
        return f"{float(x):.1%}"  # type: ignore[arg-type]

    print(
        f"pairs: {r['pairs']}; flagged (any check): {r['flagged_pairs']} = {pct(r['false_flag_rate'])}"
    )
    print(f"figure recall: {pct(r['figure_recall'])}")
    for kind, (c, n) in r["figures"].items():  # type: ignore[attr-defined]
        print(f"  {kind}: {c}/{n}")
    print(f"month-swap recall: {pct(r['month_recall'])}")
    for kind, (c, n) in r["months"].items():  # type: ignore[attr-defined]
        print(f"  {kind}: {c}/{n}")
    c, n = r["names"]  # type: ignore[misc]
    print(f"name-swap recall (summary lines): {pct(r['name_recall'])} ({c}/{n})")
    print(
        f"unchanged summary lines flagged: {r['unchanged_lines_flagged']} of {r['unchanged_lines']}"
    )
    if "rewrite_lines" in r:
        check_rewrites.print_report(r)
    else:
        print(f"rewrites: not measured ({r['rewrites_skipped']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--show", choices=("flags", "missed"))
    parser.add_argument(
        "--rewrites",
        type=Path,
        default=check_rewrites.DEFAULT_CORPUS,
        help="SaudiNewsNet day for the rewrite false alarms (bench/check_rewrites.py)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        return check_rewrites.absent("check_pud", args.corpus, "pud-ar-en-dev.jsonl")
    report = run(args.corpus, args.seed, args.show)
    if args.rewrites.is_file():
        report.update(check_rewrites.run(args.rewrites, show=False))
    else:
        report["rewrites_skipped"] = f"{args.rewrites} is absent"
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
