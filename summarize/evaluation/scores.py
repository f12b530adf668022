"""The metrics: BLEU, chrF and chrF++ by the sacrebleu library; ROUGE with an Arabic tokenizer.

Translation scores are sacrebleu's own, computed by the library with its defaults (BLEU: 13a
tokenization, exponential smoothing; chrF: character 6-grams, beta 2; chrF++: the same plus
word bigrams), and each corpus score carries sacrebleu's signature, so a figure can be compared
with any other sacrebleu figure of the same signature. Segment-level BLEU uses effective order
(sacrebleu's advice for single sentences); it is for finding bad segments, and the corpus BLEU is
never its mean.

ROUGE-1, ROUGE-2 and ROUGE-L F-measures come from Google's ``rouge-score`` (the reference
reimplementation of ROUGE-1.5.5, which the XL-Sum authors' multilingual fork also builds on), with
the tokenizer swapped. Its default tokenizer keeps only ``[a-z0-9]``, so any Arabic text scores 0;
ours is :func:`arabic_rouge_tokens`:

1. :func:`summarize.text.fold.fold`: NFKC; diacritics (harakat, tanwin, shadda, sukun,
   superscript alef), Quranic marks and tatweel removed; «أ إ آ ٱ» → «ا», «ة» → «ه», «ى ی» → «ي»,
   «ؤ» → «و», «ئ» → «ي», «ک» → «ك»; Arabic-Indic digits → ASCII; casefolded.
2. :func:`summarize.text.fold.words`: runs of letters and digits; punctuation («، ؛ ؟» too)
   separates words and is dropped.
3. :func:`summarize.text.fold.light_stem`: strips the article with what may precede it
   («ال وال بال كال فال فبال وبال وكال لل ولل فلل») when three letters remain, then one attached
   pronoun («ه ها هم هن هما كم كن كما نا ي ك») when three letters remain. It deliberately keeps a
   bare initial «و ف ب ل ك» (as often a root letter, «وزارة» «بيان», as a clitic), plural and dual
   endings, verb prefixes, and «ت» before a stripped pronoun («حكومته» → «حكومت», not «حكومه»).

So «والحكومة» and «الحكومة» are one token (حكوم), «أعلن» and «اعلن» are one token, while «وقال»
and «قال» stay two. Corpus ROUGE is the mean of the segment F-measures (the convention of
rouge-score's aggregator, XL-Sum and the Hugging Face ``evaluate`` wrapper); ROUGE-L is the
longest common subsequence over the whole text, not split into sentences.

Summaries also get the trust rates of :mod:`summarize.trust`, computed from the article and the
summary alone (:func:`segment_trust`): the share of summary lines whose sources in the article
cover less than half of them (``weak_source``), and the share with a figure or a name the article
does not have (``unsupported_number``, ``unsupported_name``). There is no English here, so the
translation checks do not apply.

Every score is on sacrebleu's 0-100 scale in results and tables; :func:`arabic_rouge` itself
returns rouge-score's 0-1 F-measures.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from summarize.errors import SummarizeError
from summarize.text.fold import stems
from summarize.version import __version__

if TYPE_CHECKING:
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

__all__ = [
    "ROUGE_TOKENIZER",
    "MetricScore",
    "RougeScores",
    "arabic_rouge",
    "arabic_rouge_tokens",
    "corpus_rouge",
    "corpus_translation_scores",
    "corpus_trust",
    "mean",
    "segment_rouge",
    "segment_translation_scores",
    "segment_trust",
]

# Names the tokenizer in ROUGE signatures; bump the number when its behaviour changes.
ROUGE_TOKENIZER = "ar-fold-lightstem.1"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
_ROUGE_NAMES = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L"}
# The trust checks a summary line gets without English (the kinds of summarize.trust.checks),
# and their names in tables; a segment's scores count its summary ``lines`` and each kind.
TRUST_KINDS = ("weak_source", "unsupported_number", "unsupported_name")
_TRUST_NAMES = {
    "weak_source": "weak source %",
    "unsupported_number": "unsupported number %",
    "unsupported_name": "unsupported name %",
}


@dataclass(frozen=True)
class MetricScore:
    """One corpus-level figure, on a 0-100 scale, with what it takes to reproduce it."""

    name: str  # as sacrebleu prints it: "BLEU", "chrF2", "chrF2++"; or "ROUGE-1" …
    score: float
    signature: str  # sacrebleu's signature, or ours for ROUGE
    detail: str | None = None  # BLEU's n-gram precisions, brevity penalty and lengths

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def formatted(self, width: int = 1) -> str:
        """The score as the ``sacrebleu`` command prints it (one decimal by default)."""
        return f"{self.score:.{width}f}"


@dataclass(frozen=True)
class RougeScores:
    """ROUGE F-measures of one hypothesis against one reference, each in [0, 1]."""

    rouge1: float
    rouge2: float
    rougeL: float  # rouge-score's own name


@cache
def _bleu(*, sentence: bool = False) -> BLEU:
    from sacrebleu.metrics.bleu import BLEU

    return BLEU(effective_order=sentence)


@cache
def _chrf(word_order: int) -> CHRF:
    from sacrebleu.metrics.chrf import CHRF

    return CHRF(word_order=word_order)


def corpus_translation_scores(
    hypotheses: Sequence[str], references: Sequence[str]
) -> dict[str, MetricScore]:
    """Corpus BLEU, chrF and chrF++ (keys ``bleu``, ``chrf``, ``chrf++``) of HYPOTHESES
    against one reference each, exactly as ``sacrebleu REF -i HYP -m bleu chrf`` computes them."""
    _same_length(hypotheses, references)
    hyps, refs = list(hypotheses), [list(references)]
    bleu_metric = _bleu()
    bleu = bleu_metric.corpus_score(hyps, refs)
    detail = (
        f"{bleu.prec_str} (BP = {bleu.bp:.3f} ratio = {bleu.ratio:.3f} "
        f"hyp_len = {bleu.sys_len:d} ref_len = {bleu.ref_len:d})"
    )
    out = {"bleu": MetricScore(bleu.name, bleu.score, str(bleu_metric.get_signature()), detail)}
    for key, order in (("chrf", 0), ("chrf++", 2)):
        metric = _chrf(order)
        score = metric.corpus_score(hyps, refs)
        out[key] = MetricScore(score.name, score.score, str(metric.get_signature()))
    return out


def segment_translation_scores(hypothesis: str, reference: str) -> dict[str, float]:
    """Sentence BLEU (effective order), chrF and chrF++ of one segment, 0-100."""
    return {
        "bleu": _bleu(sentence=True).sentence_score(hypothesis, [reference]).score,
        "chrf": _chrf(0).sentence_score(hypothesis, [reference]).score,
        "chrf++": _chrf(2).sentence_score(hypothesis, [reference]).score,
    }


def arabic_rouge_tokens(text: str) -> list[str]:
    """The tokens ROUGE compares: folded words with the article and a pronoun stripped."""
    return stems(text)


class _ArabicTokenizer:
    """rouge-score's tokenizer interface (an object with ``tokenize``)."""

    def tokenize(self, text: str) -> list[str]:
        return arabic_rouge_tokens(text)


@cache
def _rouge_scorer() -> Any:
    from rouge_score import rouge_scorer  # type: ignore[import-untyped]

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=_ArabicTokenizer())


def arabic_rouge(reference: str, hypothesis: str) -> RougeScores:
    """ROUGE-1/2/L F-measures of HYPOTHESIS against REFERENCE, Arabic-aware, each in [0, 1]."""
    scores = _rouge_scorer().score(reference, hypothesis)
    return RougeScores(*(float(scores[t].fmeasure) for t in ROUGE_TYPES))


def segment_rouge(hypothesis: str, reference: str) -> dict[str, float]:
    """:func:`arabic_rouge` on the 0-100 scale, keyed ``rouge1``, ``rouge2``, ``rougeL``."""
    return {k: 100 * v for k, v in asdict(arabic_rouge(reference, hypothesis)).items()}


def corpus_rouge(segment_scores: Sequence[dict[str, float]]) -> dict[str, MetricScore]:
    """Corpus ROUGE: the mean of the segments' F-measures (from :func:`segment_rouge`)."""
    signature = rouge_signature()
    return {
        t: MetricScore(_ROUGE_NAMES[t], mean([s[t] for s in segment_scores]), signature)
        for t in ROUGE_TYPES
    }


def segment_trust(source: str, hypothesis: str) -> dict[str, float]:
    """How many summary lines HYPOTHESIS has, and how many fail each check of TRUST_KINDS
    against the article SOURCE (a line counts once per kind, however many figures it has).

    The article is prepared as ``summarize brief`` prepares it (cleaned, headline found), so the
    checks see what the summarizer saw; the summary's lines are its sentences (a summary of this
    project has one a line).
    """
    from summarize.articles import article_from_text
    from summarize.pipeline.prepare import prepare
    from summarize.text import normalize, split_sentences
    from summarize.trust import ArticleIndex, check_brief_line

    try:
        job = prepare(article_from_text(source, "the article", max_chars=len(source) + 1))
        index = ArticleIndex(job.sentences, job.title)
    except SummarizeError:  # not an article brief would take: its plain sentences
        index = ArticleIndex(split_sentences(normalize(source)))
    lines = [s.text for s in split_sentences(normalize(hypothesis))]
    counts = dict.fromkeys(TRUST_KINDS, 0.0)
    for line in lines:
        for kind in {c.kind for c in check_brief_line(line, "", index)} & set(TRUST_KINDS):
            counts[kind] += 1
    return {"lines": float(len(lines)), **counts}


def corpus_trust(segment_scores: Sequence[dict[str, float]]) -> dict[str, MetricScore]:
    """Each trust rate over the whole set: failing lines / all summary lines, 0-100."""
    from summarize.trust import WEAK_SUPPORT

    lines = sum(s["lines"] for s in segment_scores)
    signature = f"unit:summary-lines|weak:<{WEAK_SUPPORT}|trust:summarize-{__version__}"
    out = {}
    for kind in TRUST_KINDS:
        failed = sum(s[kind] for s in segment_scores)
        rate = 100 * failed / lines if lines else 0.0
        detail = f"{failed:.0f} of {lines:.0f} summary lines"
        out[kind] = MetricScore(_TRUST_NAMES[kind], rate, signature, detail)
    return out


def rouge_signature() -> str:
    """What a ROUGE figure depends on, in sacrebleu's signature style."""
    version = importlib.metadata.version("rouge-score")
    return f"tok:{ROUGE_TOKENIZER}|f:mean-of-segments|rouge-score:{version}"


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _same_length(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
