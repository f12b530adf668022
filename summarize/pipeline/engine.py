"""The engine: the models of one run, and the stages composed into briefs and translations.

    prepare (clean, headline, sentences) -> summarize (a strategy) -> translate (sentence-aligned)
        -> check (each line's sources in the article, figures and names lost or invented)

Each article runs through the stages on its own: articles never share a model batch, so an
article's output depends only on the article and the settings, never on which other articles
were processed with it (a resumed batch, a shard or a Ray worker gives the same bytes). Several
articles still run at once when the backend has several workers (CTranslate2's ``concurrency``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from summarize import text as textproc
from summarize.articles import Article, ArticleLike, as_article
from summarize.backends import LoadOptions, Model, check_available, load_model, loads_quickly
from summarize.backends.base import remember_batches
from summarize.cpus import cpu_settings
from summarize.errors import SummarizeError, UsageError
from summarize.pipeline.checking import checked_pair, checked_summary, weak_source_warning
from summarize.pipeline.mapreduce import MapReduce, model_info
from summarize.pipeline.overlap import AsideLoad
from summarize.pipeline.prepare import Prepared, prepare, split_article
from summarize.pipeline.summary import Summarizer
from summarize.pipeline.translate import translate_sentences
from summarize.progress import ProgressFn, report
from summarize.registry import ModelSpec, Registry, load_registry, resolve
from summarize.results import Brief, BriefLine, Result, Stats, Translation
from summarize.tasks import Task
from summarize.threads import available_cores

__all__ = ["Engine", "Task"]

R = TypeVar("R", bound=Result)
#: the batches of a brief's translate call, about: the headline's and the summary lines' (a
#: headline is a batch of its own unless its length is close to a line's; a few lines of
#: similar length make one), so a brief's translator starts no more workers than that
BRIEF_CALL_BATCHES = 2
#: articles summarized at once when several are asked for (a batch, ``brief_many``): each on
#: a summarizer worker of its own with the threads it leaves, since one map round barely uses
#: a second thread (memory-bound int8 decoding: docs/performance.md, "Several briefs at once")
ARTICLES_AT_ONCE = 2


class Engine:
    """The models for one run (an article, a folder, a stream), each loaded once, on first use.

    >>> engine = Engine(summarizer="arabart")
    >>> result = engine.brief(summarize.read_article("article.txt"))   # doctest: +SKIP
    >>> result.to_dict()["summary"][0]["en"]                           # doctest: +SKIP

    ``summarizer`` / ``translator``: a registry alias, a local model directory or a hub id
    (default: the registry's defaults); ``summarizer="extractive"`` needs no model.
    ``sentences``: how many sentences the extractive summarizer chooses (default: its
    registry entry's). ``registry``: a ``models.toml`` path or a parsed :class:`Registry`
    (default: ``$SUMMARIZE_MODELS``, else the one shipped with the package). The other
    keywords are :class:`LoadOptions` (default: the fast path, ``backend="auto"``,
    ``precision="auto"``; ``backend="transformers", precision="fp32"`` is the reference);
    pass ``options=`` to give them all at once.
    """

    def __init__(
        self,
        *,
        summarizer: str | None = None,
        translator: str | None = None,
        sentences: int | None = None,
        backend: str | None = None,
        precision: str | None = None,
        device: str = "auto",
        threads: int | None = None,
        offline: bool = False,
        allow_pickle: bool = False,
        registry: Registry | str | Path | None = None,
        options: LoadOptions | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.registry = registry if isinstance(registry, Registry) else load_registry(registry)
        self.summarizer_spec: ModelSpec = _with_sentences(
            resolve(summarizer, "summarizer", self.registry), sentences
        )
        self.translator_spec: ModelSpec = resolve(translator, "translator", self.registry)
        given: dict[str, Any] = {"backend": backend, "precision": precision}
        self.options = options or LoadOptions(
            device=device,
            allow_pickle=allow_pickle,
            offline=offline,
            threads=threads,
            progress=progress,
            **{k: v for k, v in given.items() if v is not None},  # None: LoadOptions' default
        )
        self.progress = progress
        self.load_seconds = 0.0
        self._translator: Model | None = None
        self._summarizer: Summarizer | None = None
        self._aside: AsideLoad[Model] | None = None  # the translator, loading beside
        self._load_failed: SummarizeError | None = None

    # -- models ------------------------------------------------------------------------

    def _load(
        self, spec: ModelSpec, options: LoadOptions | None = None, waited: bool = True
    ) -> Model:
        """Load SPEC; WAITED: the caller waits for it (its time counts as loading time)."""
        started = time.perf_counter()
        report(self.progress, f"loading {spec.role} {spec.name}", 0, 1)
        model = load_model(spec, options or self.options)
        if waited:
            self.load_seconds += time.perf_counter() - started
        report(self.progress, f"loading {spec.role} {spec.name}", 1, 1)
        return model

    def _loaded(self, spec: ModelSpec) -> bool:
        if spec.role == "translator":
            return self._translator is not None or self._aside is not None
        return self._summarizer is not None

    @property
    def translator(self) -> Model:
        if self._translator is None:
            aside, self._aside = self._aside, None
            if aside is None:
                self._translator = self._load(self.translator_spec)
            else:
                started = time.perf_counter()
                try:
                    self._translator = aside.result()
                except SummarizeError as e:
                    self._load_failed = e  # run_many raises it: not one article's error
                    raise
                finally:
                    self.load_seconds += time.perf_counter() - started  # what was waited
        return self._translator

    @property
    def summarizer(self) -> Summarizer:
        if self._summarizer is None:
            if self.summarizer_spec.kind == "extractive":
                from summarize.pipeline.extractive import Extractive

                self._summarizer = Extractive(self.summarizer_spec)
            else:
                self._summarizer = MapReduce(self._load(self.summarizer_spec))
        return self._summarizer

    def _concurrency(self, task: Task, first: Prepared | None = None, many: bool = False) -> int:
        """Load the models TASK needs (all missing ones reported at once); return how many
        articles may run at once: what the loaded models' backends allow.

        A brief by a summarization model loads its translator on a thread of its own while
        the summarizer loads, and there translates FIRST's headline early when the cores allow
        (see :mod:`summarize.pipeline.overlap`); its lines are translated when the summary is
        done. Those calls come one article at a time, so the translator gets the threads this
        CPU's measurements chose for them (``brief_translator`` in summarize/cpus.toml).

        MANY (several articles asked for at once) loads a summarizer that is not loaded yet
        with ARTICLES_AT_ONCE workers, and that many articles then run at once: each article's
        batches are what they would be alone, so the outputs are the same bytes."""
        needed = ([self.summarizer_spec] if task is Task.brief else []) + [self.translator_spec]
        check_available([s for s in needed if not self._loaded(s)], self.options)
        if task is Task.brief and self.summarizer_spec.kind != "extractive":
            return self._start_brief_models(first.title if first else None, many)
        models: list[object] = [self.translator]
        if task is Task.brief:
            models.append(getattr(self.summarizer, "model", None))
        return _least_concurrency(models)

    def _start_brief_models(self, headline: str | None, many: bool = False) -> int:
        cores = self.options.threads or available_cores()
        aside = self._aside
        options = self._brief_translator_options()
        if (
            self._translator is None
            and aside is None
            and self._summarizer is None
            and cores > 1
            and loads_quickly(self.translator_spec, options)
        ):
            aside = self._aside = AsideLoad(
                lambda: self._load(self.translator_spec, options, waited=False),
                early=_translate_early(headline) if headline else None,
                threads_of=lambda model: getattr(model, "batch_threads", None) or cores,
                # One core loads the summarizer, one is left to the machine's other work (a
                # first-use conversion or a transformers load can take them all: then nothing
                # runs early). On 2 cores the headline's batch runs beside the summary lines'
                # on the second worker anyway: early work would only make the summarizer wait
                # (docs/performance.md, the brief's translate stage), so it is not done there.
                spare=cores - 2 if loads_quickly(self.summarizer_spec, self.options) else 0,
            )
        elif self._translator is None and aside is None:
            self._translator = self._load(self.translator_spec, options)
        try:
            summarizer = self._summarizer_for(many)
        finally:
            if aside is not None:
                aside.foreground_loaded()  # and the cores are the summarizer's from now on
        first = int(getattr(getattr(summarizer, "model", None), "concurrency", 1))
        if first <= 1:
            return 1  # the translator's calls come one article at a time
        return _least_concurrency([summarizer.model, self.translator])  # type: ignore[attr-defined]

    @property
    def _threads_chosen(self) -> bool:
        """Whether the caller chose the shape of the models' threads (LoadOptions' one_batch or
        call_batches): then the engine never chooses it for them."""
        return self.options.one_batch is not None or self.options.call_batches is not None

    def _summarizer_for(self, many: bool) -> Summarizer:
        """The summarizer; one loaded now for MANY articles gets ARTICLES_AT_ONCE one-batch
        workers (threads shared out among them), unless the caller chose the threads' shape."""
        if self._summarizer is None and many and not self._threads_chosen:
            options = replace(self.options, one_batch=False, call_batches=ARTICLES_AT_ONCE)
            self._summarizer = MapReduce(self._load(self.summarizer_spec, options))
        return self.summarizer

    def _brief_translator_options(self) -> LoadOptions:
        """A brief's translator gets small calls (the headline and a few summary lines), so its
        threads are chosen by that size: one worker of every thread where this CPU's row
        measured it faster, else no more one-thread workers than the call has batches."""
        if self._threads_chosen:
            return self.options
        if cpu_settings().brief_translator == "one-worker":
            return replace(self.options, one_batch=True)
        return replace(self.options, call_batches=BRIEF_CALL_BATCHES)

    # -- one article ---------------------------------------------------------------------

    def brief(self, article: ArticleLike, *, source: str = "-") -> Brief:
        """The brief: the headline and the summary, each sentence beside its English."""
        return _raise_or_return(self.brief_many([as_article(article, source)])[0])

    def translate(self, article: ArticleLike, *, source: str = "-") -> Translation:
        """The whole article, sentence by sentence, paragraphs kept."""
        return _raise_or_return(self.translate_many([as_article(article, source)])[0])

    def sentences(
        self, article: ArticleLike, *, source: str = "-", keep_furniture: bool = False
    ) -> textproc.Document:
        """The cleaned article: headline, byline and the body's sentences, numbered as the
        brief's sources and the translation number them. No model is loaded."""
        return split_article(as_article(article, source), keep_furniture=keep_furniture)

    # -- many articles -----------------------------------------------------------------

    def brief_many(self, articles: Sequence[ArticleLike]) -> list[Brief | SummarizeError]:
        """Briefs of several articles, in order; a bad article yields its error in its place."""
        return _in_order(self.run_many(Task.brief, articles), len(articles), Brief)

    def translate_many(self, articles: Sequence[ArticleLike]) -> list[Translation | SummarizeError]:
        """Translations of several articles, in order; a bad article yields its error."""
        return _in_order(self.run_many(Task.translate, articles), len(articles), Translation)

    def run_many(
        self, task: Task | str, articles: Sequence[ArticleLike]
    ) -> Iterator[tuple[int, Result | SummarizeError]]:
        """(index, result or error) for each article, as each finishes: for callers that write
        or show results one by one (batch). Models load before the first article starts."""
        task = Task.of(task)
        jobs: list[tuple[Article, Prepared]] = []
        where: list[int] = []  # index of each job's article
        for i, article in enumerate(articles):
            try:
                item = as_article(article, "-")  # a path that cannot be read is its error
                jobs.append((item, prepare(item)))  # cheap and pure: bad input fails first
                where.append(i)
            except SummarizeError as e:
                yield i, e
        if not jobs:
            return  # nothing to do: no model is loaded for input that was refused
        load_before = self.load_seconds
        workers = self._concurrency(task, jobs[0][1], many=len(jobs) > 1)  # loads the models
        load = self.load_seconds - load_before
        run: Callable[[Article, Prepared], Result]
        run = self._brief_one if task is Task.brief else self._translate_one

        def one(k: int) -> tuple[int, Result | SummarizeError]:
            try:
                result = run(*jobs[k])
            except SummarizeError as e:
                if e is self._load_failed:
                    raise  # a model that cannot load fails the run, as before any article
                return where[k], e
            if k == 0:  # the first article carries the loading it waited for
                result.timings["load_s"] = round(load, 3)
                result.timings["total_s"] = round(result.timings["total_s"] + load, 3)
            return where[k], result

        if workers == 1 or len(jobs) == 1:
            for k in range(len(jobs)):
                yield one(k)
            return
        yield from _as_completed(one, len(jobs), workers)

    # -- the stages, per article ---------------------------------------------------------

    def _brief_one(self, article: Article, job: Prepared) -> Brief:
        started = time.perf_counter()
        summary = self.summarizer.summarize(job, self.progress)
        t1 = time.perf_counter()
        english = translate_sentences(
            self.translator,
            summary.sentences + ([job.title] if job.title else []),
            self.progress,
        )
        t2 = time.perf_counter()
        pairs = checked_summary(
            list(zip(summary.sentences, english, strict=False)), job, summary.extracted
        )
        title = checked_pair(job.title, english[-1]) if job.title else None
        return Brief(
            article.source,
            article.encoding,
            title,
            summary=pairs,
            stats=_stats(
                job, chunks=summary.chunks, rounds=summary.reduce_rounds, lines=len(pairs)
            ),
            models=[self.summarizer.info, model_info(self.translator)],
            timings=_timings(t1 - started, t2 - t1, time.perf_counter() - started),
            warnings=summary.warnings
            + weak_source_warning(pairs)
            + _empty_translations(pairs + ([title] if title else [])),
            published=article.published,
            byline=job.byline,
            article=[[s.text for s in para] for para in textproc.paragraphs(job.sentences)],
        )

    def _translate_one(self, article: Article, job: Prepared) -> Translation:
        started = time.perf_counter()
        flat = ([job.title] if job.title else []) + [s.text for s in job.sentences]
        english = iter(translate_sentences(self.translator, flat, self.progress))
        t1 = time.perf_counter()
        title = checked_pair(job.title, next(english)) if job.title else None
        paragraphs = textproc.paragraphs(job.sentences)
        pairs = [[checked_pair(s.text, next(english)) for s in para] for para in paragraphs]
        flat_pairs = [p for para in pairs for p in para] + ([title] if title else [])
        return Translation(
            article.source,
            article.encoding,
            title,
            translation=pairs,
            stats=_stats(job),
            models=[model_info(self.translator)],
            timings=_timings(0.0, t1 - started, time.perf_counter() - started),
            warnings=_empty_translations(flat_pairs),
            published=article.published,
            byline=job.byline,
        )


def _as_completed(
    fn: Callable[[int], tuple[int, Result | SummarizeError]], n: int, workers: int
) -> Iterator[tuple[int, Result | SummarizeError]]:
    """FN(0) … FN(n-1) on WORKERS threads, results as they finish; at most 2 × WORKERS are
    started ahead of the consumer, and the unstarted ones are cancelled if it stops early."""
    indices = iter(range(n))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="summarize") as pool:
        pending = {pool.submit(fn, i) for i in islice(indices, 2 * workers)}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                pending |= {pool.submit(fn, i) for i in islice(indices, len(done))}
        finally:
            for future in pending:
                future.cancel()


def _least_concurrency(models: Sequence[object]) -> int:
    return max(1, min(int(getattr(m, "concurrency", 1)) for m in models if m is not None))


def _translate_early(headline: str) -> Callable[[Model], None]:
    """Translate HEADLINE with a translator that keeps its batches' outputs: the brief's own
    call finds the headline's batch done when its composition is the same (see BatchMemo)."""

    def early(model: Model) -> None:
        if remember_batches(model):
            translate_sentences(model, [headline])

    return early


def _with_sentences(spec: ModelSpec, sentences: int | None) -> ModelSpec:
    """SPEC choosing SENTENCES sentences; only the extractive summarizer has that setting."""
    if sentences is None:
        return spec
    if spec.kind != "extractive":
        raise UsageError(
            f"--sentences applies to the extractive summarizer (--summarizer extractive); "
            f"'{spec.name}' writes its own summary"
        )
    if sentences < 1:
        raise UsageError(f"--sentences must be at least 1, got {sentences}")
    return replace(spec, sentences=sentences)


def _stats(job: Prepared, *, chunks: int = 0, rounds: int = 0, lines: int | None = None) -> Stats:
    stats = Stats(
        words=job.words,
        sentences=len(job.sentences),
        paragraphs=len(textproc.paragraphs(job.sentences)),
        removed_lines=job.removed,
    )
    if lines is not None:
        stats.chunks, stats.reduce_rounds, stats.summary_sentences = chunks, rounds, lines
    return stats


def _in_order(
    results: Iterator[tuple[int, Result | SummarizeError]], n: int, kind: type[R]
) -> list[R | SummarizeError]:
    out: list[R | SummarizeError | None] = [None] * n
    for i, result in results:
        assert isinstance(result, kind | SummarizeError), result
        out[i] = result
    return [r for r in out if r is not None]


def _raise_or_return(result: R | SummarizeError) -> R:
    if isinstance(result, SummarizeError):
        raise result
    return result


def _empty_translations(pairs: Sequence[BriefLine]) -> list[str]:
    empty = [str(n) for n, p in enumerate(pairs, start=1) if p.ar.strip() and not p.en.strip()]
    if not empty:
        return []
    shown = ", ".join(empty[:10]) + (" …" if len(empty) > 10 else "")
    return [f"the translator produced no text for sentence(s) {shown}"]


def _timings(summarize: float, translate: float, total: float) -> dict[str, float]:
    return {
        "load_s": 0.0,
        "summarize_s": round(summarize, 3),
        "translate_s": round(translate, 3),
        "total_s": round(total, 3),
    }
