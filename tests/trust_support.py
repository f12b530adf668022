"""Helpers shared by the trust and extractive tests: the samples, cleaned as the pipeline
cleans them. Not a test module."""

from __future__ import annotations

from functools import cache

from summarize.articles import Article
from summarize.pipeline import Prepared, prepare
from tests.samples import SAMPLES_DIR as SAMPLES
from tests.samples import sample_paths

NAMES = [p.name for p in sample_paths()]
CICA = "kazakhstan-cica-opinion-glued-stops.txt"
HUB = "kazakhstan-regional-hub-with-page-counters.txt"
QATAR = "qatar-emir-state-visit-kazakhstan.txt"
SECURITY = "tokayev-eurasian-security-sco.txt"
INTERVIEW = "tokayev-sco-interview-with-lang-switcher.txt"


@cache
def article(name: str) -> Prepared:
    """The sample ``name`` after ``pipeline.prepare``: normalized, furniture and title off."""
    path = SAMPLES / name
    return prepare(Article(text=path.read_text(), source=str(path), encoding="utf-8"))
