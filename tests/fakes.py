"""A fake model backend for pipeline and CLI tests: deterministic, instant, no torch.

It is registered as the backend ``fake`` through the same registry the real backends use
(``summarize.backends.register_backend``), and selected with ``SUMMARIZE_BACKEND=fake`` or
``--backend fake``; no module attribute is patched. The fake summarizer returns the first
sentence of each chunk it is given; the fake translator returns 'EN(<n words>): <first word>'
(or what a test's ``FakeModels.english`` makes of the sentence). Both record every call, so tests can check what the pipeline sent (budgets, batching, bounds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest

from summarize.backends import LoadOptions, register_backend, unregister_backend
from summarize.registry import ModelSpec
from summarize.text import split_sentences


@dataclass
class FakeModel:
    spec: ModelSpec
    info: dict[str, str] = field(
        default_factory=lambda: {"backend": "fake", "device": "cpu", "precision": "fp32"}
    )
    calls: list[list[str]] = field(default_factory=list)
    bounds: list[list[int]] = field(default_factory=list)
    empty: bool = False  # a model that yields nothing
    concurrency: int = 1
    english: Callable[[str], str] | None = None  # the translator's output, when a test says
    batch: int = 4  # on_batch hears the texts in batches of this many, in order

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def generate(
        self,
        texts: Sequence[str],
        max_new_tokens: Sequence[int],
        min_new_tokens: Sequence[int] | None = None,
        *,
        on_batch: Callable[[Sequence[int]], None] | None = None,
    ) -> list[str]:
        self.calls.append(list(texts))
        self.bounds.append(list(max_new_tokens))
        for start in range(0, len(texts), self.batch) if on_batch is not None else ():
            on_batch(range(start, min(start + self.batch, len(texts))))
        if self.empty:
            return ["" for _ in texts]
        if self.spec.role == "summarizer":
            out = []
            for t in texts:
                sentences = split_sentences(t)
                out.append(sentences[0].text if sentences else t)
            return out
        if self.english is not None:
            return [self.english(t) for t in texts]
        return [f"EN({len(t.split())}): {t.split()[0]}" for t in texts]


@dataclass
class FakeModels:
    """What a test gets: the fakes by role, created on first load."""

    loaded: dict[str, FakeModel] = field(default_factory=dict)
    empty_roles: set[str] = field(default_factory=set)
    options: list[LoadOptions] = field(default_factory=list)
    english: Callable[[str], str] | None = None  # set before the first load

    def load(self, spec: ModelSpec, options: LoadOptions) -> FakeModel:
        self.options.append(options)
        if spec.role not in self.loaded:
            self.loaded[spec.role] = FakeModel(
                spec, empty=spec.role in self.empty_roles, english=self.english
            )
        return self.loaded[spec.role]


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeModels]:
    """The fake backend, registered for this test and chosen for every command."""
    models = FakeModels()
    register_backend("fake", models.load)
    monkeypatch.setenv("SUMMARIZE_BACKEND", "fake")
    yield models
    unregister_backend("fake")
