"""One figure found in a text: what :func:`summarize.trust.numbers.extract_numbers` returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NumberMention"]


@dataclass(frozen=True)
class NumberMention:
    """One figure in a text. ``text == source[start:end]``; ``value`` is comparable.

    ``kind`` is one of ``number``, ``year``, ``percent``, ``date``, ``time``, ``ordinal``,
    ``fraction``, ``approximate``. ``weak`` marks a spelled-out one or two (see module doc).
    """

    text: str
    value: str
    kind: str
    start: int
    end: int
    weak: bool = False

    @property
    def keys(self) -> frozenset[str]:
        """The values under which this figure counts as present in another text.

        A percentage also matches its bare figure ("15%" and "15"), a date its day ("30/10"
        and "30") and, with a year, its day/month and year; a vague quantity its magnitude.
        Matching is lenient on purpose: a check should flag a changed figure, not a
        changed way of writing it.
        """
        keys = {self.value}
        if self.kind == "percent":
            keys.add(self.value.rstrip("%"))
        elif self.kind == "date":
            parts = self.value.split("/")
            keys.add(parts[0])
            if len(parts) == 3:
                keys.update({f"{parts[0]}/{parts[1]}", parts[2]})
        elif self.kind == "approximate":
            keys.add(self.value.lstrip("~"))
        return frozenset(keys)
