"""The pipeline: clean text -> sentences -> chunks -> summaries (map-reduce) -> translation.

``Engine`` holds the loaded models for a whole run (one article or a folder), so each model
loads once. ``brief`` and ``translate`` return plain dataclasses; rendering is elsewhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarize import text as textproc
from summarize.chunking import pack_chunks, split_to_fit
from summarize.errors import EmptyInput, NotArabic, SummarizeError
from summarize.loading import LoadOptions, Seq2Seq, load_model
from summarize.registry import ModelSpec, Registry, load_registry, resolve
from summarize.sources import Article

SCHEMA = "summarize/1"
MIN_ARABIC_RATIO = 0.3
MAX_REDUCE_ROUNDS = 4
ProgressFn = Callable[[str, int, int], None]


@dataclass
class BriefLine:
    """One aligned pair: an Arabic sentence and its English translation."""

    ar: str
    en: str


@dataclass
class Stats:
    words: int = 0
    sentences: int = 0
    paragraphs: int = 0
    chunks: int = 0
    reduce_rounds: int = 0
    summary_sentences: int = 0
    removed_lines: list[str] = field(default_factory=list)


@dataclass
class ModelInfo:
    role: str
    name: str
    hub_id: str | None
    revision: str | None
    license: str
    backend: str
    device: str
    precision: str


@dataclass
class Result:
    """A brief or a translation of one article. JSON output is ``to_dict()``."""

    kind: str  # "brief" or "translation"
    source: str
    encoding: str
    title: BriefLine | None
    summary: list[BriefLine] = field(default_factory=list)
    translation: list[list[BriefLine]] = field(default_factory=list)  # paragraphs of pairs
    stats: Stats = field(default_factory=Stats)
    models: list[ModelInfo] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[BriefLine]:
        """The aligned pairs to show: the summary, or the translation flattened."""
        if self.kind == "brief":
            return self.summary
        return [line for para in self.translation for line in para]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (see README, 'JSON output')."""
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "kind": self.kind,
            "source": self.source,
            "encoding": self.encoding,
            "title": None if self.title is None else vars(self.title).copy(),
        }
        if self.kind == "brief":
            data["summary"] = [vars(p).copy() for p in self.summary]
        else:
            data["translation"] = [
                {"paragraph": i, "ar": p.ar, "en": p.en}
                for i, para in enumerate(self.translation)
                for p in para
            ]
        data["stats"] = vars(self.stats).copy()
        data["models"] = [vars(m).copy() for m in self.models]
        data["timings"] = dict(self.timings)
        data["warnings"] = list(self.warnings)
        return data


@dataclass
class Prepared:
    """An article cleaned and split: what every command starts from."""

    text: str  # normalized, furniture removed, title line removed
    title: str | None
    sentences: list[textproc.Sentence]
    removed: list[str]
    words: int


def prepare(article: Article, *, min_arabic: float = MIN_ARABIC_RATIO) -> Prepared:
    """Normalize, strip page furniture, find the headline, split into sentences."""
    normalized = textproc.normalize(article.text)
    if not normalized:
        raise EmptyInput(f"{article.source} has no text after cleaning")
    clean, removed = textproc.strip_furniture(normalized)
    if not clean.strip():
        raise EmptyInput(
            f"{article.source} has only page furniture (counters, credits), no article"
        )
    ratio = textproc.arabic_ratio(clean)
    if ratio < min_arabic:
        raise NotArabic(
            f"{article.source} has almost no Arabic ({ratio:.0%} of its letters); "
            "summarize reads Arabic news articles"
        )
    title = textproc.find_title(clean)
    body = clean
    if title is not None:
        body = clean[clean.index(title) + len(title) :].lstrip()
    elif article.title and textproc.arabic_ratio(article.title) >= min_arabic:
        title = textproc.normalize(article.title) or None
    sentences = textproc.split_sentences(body)
    return Prepared(
        text=body,
        title=title,
        sentences=sentences,
        removed=removed,
        words=len(clean.split()),
    )


def _dedupe_key(sentence: str) -> str:
    return re.sub(r"[\W_]+", " ", sentence).strip().casefold()


def dedupe_sentences(sentences: Sequence[str], threshold: float = 0.8) -> list[str]:
    """Drop repeated sentences: exact repeats, and near-repeats by word overlap (Jaccard)."""
    kept: list[str] = []
    seen: list[set[str]] = []
    for s in sentences:
        words = set(_dedupe_key(s).split())
        if not words:
            continue
        if any(len(words & w) / len(words | w) >= threshold for w in seen):
            continue
        kept.append(s)
        seen.append(words)
    return kept


class Engine:
    """The models for one run, loaded lazily and once."""

    def __init__(
        self,
        *,
        registry: Registry | None = None,
        summarizer: str | None = None,
        translator: str | None = None,
        options: LoadOptions | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.registry = registry or load_registry()
        self.summarizer_spec: ModelSpec = resolve(summarizer, "summarizer", self.registry)
        self.translator_spec: ModelSpec = resolve(translator, "translator", self.registry)
        self.options = options or LoadOptions()
        self.progress = progress
        self.load_seconds = 0.0
        self._models: dict[str, Seq2Seq] = {}

    def _load(self, spec: ModelSpec) -> Seq2Seq:
        if spec.role not in self._models:
            started = time.perf_counter()
            self._tell(f"loading {spec.role} {spec.name}", 0, 1)
            self._models[spec.role] = load_model(spec, self.options)
            self.load_seconds += time.perf_counter() - started
        return self._models[spec.role]

    @property
    def summarizer(self) -> Seq2Seq:
        return self._load(self.summarizer_spec)

    @property
    def translator(self) -> Seq2Seq:
        return self._load(self.translator_spec)

    def _tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _info(self, model: Seq2Seq) -> ModelInfo:
        spec = model.spec
        return ModelInfo(
            role=spec.role,
            name=spec.name,
            hub_id=spec.hub_id,
            revision=spec.revision,
            license=spec.license,
            backend=model.info.get("backend", "?"),
            device=model.info.get("device", "?"),
            precision=model.info.get("precision", "?"),
        )

    # -- translation ---------------------------------------------------------------------

    def translate_sentences(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence in one batched call; over-long ones in pieces that fit."""
        if not sentences:
            return []
        model = self.translator
        budget = model.spec.max_input_tokens
        pieces: list[str] = []
        owners: list[int] = []
        bounds: list[int] = []
        for i, sentence in enumerate(sentences):
            flat = " ".join(sentence.split())
            n = model.count_tokens(flat)
            parts = [flat] if n <= budget else split_to_fit(flat, model.count_tokens, budget)
            for part in parts:
                part = part.strip()
                if part:
                    pieces.append(part)
                    owners.append(i)
                    tokens = n if part == flat else model.count_tokens(part)
                    bounds.append(model.spec.generation.bound_for(tokens))
        self._tell("translating", 0, len(pieces))
        outputs = model.generate(pieces, bounds)
        self._tell("translating", len(pieces), len(pieces))
        joined: list[list[str]] = [[] for _ in sentences]
        for owner, out in zip(owners, outputs, strict=True):
            if out:
                joined[owner].append(out)
        return [" ".join(parts) for parts in joined]

    # -- summarization -------------------------------------------------------------------

    def _summarize_inputs(self, inputs: list[str]) -> list[str]:
        model = self.summarizer
        settings = model.spec.generation
        n = len(inputs)
        return model.generate(inputs, [settings.max_new_tokens] * n, [settings.min_new_tokens] * n)

    def summarize_many(self, jobs: list[Prepared]) -> list[tuple[list[str], int, int, list[str]]]:
        """Map-reduce over several articles at once: (summary sentences, chunks, rounds, warnings).

        Every article's chunks go through the model together; an article whose partial
        summaries still overflow one chunk is summarized again, up to MAX_REDUCE_ROUNDS.
        """
        model = self.summarizer
        budget = model.spec.max_input_tokens
        texts = [(j.text, j.sentences) for j in jobs]
        partials: list[list[str]] = [[] for _ in jobs]
        chunk_counts = [0] * len(jobs)
        rounds = [0] * len(jobs)
        warns: list[list[str]] = [[] for _ in jobs]
        active = [i for i, j in enumerate(jobs) if j.sentences]
        round_no = 0
        while active:
            inputs: list[str] = []
            owners: list[int] = []
            n_chunks: dict[int, int] = {}
            for i in active:
                text, sentences = texts[i]
                chunks = pack_chunks(text, sentences, model.count_tokens, budget)
                n_chunks[i] = len(chunks)
                if round_no == 0:
                    chunk_counts[i] = len(chunks)
                inputs += [c.model_text for c in chunks]
                owners += [i] * len(chunks)
            stage = "summarizing" if round_no == 0 else f"reduce round {round_no}"
            self._tell(stage, 0, len(inputs))
            outputs = self._summarize_inputs(inputs)
            self._tell(stage, len(inputs), len(inputs))
            fresh: dict[int, list[str]] = {i: [] for i in active}
            for owner, out in zip(owners, outputs, strict=True):
                if out.strip():
                    fresh[owner].append(out)
            still: list[int] = []
            for i in active:
                if not fresh[i]:
                    warns[i].append("the summarizer produced no text for this article")
                    continue
                partials[i] = fresh[i]
                combined = normalize_join(fresh[i])
                if n_chunks[i] == 1 or model.count_tokens(" ".join(combined.split())) <= budget:
                    continue
                if round_no >= MAX_REDUCE_ROUNDS:
                    warns[i].append(
                        f"the partial summaries still exceed one chunk after {round_no} reduce "
                        "rounds; the brief joins them as they are"
                    )
                    continue
                rounds[i] = round_no + 1
                texts[i] = (combined, textproc.split_sentences(combined))
                still.append(i)
            active = still
            round_no += 1
        results = []
        for i in range(len(jobs)):
            summary = [s.text for s in textproc.split_sentences(normalize_join(partials[i]))]
            deduped = dedupe_sentences(summary)
            if len(deduped) < len(summary):
                warns[i].append(
                    f"dropped {len(summary) - len(deduped)} repeated summary sentence(s)"
                )
            results.append((deduped, chunk_counts[i], rounds[i], warns[i]))
        return results

    # -- commands ------------------------------------------------------------------------

    def brief(self, article: Article) -> Result:
        """The brief: title, summary sentences side by side with their translation, stats."""
        return _one(self.brief_many([article]))

    def translate(self, article: Article) -> Result:
        """The whole article, sentence by sentence, paragraphs kept."""
        return _one(self.translate_many([article]))

    def brief_many(self, articles: Sequence[Article]) -> list[Result | SummarizeError]:
        """Briefs for several articles, batched together; a bad article yields its error."""
        started = time.perf_counter()
        out, good, jobs = _prepare_all(articles)
        if not jobs:
            return _filled(out)
        load_before = self.load_seconds
        summarizer, translator = self.summarizer, self.translator
        load = self.load_seconds - load_before
        t0 = time.perf_counter()
        summaries = self.summarize_many(jobs)
        t1 = time.perf_counter()
        flat: list[str] = []
        for job, (summary, *_rest) in zip(jobs, summaries, strict=True):
            flat += summary + ([job.title] if job.title else [])
        english = iter(self.translate_sentences(flat))
        t2 = time.perf_counter()
        models = [self._info(summarizer), self._info(translator)]
        share = 1 / len(good)
        for i, job, (summary, chunks, rounds, warns) in zip(good, jobs, summaries, strict=True):
            pairs = [BriefLine(ar, next(english)) for ar in summary]
            title = BriefLine(job.title, next(english)) if job.title else None
            warns += _empty_translations(pairs + ([title] if title else []))
            stats = Stats(
                words=job.words,
                sentences=len(job.sentences),
                paragraphs=len(textproc.paragraphs(job.sentences)),
                chunks=chunks,
                reduce_rounds=rounds,
                summary_sentences=len(summary),
                removed_lines=job.removed,
            )
            out[i] = Result(
                kind="brief",
                source=articles[i].source,
                encoding=articles[i].encoding,
                title=title,
                summary=pairs,
                stats=stats,
                models=models,
                timings=_timings(
                    load,
                    (t1 - t0) * share,
                    (t2 - t1) * share,
                    (time.perf_counter() - started) * share,
                ),
                warnings=warns,
            )
        return _filled(out)

    def translate_many(self, articles: Sequence[Article]) -> list[Result | SummarizeError]:
        """Translations of several articles, all sentences batched together."""
        started = time.perf_counter()
        out, good, jobs = _prepare_all(articles)
        if not jobs:
            return _filled(out)
        load_before = self.load_seconds
        translator = self.translator
        load = self.load_seconds - load_before
        flat: list[str] = []
        for job in jobs:
            flat += ([job.title] if job.title else []) + [s.text for s in job.sentences]
        t0 = time.perf_counter()
        english = iter(self.translate_sentences(flat))
        t1 = time.perf_counter()
        share = 1 / len(good)
        for i, job in zip(good, jobs, strict=True):
            title = BriefLine(job.title, next(english)) if job.title else None
            paragraphs = textproc.paragraphs(job.sentences)
            pairs = [[BriefLine(s.text, next(english)) for s in para] for para in paragraphs]
            flat_pairs = [p for para in pairs for p in para] + ([title] if title else [])
            stats = Stats(
                words=job.words,
                sentences=len(job.sentences),
                paragraphs=len(paragraphs),
                removed_lines=job.removed,
            )
            out[i] = Result(
                kind="translation",
                source=articles[i].source,
                encoding=articles[i].encoding,
                title=title,
                translation=pairs,
                stats=stats,
                models=[self._info(translator)],
                timings=_timings(
                    load, 0.0, (t1 - t0) * share, (time.perf_counter() - started) * share
                ),
                warnings=_empty_translations(flat_pairs),
            )
        return _filled(out)


def normalize_join(parts: Sequence[str]) -> str:
    """Partial summaries as one normalized text, one partial per line."""
    return textproc.normalize("\n".join(parts))


def _prepare_all(
    articles: Sequence[Article],
) -> tuple[list[Result | SummarizeError | None], list[int], list[Prepared]]:
    """Prepare each article: (results with each bad article's error in its place, the indices
    of the good ones, their Prepared)."""
    out: list[Result | SummarizeError | None] = []
    good: list[int] = []
    jobs: list[Prepared] = []
    for i, a in enumerate(articles):
        try:
            jobs.append(prepare(a))
            good.append(i)
            out.append(None)
        except SummarizeError as e:
            out.append(e)
    return out, good, jobs


def _filled(out: list[Result | SummarizeError | None]) -> list[Result | SummarizeError]:
    """The results once every slot is filled."""
    return [r for r in out if r is not None]


def _one(results: list[Result | SummarizeError]) -> Result:
    (result,) = results
    if isinstance(result, SummarizeError):
        raise result
    return result


def _empty_translations(pairs: Sequence[BriefLine]) -> list[str]:
    empty = [str(n) for n, p in enumerate(pairs, start=1) if p.ar.strip() and not p.en.strip()]
    if not empty:
        return []
    shown = ", ".join(empty[:10]) + (" …" if len(empty) > 10 else "")
    return [f"the translator produced no text for sentence(s) {shown}"]


def _timings(load: float, summarize: float, translate: float, total: float) -> dict[str, float]:
    return {
        "load_s": round(load, 3),
        "summarize_s": round(summarize, 3),
        "translate_s": round(translate, 3),
        "total_s": round(total, 3),
    }
