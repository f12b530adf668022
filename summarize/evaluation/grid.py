"""The systems `summarize eval` compares: one per combination of models, backends and
precisions, each an Engine, labelled so that no two look alike."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import product
from typing import TYPE_CHECKING, TypeVar

from summarize.evaluation.runner import System
from summarize.tasks import Task

if TYPE_CHECKING:
    from summarize.pipeline.engine import Engine

__all__ = ["system_grid"]

B = TypeVar("B", bound=Hashable)
P = TypeVar("P", bound=Hashable)


def system_grid(
    task: Task,
    make_engine: Callable[[str | None, B, P], Engine],
    models: Sequence[str | None],
    backends: Sequence[B],
    precisions: Sequence[P],
) -> list[System]:
    """One system per combination of MODELS × BACKENDS × PRECISIONS (each value once, in the
    order given; None: what the configuration or the registry says), each from
    ``make_engine(model, backend, precision)``. Every model is checked to be at hand before
    any loads, so that no long run fails at its last system. Two local directories of one
    name are labelled by the path given."""
    from summarize.evaluation.systems import check_models, engine_system, system_label

    combos = list(
        product(dict.fromkeys(models), dict.fromkeys(backends), dict.fromkeys(precisions))
    )
    engines = [make_engine(model, backend, precision) for model, backend, precision in combos]
    labels = [system_label(engine, task) for engine in engines]
    labels = [
        system_label(engine, task, model=model) if labels.count(label) > 1 and model else label
        for engine, label, (model, _, _) in zip(engines, labels, combos, strict=True)
    ]
    for engine in engines:
        check_models(engine, task)
    return [
        engine_system(engine, task, label) for engine, label in zip(engines, labels, strict=True)
    ]
