"""What a run makes of an article: the one name the pipeline, batch, eval and the CLI share."""

from __future__ import annotations

from enum import Enum

__all__ = ["Task"]


class Task(Enum):  # not StrEnum: str has a .translate
    """``brief``: the headline and a summary, each line beside its English (a ``Brief``);
    ``translate``: every sentence of the article beside its English (a ``Translation``).
    ``summarize eval summarize`` scores the summarizer of the brief task."""

    brief = "brief"
    translate = "translate"

    @classmethod
    def of(cls, value: Task | str) -> Task:
        """VALUE as a Task: the API also takes the strings ``"brief"`` and ``"translate"``."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"task is 'brief' or 'translate', not {value!r}") from None

    @property
    def roles(self) -> tuple[str, ...]:
        """The models the task runs, in the order they run."""
        return ("summarizer", "translator") if self is Task.brief else ("translator",)
