"""(j) Uneven output lengths: the dev translator ends no output early (end-of-sequence is banned,
so every output runs to its bound or to the length it is forced to), which flatters batching.
These arms let outputs end where the model ends them.

The *uneven* translator is the bench's full-size opus-mt-ar-en-shaped model with its
end-of-sequence logit bias raised from -10000 to EOS_BIAS: a random model then ends each output
at a point of its own, uncorrelated with its neighbours' (the longest sample: 20 to 149 target
tokens, median 42, for sentences of 2 to 43 words; a quarter run to their bound), the spread
issue 26 reports from real weights (13-157 tokens for 5-42 words). With a bias of 0.5 nearly
every output still ran to its bound; with 1.5 every one ended within 16 tokens.

What such lengths cost: CTranslate2's beam search finishes an input when its top beam ends (or
at the bound). A shorter hypothesis that ended in a lower beam is kept, and often wins in the
end (scores are divided by length), but the input decodes on until the top beam ends: steps
whose tokens are thrown away. That is the per-input cost of uneven lengths; a batch also lasts
as long as its slowest input (finished inputs leave the batch, so they cost nothing after).

(j1) `summarize translate` of the longest sample with that translator, process start to exit,
against the naive loop (transformers, one sentence at a time, fp32, beam 4) with the same
bounds and nothing forced: each ends its outputs where its own decoding does.
(j2) Throughput of the default path on every sample sentence, in-process: forced lengths (the
(b) arm), the dev model's natural lengths (its bounds), the uneven model's lengths, and the
uneven model in CTranslate2's own batches instead of the project's.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from common import CACHE, PY, ROOT, cli, log, run_child, spec_of

#: the end-of-sequence logit bias of the uneven translator (the dev models ban it: -10000)
EOS_BIAS = 1.0


def build_uneven(marian: Path) -> Path:
    """A copy of the bench translator whose outputs end at uneven lengths (cached)."""
    out = CACHE / f"{marian.name}-eos{EOS_BIAS:g}"
    stamp = out / "uneven.json"
    if stamp.is_file() and json.loads(stamp.read_text()).get("source") == str(marian):
        return out
    import torch
    from transformers import MarianMTModel

    from summarize.backends.tokenizers import quiet_libraries

    quiet_libraries()
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(marian, tmp)
    model = MarianMTModel.from_pretrained(str(marian))
    eos = model.config.eos_token_id
    with torch.no_grad():
        model.final_logits_bias[0, eos] = EOS_BIAS
    model.save_pretrained(str(tmp))
    (tmp / "uneven.json").write_text(json.dumps({"source": str(marian), "eos_bias": EOS_BIAS}))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def lengths_of(tokenizer: Any, outputs: list[str]) -> dict[str, float]:
    """Target tokens of OUTPUTS (the target tokenizer's count, </s> not included)."""
    counts = [len(tokenizer(text_target=o, add_special_tokens=False)["input_ids"]) for o in outputs]
    return {"tokens": sum(counts), "min": min(counts), "median": statistics.median(counts),
            "max": max(counts)}  # fmt: skip


def translate_uneven(
    work: Path, uneven: Path, longest: str, tgt_tok: Any, repeats: int
) -> dict[str, Any]:
    """(j1): default `summarize translate` against the naive loop, both unforced, interleaved."""
    from summarize.articles import Article
    from summarize.pipeline import prepare

    prepared = prepare(Article(text=Path(longest).read_text(encoding="utf-8"), source=longest,
                               encoding="utf-8"))  # fmt: skip
    texts = ([prepared.title] if prepared.title else []) + [s.text for s in prepared.sentences]
    spec = spec_of(uneven, "translator")
    from summarize.backends.tokenizers import load_pieces

    pieces = load_pieces(uneven)
    bounds = [min(spec.generation.bound_for(len(pieces.tokens(t))), 511) for t in texts]
    job = work / "uneven-naive.json"
    job.write_text(json.dumps({"translator": str(uneven), "texts": texts, "lengths": bounds,
                               "unforced": True}))  # fmt: skip
    base = ["translate", longest, "--translator", str(uneven), "--format", "json", "-q"]
    arms = {"default": cli(*base),
            "naive": [PY, str(ROOT / "bench" / "run.py"), "--worker", "naive-steps", "--job", str(job)]}  # fmt: skip
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in arms}
    produced: dict[str, Any] = {}
    for rep in range(repeats):
        for name, cmd in arms.items():
            out = work / f"uneven-{name}-{rep}.json"
            wall, rss, _ = run_child(cmd, out)
            runs[name].append((wall, rss))
            data = json.loads(out.read_text())
            if name == "default":
                english = ([data["title"]["en"]] if data["title"] else []) + [
                    x["en"] for x in data["translation"]]  # fmt: skip
            else:
                english = data["outputs"]
            produced[name] = lengths_of(tgt_tok, english)
            log(f"uneven translate rep {rep}: {name} {wall:.1f} s, {produced[name]}")
    naive = [w for w, _ in runs["naive"]]
    paths = {}
    for name, values in runs.items():
        walls = [w for w, _ in values]
        ratios = [n / w for n, w in zip(naive, walls, strict=True)]
        paths[name] = {"process_s": statistics.median(walls), "runs_s": walls,
                       "peak_rss_mb": max(r for _, r in values), "ratio": statistics.median(ratios),
                       "produced": produced[name]}  # fmt: skip
    return {"sample": Path(longest).name, "sentences": len(texts), "eos_bias": EOS_BIAS,
            "paths": paths}  # fmt: skip


def throughput_uneven(
    work: Path, marian: Path, uneven: Path, samples: list[tuple[str, list[str]]], tgt_tok: Any
) -> list[dict[str, Any]]:
    """(j2): the default path's target tokens per second on every sample sentence, per arm."""
    from summarize.backends.tokenizers import load_pieces

    texts = [s for _, sentences in samples for s in sentences]
    forced = [max(4, round(1.6 * len(s.split()))) for s in texts]
    spec = spec_of(marian, "translator")
    pieces = load_pieces(marian)
    bounds = [min(spec.generation.bound_for(len(pieces.tokens(t))), 511) for t in texts]
    arms = [
        ("forced lengths (1.6 x Arabic words), dev translator", marian, forced, False, "default"),
        ("natural lengths of the dev translator (its bounds: it never ends early)", marian,
         bounds, True, "default"),
        ("uneven lengths (the translator that ends outputs itself)", uneven, bounds, True,
         "default"),
        ("uneven lengths, CTranslate2's own batches (max_batch_size 1024 tokens; not used: "
         "other batches, other outputs)", uneven, bounds, True, "default-rebatch"),
    ]  # fmt: skip
    rows = []
    for k, (label, model, lengths, unforced, method) in enumerate(arms):
        job = work / f"uneven-throughput-{k}.json"
        job.write_text(json.dumps({"model": str(model), "texts": texts, "lengths": lengths,
                                   "unforced": unforced}))  # fmt: skip
        out = work / f"uneven-throughput-{k}.out.json"
        _, rss, _ = run_child([PY, str(ROOT / "bench" / "run.py"), "--worker", "translate",
                               "--method", method, "--job", str(job)], out)  # fmt: skip
        r = json.loads(out.read_text())
        produced = lengths_of(tgt_tok, r["outputs"]) if unforced else {"tokens": sum(lengths)}
        rows.append({"arm": label, "sentences": len(texts), "gen_s": r["gen_s"],
                     "produced": produced, "tokens_per_s": produced["tokens"] / r["gen_s"],
                     "peak_rss_mb": rss})  # fmt: skip
        log(f"uneven throughput: {label}: {rows[-1]['tokens_per_s']:.0f} tok/s")
    return rows


if __name__ == "__main__":
    sys.exit("run bench/run.py; this module holds its uneven-length sections")
